using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

public class PeerIndexTableTests
{
    [Fact]
    public void Peer_index_table_decodes_collector_view_and_peers_by_type_bits()
    {
        var file = PeerIndexTable(RouterId.Parse("192.0.2.254"), "rrc00 view", [
            new PeerSpec(RouterId.Parse("192.0.2.1"), IPAddress.Parse("198.18.0.1"), 65001, FourOctetAs: false),
            new PeerSpec(RouterId.Parse("192.0.2.2"), IPAddress.Parse("2001:db8::2"), 4_200_000_002),
            new PeerSpec(RouterId.Parse("192.0.2.3"), IPAddress.Parse("198.18.0.3"), 65003),
            new PeerSpec(RouterId.Parse("192.0.2.4"), IPAddress.Parse("2001:db8::4"), 65004, FourOctetAs: false),
        ], seconds: 1_650_000_000);
        var record = MrtFiles.Single<PeerIndexTableRecord>(file);
        Assert.Equal(MrtType.TableDumpV2, record.Type);
        Assert.Equal((ushort)TableDumpV2Subtype.PeerIndexTable, record.Subtype);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_650_000_000), record.Timestamp);
        Assert.Equal(RouterId.Parse("192.0.2.254"), record.CollectorBgpId);
        Assert.Equal("rrc00 view", record.ViewName);
        Assert.Equal(4, record.Peers.Count);

        Assert.Equal(new MrtPeerEntry(0x00, RouterId.Parse("192.0.2.1"), IPAddress.Parse("198.18.0.1"), 65001), record.Peers[0]);
        Assert.False(record.Peers[0].IsIpv6);
        Assert.False(record.Peers[0].IsFourOctetAs);

        Assert.Equal(new MrtPeerEntry(0x03, RouterId.Parse("192.0.2.2"), IPAddress.Parse("2001:db8::2"), 4_200_000_002), record.Peers[1]);
        Assert.True(record.Peers[1].IsIpv6);
        Assert.True(record.Peers[1].IsFourOctetAs);

        Assert.Equal(0x02, record.Peers[2].PeerType);
        Assert.Equal(0x01, record.Peers[3].PeerType);
        Assert.Equal(IPAddress.Parse("2001:db8::4"), record.Peers[3].PeerAddress);
        Assert.Equal(65004u, record.Peers[3].PeerAs);

        Assert.True(record.TryGetPeer(2, out var peer));
        Assert.Equal(65003u, peer.PeerAs);
        Assert.False(record.TryGetPeer(4, out _));
    }

    [Fact]
    public void Peer_index_table_with_no_view_name_and_no_peers()
    {
        var record = MrtFiles.Single<PeerIndexTableRecord>(PeerIndexTable(RouterId.Parse("10.0.0.1"), "", []));
        Assert.Equal("", record.ViewName);
        Assert.True(record.Peers.IsEmpty);
    }

    [Fact]
    public void Peer_index_table_cut_inside_a_peer_is_malformed()
    {
        var good = PeerIndexTable(RouterId.Parse("10.0.0.1"), "v", [new PeerSpec(RouterId.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::2"), 65002)]);
        var body = good.AsSpan(MrtHeader.Size, good.Length - MrtHeader.Size - 6).ToArray();
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.PeerIndexTable, body));
        Assert.Contains("peer 0 of 1", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rib_generic_is_kept_as_its_raw_body()
    {
        var body = new MrtWriter.Octets().U32(42).U16(25).U8(70).U8(0xAA).U16(0).ToArray();
        foreach (var subtype in new[] { TableDumpV2Subtype.RibGeneric, TableDumpV2Subtype.RibGenericAddPath })
        {
            var record = MrtFiles.Single<RibGenericRecord>(Record(1_700_000_000, MrtType.TableDumpV2, (ushort)subtype, body));
            Assert.Equal((ushort)subtype, record.Subtype);
            Assert.Equal(42u, record.SequenceNumber);
            Assert.Equal(new AfiSafi(Afi.L2vpn, Safi.Evpn), record.Family);
            Assert.Equal(body, record.Body.ToArray());
        }
    }

    [Fact]
    public void Geo_peer_table_is_an_unknown_record()
    {
        var record = MrtFiles.Single<UnknownMrtRecord>(Record(1, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.GeoPeerTable, [9, 9]));
        Assert.Equal(MrtType.TableDumpV2, record.Type);
        Assert.Equal([9, 9], record.Body.ToArray());
    }
}
