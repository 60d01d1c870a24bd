using System.Text.Json;

namespace BgpStack.Ctl.Tests;

public sealed class WireDecodeTests
{
    private static readonly string Keepalive = Cli.Message(4, "");

    [Fact]
    public void Keepalive_prints_its_type_and_length_and_exits_0()
    {
        var (exit, output, error) = Cli.Run("wire", "decode", Keepalive);

        Assert.Empty(error);
        Assert.Equal(0, exit);
        Assert.Equal("KEEPALIVE (19 octets)", output.Trim());
    }

    [Fact]
    public void Notification_with_shutdown_communication_prints_names_numbers_and_text()
    {
        var hex = Cli.Message(3, "0602 05 6d61696e74");

        var (exit, output, _) = Cli.Run("wire", "decode", hex);

        Assert.Equal(0, exit);
        Assert.Contains("NOTIFICATION (27 octets)", output, StringComparison.Ordinal);
        Assert.Contains("Cease (6) / Administrative Shutdown (2)", output, StringComparison.Ordinal);
        Assert.Contains("\"maint\"", output, StringComparison.Ordinal);
        Assert.Contains("056d61696e74", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Notification_json_has_code_subcode_names_data_and_shutdown_communication()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", "--json", Cli.Message(3, "0602 05 6d61696e74"));

        Assert.Equal(0, exit);
        var message = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("notification", message.GetProperty("type").GetString());
        Assert.Equal(27, message.GetProperty("length").GetInt32());
        Assert.Equal(6, message.GetProperty("code").GetInt32());
        Assert.Equal("Cease", message.GetProperty("code_name").GetString());
        Assert.Equal(2, message.GetProperty("subcode").GetInt32());
        Assert.Equal("Administrative Shutdown", message.GetProperty("subcode_name").GetString());
        Assert.Equal("056d61696e74", message.GetProperty("data").GetString());
        Assert.Equal("maint", message.GetProperty("shutdown_communication").GetString());
    }

    [Fact]
    public void Route_refresh_prints_family_and_subtype_in_text_and_json()
    {
        var hex = Cli.Message(5, "0002 01 01");

        var (textExit, text, _) = Cli.Run("wire", "decode", hex);
        var (jsonExit, json, _) = Cli.Run("wire", "decode", "--json", hex);

        Assert.Equal(0, textExit);
        Assert.Contains("ROUTE-REFRESH (23 octets)", text, StringComparison.Ordinal);
        Assert.Contains("ipv6-unicast", text, StringComparison.Ordinal);
        Assert.Contains("borr", text, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        var message = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal("route_refresh", message.GetProperty("type").GetString());
        Assert.Equal("ipv6-unicast", message.GetProperty("family").GetString());
        Assert.Equal("borr", message.GetProperty("subtype").GetString());
    }

    [Fact]
    public void Several_messages_in_one_hex_string_are_split_by_framing()
    {
        var hex = Keepalive + Cli.Message(5, "0001 00 01") + Keepalive;

        var (exit, output, _) = Cli.Run("wire", "decode", "--json", hex);

        Assert.Equal(0, exit);
        var types = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(m => m.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(new[] { "keepalive", "route_refresh", "keepalive" }, types);
    }

    [Fact]
    public void Hex_with_spaces_colons_and_newlines_is_accepted_from_stdin()
    {
        var spaced = string.Join(':', Enumerable.Range(0, Keepalive.Length / 2).Select(i => Keepalive.Substring(i * 2, 2)));
        var stdin = spaced[..20] + "\n  " + spaced[20..] + "\n";

        var (exit, output, _) = Cli.Pipe(stdin, "wire", "decode");

        Assert.Equal(0, exit);
        Assert.Equal("KEEPALIVE (19 octets)", output.Trim());
    }

    [Fact]
    public void Binary_file_of_messages_back_to_back_is_decoded()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Convert.FromHexString(Keepalive + Cli.Message(3, "0401")));

            var (exit, output, _) = Cli.Run("wire", "decode", "--file", path);

            Assert.Equal(0, exit);
            Assert.Contains("KEEPALIVE (19 octets)", output, StringComparison.Ordinal);
            Assert.Contains("Hold Timer Expired (4)", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Keepalive_with_a_body_prints_the_header_error_verdict_and_exits_1()
    {
        var hex = Cli.Message(4, "00");

        var (exit, output, error) = Cli.Run("wire", "decode", hex);

        Assert.Equal(1, exit);
        Assert.Contains("MALFORMED KEEPALIVE", output, StringComparison.Ordinal);
        Assert.Contains("Message Header Error (1) / Bad Message Length (2)", output, StringComparison.Ordinal);
        Assert.Contains("data:", output, StringComparison.Ordinal);
        Assert.Contains("0014", output, StringComparison.Ordinal);
        Assert.Contains("reason:", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public void Route_refresh_of_wrong_length_reports_route_refresh_message_error_in_json()
    {
        var hex = Cli.Message(5, "0001 00 01 ff");

        var (exit, output, _) = Cli.Run("wire", "decode", "--json", hex);

        Assert.Equal(1, exit);
        var message = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("route_refresh", message.GetProperty("type").GetString());
        var verdict = message.GetProperty("error");
        Assert.Equal(7, verdict.GetProperty("code").GetInt32());
        Assert.Equal("ROUTE-REFRESH Message Error", verdict.GetProperty("code_name").GetString());
        Assert.Equal(1, verdict.GetProperty("subcode").GetInt32());
        Assert.Equal("Invalid Message Length", verdict.GetProperty("subcode_name").GetString());
        Assert.Equal(hex, verdict.GetProperty("data").GetString());
        Assert.False(string.IsNullOrEmpty(verdict.GetProperty("reason").GetString()));
    }

    [Fact]
    public void Bad_marker_reports_connection_not_synchronized_and_exits_1()
    {
        var hex = "00" + Keepalive[2..];

        var (exit, output, _) = Cli.Run("wire", "decode", hex);

        Assert.Equal(1, exit);
        Assert.Contains("Message Header Error (1) / Connection Not Synchronized (1)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_ending_inside_a_message_is_reported_and_exits_1()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", Keepalive + Keepalive[..30]);

        Assert.Equal(1, exit);
        Assert.Contains("KEEPALIVE (19 octets)", output, StringComparison.Ordinal);
        Assert.Contains("the input ends 15 octets into a message", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("fff")]
    [InlineData("  ")]
    public void Bad_hex_is_reported_on_stderr_and_exits_2(string hex)
    {
        var (exit, output, error) = Cli.Run("wire", "decode", hex);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("bgpstackctl: bad hex:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_file_is_reported_on_stderr_and_exits_2()
    {
        var (exit, _, error) = Cli.Run("wire", "decode", "--file", "/nonexistent/bgpstack/messages.bin");

        Assert.Equal(2, exit);
        Assert.Contains("cannot read /nonexistent/bgpstack/messages.bin", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_add_path_family_is_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("wire", "decode", "--add-path", "ipv5", Keepalive);

        Assert.Equal(2, exit);
        Assert.Contains("--add-path: 'ipv5'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_command_is_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("wire");

        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }
}
