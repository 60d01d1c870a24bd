using System.Text.Json;

namespace BgpStack.Ctl.Tests;

public sealed class OpenUpdateTests
{
    // OPEN: AS_TRANS, hold 90, id 192.0.2.1; multiprotocol ipv4-unicast, route-refresh, 4-octet AS 65001, ADD-PATH ipv4-unicast both, unknown capability 99.
    private const string Open = "ffffffffffffffffffffffffffffffff003f01045ba0005ac000020122020601040001000102020200020641040000fde902064504000101030204630201ff";

    // UPDATE: withdrawn 10/8; every well-known and common optional attribute plus unknown type 99; NLRI 10.1/16.
    private const string FullUpdate = "ffffffffffffffffffffffffffffffff0088020002080a006c4001010040020a02020000fde90000fdea400304c00002018004040000000040050400000064400600c007080000fde9c0000201c00808fde90064ffffff0180090401010101800a0402020202c010080002fde800000064c0200c0000fde90000000100000002c063020102100a01";

    // UPDATE: MP_REACH ipv6-unicast with global and link-local next hops, MP_UNREACH ipv6-unicast, then ORIGIN and AS_PATH (the encoder's canonical order).
    private const string Ipv6Update = "ffffffffffffffffffffffffffffffff0062020000004b800e2c0002012020010db8000000000000000000000001fe800000000000000000000000000001003020010db80001800f080002012020010db84001010040020a02020000fde90000fdea";

    // UPDATE: NLRI 10.1/16 with ADD-PATH path identifier 1.
    private const string AddPathUpdate = "ffffffffffffffffffffffffffffffff003202000000144001010040020602010000fde9400304c000020100000001100a01";

    // UPDATE: AS_PATH 65001 65002 in 2-octet form.
    private const string TwoOctetAsUpdate = "ffffffffffffffffffffffffffffffff002e0200000014400101004002060202fde9fdea400304c0000201100a01";

    // UPDATE: ORIGIN value 5 (RFC 7606 §7.1: treat-as-withdraw).
    private const string BadOriginUpdate = "ffffffffffffffffffffffffffffffff002d020000001440010105400206020100000001400304c0000201080a";

    private static JsonElement DecodeJson(params string[] args)
    {
        var (exit, output, error) = Cli.Run(["wire", "decode", "--json", .. args]);
        Assert.True(exit == 0, error + output);
        return JsonDocument.Parse(output).RootElement[0];
    }

    private static string EncodeJson(string json, params string[] args)
    {
        var (exit, output, error) = Cli.Pipe(json, ["wire", "encode", .. args]);
        Assert.True(exit == 0, error);
        return output.Trim();
    }

    [Fact]
    public void Open_prints_fields_and_every_capability_in_text()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", Open);

