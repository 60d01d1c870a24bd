using System.Globalization;
using System.Text.Json;

namespace BgpStack.Ctl.Tests;

public sealed class ContextOptionTests
{
    /// <summary>An UPDATE announcing 1500 /24s: about 6000 octets, past the standard 4096.</summary>
    private static string LargeUpdateJson()
    {
        var prefixes = string.Join(',', Enumerable.Range(0, 1500).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"10.{i / 256}.{i % 256}.0/24\"")));
        return $$"""{"type":"update","attributes":{"origin":"igp","as_path":[],"next_hop":"192.0.2.1"},"nlri":[{{prefixes}}]}""";
    }

    [Fact]
    public void Extended_message_option_allows_messages_over_4096_octets_both_ways()
    {
        var (encodeExit, hex, encodeError) = Cli.Pipe(LargeUpdateJson(), "wire", "encode", "--extended-message");
        Assert.True(encodeExit == 0, encodeError);
        Assert.True(hex.Trim().Length / 2 > 4096);

        var (decodeExit, json, _) = Cli.Run("wire", "decode", "--json", "--extended-message", hex.Trim());

        Assert.Equal(0, decodeExit);
        Assert.Equal(1500, JsonDocument.Parse(json).RootElement[0].GetProperty("nlri").GetArrayLength());
    }

    [Fact]
    public void Without_extended_message_a_large_update_cannot_be_encoded_or_decoded()
    {
        var (_, hex, _) = Cli.Pipe(LargeUpdateJson(), "wire", "encode", "--extended-message");

        var (encodeExit, _, encodeError) = Cli.Pipe(LargeUpdateJson(), "wire", "encode");
        var (decodeExit, output, _) = Cli.Run("wire", "decode", hex.Trim());

        Assert.Equal(2, encodeExit);
        Assert.StartsWith("bgpstackctl: $: cannot encode:", encodeError, StringComparison.Ordinal);
        Assert.Equal(1, decodeExit);
        Assert.Contains("Message Header Error (1) / Bad Message Length (2)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Hex_and_file_together_are_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("wire", "decode", "--file", "/dev/null", "ffff");

        Assert.Equal(2, exit);
        Assert.Contains("either HEX or --file", error, StringComparison.Ordinal);
    }
}
