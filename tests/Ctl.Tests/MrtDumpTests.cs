using System.Net;
using System.Text.Json;
using BgpStack.Bgp.Tests.Mrt;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Ctl.Tests;

public sealed class MrtDumpTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("bgpstackctl-mrt-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A small table dump and update trace: peer index table, one RIB record, a KEEPALIVE and a state change.</summary>
    private static byte[] SmallFile()
    {
        var peers = MrtWriter.PeerIndexTable(RouterId.Parse("192.0.2.254"), "main", [
            new PeerSpec(RouterId.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.1"), 65001),
            new PeerSpec(RouterId.Parse("192.0.2.2"), IPAddress.Parse("2001:db8::2"), 4_200_000_000),
        ]);
        byte[] attributes = [
            .. MrtWriter.OriginAttribute(Origin.Igp),
            .. MrtWriter.AsPathAttribute(true, 65001, 65010),
            .. MrtWriter.NextHopAttribute(IPAddress.Parse("192.0.2.1")),
            .. MrtWriter.CommunitiesAttribute(0xFDE90064),
        ];
        var rib = MrtWriter.TableDumpRib(TableDumpV2Subtype.RibIpv4Unicast, 7, IpPrefix.Parse("198.51.100.0/24"), [new RibEntrySpec(1, 1_700_000_100, attributes)]);
        var keepalive = MrtWriter.Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.254"), Convert.FromHexString(Cli.Message(4, "")));
        var change = MrtWriter.Bgp4mpStateChange(true, 65001, 65000, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.254"), 5, 6);
        return MrtWriter.File(peers, rib, keepalive, change);
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void Plain_file_prints_every_record_with_header_peers_rib_entries_and_messages()
    {
        var path = Write("updates.mrt", SmallFile());

        var (exit, output, error) = Cli.Run("mrt", "dump", path);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("2023-11-14T22:13:20Z TABLE_DUMP_V2 PEER_INDEX_TABLE", output, StringComparison.Ordinal);
        Assert.Contains("collector 192.0.2.254 view \"main\" peers 2", output, StringComparison.Ordinal);
        Assert.Contains("peer 1: 2001:db8::2 AS4200000000 bgp-id 192.0.2.2", output, StringComparison.Ordinal);
        Assert.Contains("TABLE_DUMP_V2 RIB_IPV4_UNICAST", output, StringComparison.Ordinal);
        Assert.Contains("ipv4-unicast 198.51.100.0/24 sequence 7 entries 1", output, StringComparison.Ordinal);
        Assert.Contains("entry peer 1 2001:db8::2 AS4200000000 originated 2023-11-14T22:15:00Z", output, StringComparison.Ordinal);
        Assert.Contains("65001 65010", output, StringComparison.Ordinal);
        Assert.Contains("65001:100", output, StringComparison.Ordinal);
        Assert.Contains("BGP4MP MESSAGE_AS4", output, StringComparison.Ordinal);
        Assert.Contains("peer 192.0.2.1 AS65001 local 192.0.2.254 AS65000", output, StringComparison.Ordinal);
        Assert.Contains("KEEPALIVE (19 octets)", output, StringComparison.Ordinal);
        Assert.Contains("state OpenConfirm -> Established", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_file_prints_one_json_object_per_record()
    {
        var path = Write("updates.mrt.gz", MrtFiles.Gzip(SmallFile()));

        var (exit, output, _) = Cli.Run("mrt", "dump", "--json", path);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var records = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal("PEER_INDEX_TABLE", records[0].GetProperty("subtype_name").GetString());
        Assert.Equal("main", records[0].GetProperty("view_name").GetString());
        Assert.Equal(2, records[0].GetProperty("peers").GetArrayLength());

        var rib = records[1];
        Assert.Equal(13, rib.GetProperty("type").GetInt32());
        Assert.Equal("198.51.100.0/24", rib.GetProperty("prefix").GetString());
        var entry = rib.GetProperty("entries")[0];
        Assert.Equal("2001:db8::2", entry.GetProperty("peer_address").GetString());
        Assert.Equal(0u, entry.GetProperty("path_id").GetUInt32());
        Assert.Equal("igp", entry.GetProperty("attributes").GetProperty("origin").GetString());
        Assert.Equal("192.0.2.1", entry.GetProperty("attributes").GetProperty("next_hop").GetString());
        Assert.Equal("65001:100", entry.GetProperty("attributes").GetProperty("communities")[0].GetString());

        Assert.Equal("keepalive", records[2].GetProperty("message").GetProperty("type").GetString());
        Assert.Equal(65001u, records[2].GetProperty("peer_as").GetUInt32());
        Assert.Equal("Established", records[3].GetProperty("new_state").GetString());
    }

    [Fact]
    public void Bzip2_file_is_read_too()
    {
        var path = Write("updates.mrt.bz2", MrtFiles.Bzip2(SmallFile()));

        var (exit, output, _) = Cli.Run("mrt", "dump", "--json", path);

        Assert.Equal(0, exit);
        Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Malformed_records_print_their_reason_and_exit_1()
    {
        var file = SmallFile();
        var malformedMessage = MrtWriter.Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.254"), Convert.FromHexString(Cli.Message(4, "00")));
        var path = Write("bad.mrt", MrtWriter.File(file, malformedMessage, file[..20]));

        var (exit, output, _) = Cli.Run("mrt", "dump", path);

        Assert.Equal(1, exit);
        Assert.Contains("Message Header Error (1) / Bad Message Length (2)", output, StringComparison.Ordinal);
        Assert.Contains("MALFORMED record:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_on_stderr_and_exits_2()
    {
        var (exit, _, error) = Cli.Run("mrt", "dump", Path.Combine(directory, "absent.mrt"));

        Assert.Equal(2, exit);
        Assert.StartsWith("bgpstackctl: cannot read", error, StringComparison.Ordinal);
    }
}
