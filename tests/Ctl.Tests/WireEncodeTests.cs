namespace BgpStack.Ctl.Tests;

public sealed class WireEncodeTests
{
    [Fact]
    public void Notification_json_encodes_to_the_expected_hex()
    {
        var (exit, output, error) = Cli.Pipe("""{"type":"notification","code":6,"subcode":4,"data":"0102"}""", "wire", "encode");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Equal(Cli.Message(3, "0604 0102"), output.Trim());
    }

    [Fact]
    public void Shutdown_communication_alone_builds_the_rfc_9003_data()
    {
        var (exit, output, _) = Cli.Pipe("""{"type":"notification","code":6,"subcode":2,"shutdown_communication":"maint"}""", "wire", "encode");

        Assert.Equal(0, exit);
        Assert.Equal(Cli.Message(3, "0602 05 6d61696e74"), output.Trim());
    }

    [Fact]
    public void An_array_prints_one_line_per_message()
    {
        var json = """
            [
              {"type":"keepalive"},
              {"type":"route_refresh","family":"ipv6-unicast","subtype":"eorr"}
            ]
            """;

        var (exit, output, _) = Cli.Pipe(json, "wire", "encode");

        Assert.Equal(0, exit);
        Assert.Equal([Cli.Message(4, ""), Cli.Message(5, "0002 02 01")], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Json_from_a_file_is_encoded()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"type":"keepalive"}""");

            var (exit, output, _) = Cli.Run("wire", "encode", "--file", path);

            Assert.Equal(0, exit);
            Assert.Equal(Cli.Message(4, ""), output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_position_and_exits_2()
    {
        var (exit, output, error) = Cli.Pipe("""{"type": "keepalive",""", "wire", "encode");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("bgpstackctl: invalid JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"type":"keepalive"},{"type":"route_refresh","family":"ipv9-unicast"}]""", "$[1].family")]
    [InlineData("""{"type":"notification","code":6,"subcode":300}""", "$.subcode")]
    [InlineData("""{"type":"notification","code":"six","subcode":3}""", "$.code")]
    [InlineData("""{"type":"hello"}""", "$.type")]
    [InlineData("""{"type":"update","attribtues":{}}""", "$.attribtues")]
    [InlineData("""{"type":"update","attributes":{"as_path":[{"type":"sequence","asn":[1]}]}}""", "$.attributes.as_path[0].asn")]
    [InlineData("""{"type":"update","mp_reach":{"family":"ipv6-unicast","next_hop":"192.0.2.1","link_local_next_hop":"10.0.0.1"}}""", "$.mp_reach.link_local_next_hop")]
    [InlineData("""{"code":1}""", "$.type")]
    [InlineData("""{"type":"update","attributes":{"origin":"bgp"}}""", "$.attributes.origin")]
    [InlineData("""{"type":"update","nlri":["10.0.0.1/8"]}""", "$.nlri[0]")]
    [InlineData("""{"type":"update","attributes":{"communities":["65001:100","nope"]}}""", "$.attributes.communities[1]")]
    [InlineData("""{"type":"open","my_as":65001,"hold_time":90,"bgp_id":"1.1.1.1","capabilities":[{"code":1,"name":"multiprotocol"}]}""", "$.capabilities[0].family")]
    [InlineData("""{"type":"open","my_as":65001,"hold_time":90,"bgp_id":"1.1.1.1","capabilities":[{"code":2,"name":"multiprotocol","family":"ipv4-unicast"}]}""", "$.capabilities[0].code")]
    public void Invalid_field_values_name_their_json_path_and_exit_2(string json, string path)
    {
        var (exit, output, error) = Cli.Pipe(json, "wire", "encode");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith($"bgpstackctl: {path}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_message_from_decode_cannot_be_encoded()
    {
        var (exit, _, error) = Cli.Pipe("""{"type":"keepalive","length":20,"error":{"code":1,"subcode":2}}""", "wire", "encode");

        Assert.Equal(2, exit);
        Assert.Contains("$.error", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoded_json_encodes_back_to_the_same_octets()
    {
        var hex = Cli.Message(3, "0602 05 6d61696e74") + Cli.Message(5, "0001 00 01") + Cli.Message(4, "");

        var (_, json, _) = Cli.Run("wire", "decode", "--json", hex);
        var (exit, output, _) = Cli.Pipe(json, "wire", "encode");

        Assert.Equal(0, exit);
        Assert.Equal(hex, string.Concat(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }
}