        Assert.Equal(0, exit);
        Assert.Contains("OPEN (63 octets)", output, StringComparison.Ordinal);
        Assert.Contains("my-as:                  23456", output, StringComparison.Ordinal);
        Assert.Contains("as:                     65001", output, StringComparison.Ordinal);
        Assert.Contains("hold-time:              90", output, StringComparison.Ordinal);
        Assert.Contains("bgp-id:                 192.0.2.1", output, StringComparison.Ordinal);
        Assert.Contains("multiprotocol (1): ipv4-unicast", output, StringComparison.Ordinal);
        Assert.Contains("four-octet-as (65): 65001", output, StringComparison.Ordinal);
        Assert.Contains("add-path (69): ipv4-unicast both", output, StringComparison.Ordinal);
        Assert.Contains("unknown (99): value 01ff", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_json_lists_capabilities_with_code_name_and_unknown_as_hex()
    {
        var open = DecodeJson(Open);

        Assert.Equal("open", open.GetProperty("type").GetString());
        Assert.Equal(23456, open.GetProperty("my_as").GetInt32());
        Assert.Equal(90, open.GetProperty("hold_time").GetInt32());
        Assert.Equal("192.0.2.1", open.GetProperty("bgp_id").GetString());
        Assert.False(open.TryGetProperty("layout", out _));
        var capabilities = open.GetProperty("capabilities");
        Assert.Equal(5, capabilities.GetArrayLength());
        Assert.Equal("multiprotocol", capabilities[0].GetProperty("name").GetString());
        Assert.Equal("ipv4-unicast", capabilities[0].GetProperty("family").GetString());
        Assert.Equal(65001u, capabilities[2].GetProperty("asn").GetUInt32());
        Assert.Equal("both", capabilities[3].GetProperty("families")[0].GetProperty("mode").GetString());
        Assert.Equal(99, capabilities[4].GetProperty("code").GetInt32());
        Assert.Equal("01ff", capabilities[4].GetProperty("value").GetString());
        Assert.False(capabilities[4].TryGetProperty("name", out _));
    }

    [Fact]
    public void Update_prints_every_attribute_in_text()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", FullUpdate);

        Assert.Equal(0, exit);
        foreach (var expected in new[]
        {
            "UPDATE (136 octets)", "withdrawn:              10.0.0.0/8", "origin:                 igp", "as-path:                65001 65002",
            "next-hop:               192.0.2.1", "med:                    0", "local-pref:             100", "atomic-aggregate:       yes",
            "aggregator:             as 65001 address 192.0.2.1", "communities:            65001:100 no-export", "originator-id:          1.1.1.1",
            "cluster-list:           2.2.2.2", "ext-communities:        rt:65000:100", "large-communities:      65001:1:2",
            "attribute:              type 99 flags 0xc0 value 0102", "nlri:                   10.1.0.0/16",
        })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Update_json_has_the_documented_shape()
    {
        var update = DecodeJson(FullUpdate);

        Assert.Equal("update", update.GetProperty("type").GetString());
        Assert.Equal(136, update.GetProperty("length").GetInt32());
        Assert.Equal("10.0.0.0/8", update.GetProperty("withdrawn")[0].GetString());
        Assert.Equal("10.1.0.0/16", update.GetProperty("nlri")[0].GetString());
        var attributes = update.GetProperty("attributes");
        Assert.Equal("igp", attributes.GetProperty("origin").GetString());
        var segment = attributes.GetProperty("as_path")[0];
        Assert.Equal("sequence", segment.GetProperty("type").GetString());
        Assert.Equal([65001u, 65002u], segment.GetProperty("asns").EnumerateArray().Select(a => a.GetUInt32()).ToArray());
        Assert.Equal("192.0.2.1", attributes.GetProperty("next_hop").GetString());
        Assert.Equal(0u, attributes.GetProperty("med").GetUInt32());
        Assert.Equal(100u, attributes.GetProperty("local_pref").GetUInt32());
        Assert.True(attributes.GetProperty("atomic_aggregate").GetBoolean());
        Assert.Equal(65001u, attributes.GetProperty("aggregator").GetProperty("asn").GetUInt32());
        Assert.Equal("192.0.2.1", attributes.GetProperty("aggregator").GetProperty("address").GetString());
        Assert.Equal("no-export", attributes.GetProperty("communities")[1].GetString());
        Assert.Equal("1.1.1.1", attributes.GetProperty("originator_id").GetString());
        Assert.Equal("2.2.2.2", attributes.GetProperty("cluster_list")[0].GetString());
        Assert.Equal("rt:65000:100", attributes.GetProperty("extended_communities")[0].GetString());
        Assert.Equal("65001:1:2", attributes.GetProperty("large_communities")[0].GetString());
        var unknown = attributes.GetProperty("unknown")[0];
        Assert.Equal(192, unknown.GetProperty("flags").GetInt32());
        Assert.Equal(99, unknown.GetProperty("type").GetInt32());
        Assert.Equal("0102", unknown.GetProperty("value").GetString());
    }

    [Fact]
    public void Mp_reach_and_mp_unreach_show_family_next_hops_and_prefixes()
    {
        var update = DecodeJson(Ipv6Update);

        var reach = update.GetProperty("mp_reach");
        Assert.Equal("ipv6-unicast", reach.GetProperty("family").GetString());
        Assert.Equal("2001:db8::1", reach.GetProperty("next_hop").GetString());
        Assert.Equal("fe80::1", reach.GetProperty("link_local_next_hop").GetString());
        Assert.Equal("2001:db8:1::/48", reach.GetProperty("nlri")[0].GetString());
        var unreach = update.GetProperty("mp_unreach");
        Assert.Equal("ipv6-unicast", unreach.GetProperty("family").GetString());
        Assert.Equal("2001:db8::/32", unreach.GetProperty("nlri")[0].GetString());
    }

    [Fact]
    public void Add_path_option_decodes_path_identifiers()
    {
        var update = DecodeJson("--add-path", "ipv4", AddPathUpdate);

        var nlri = update.GetProperty("nlri")[0];
        Assert.Equal("10.1.0.0/16", nlri.GetProperty("prefix").GetString());
        Assert.Equal(1u, nlri.GetProperty("path_id").GetUInt32());
    }

    [Fact]
    public void As2_option_decodes_two_octet_as_path()
    {
        var update = DecodeJson("--as2", TwoOctetAsUpdate);

        var asns = update.GetProperty("attributes").GetProperty("as_path")[0].GetProperty("asns");
        Assert.Equal([65001u, 65002u], asns.EnumerateArray().Select(a => a.GetUInt32()).ToArray());
    }

    [Fact]
    public void Rfc_7606_attribute_error_prints_action_and_verdict_beside_the_message_and_exits_1()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", BadOriginUpdate);

        Assert.Equal(1, exit);
        Assert.Contains("UPDATE (45 octets)", output, StringComparison.Ordinal);
        Assert.Contains("nlri:                   10.0.0.0/8", output, StringComparison.Ordinal);
        Assert.Contains("attribute-error:        treat-as-withdraw (attribute 1)", output, StringComparison.Ordinal);
        Assert.Contains("UPDATE Message Error (3) / Invalid ORIGIN Attribute (6)", output, StringComparison.Ordinal);
        Assert.Contains("010105", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc_7606_attribute_error_is_an_attribute_errors_member_in_json()
    {
        var (exit, output, _) = Cli.Run("wire", "decode", "--json", BadOriginUpdate);

        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(output).RootElement[0].GetProperty("attribute_errors")[0];
        Assert.Equal("treat-as-withdraw", error.GetProperty("action").GetString());
        Assert.Equal(1, error.GetProperty("attribute_type").GetInt32());
        Assert.Equal(3, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(6, error.GetProperty("error").GetProperty("subcode").GetInt32());
        Assert.Equal("010105", error.GetProperty("error").GetProperty("data").GetString());
    }

    [Theory]
    [InlineData(Open)]
    [InlineData(FullUpdate)]
    [InlineData(Ipv6Update)]
    public void Decoded_json_encodes_back_to_the_same_octets(string hex)
    {
        var (_, json, _) = Cli.Run("wire", "decode", "--json", hex);

        Assert.Equal(hex, EncodeJson(json));
    }

    [Fact]
    public void Context_options_apply_to_encode_too()
    {
        var (_, addPathJson, _) = Cli.Run("wire", "decode", "--json", "--add-path", "ipv4", AddPathUpdate);
        var (_, as2Json, _) = Cli.Run("wire", "decode", "--json", "--as2", TwoOctetAsUpdate);

        Assert.Equal(AddPathUpdate, EncodeJson(addPathJson, "--add-path", "ipv4"));
        Assert.Equal(TwoOctetAsUpdate, EncodeJson(as2Json, "--as2"));
    }

    [Fact]
    public void Hand_written_update_json_encodes_to_the_expected_hex()
    {
        var json = """
            {"type":"update","attributes":{"origin":"igp","as_path":[{"type":"sequence","asns":[65001]}],"next_hop":"192.0.2.1"},
             "nlri":[{"prefix":"10.1.0.0/16","path_id":1}]}
            """;

        Assert.Equal(AddPathUpdate, EncodeJson(json, "--add-path", "ipv4"));
    }
}
