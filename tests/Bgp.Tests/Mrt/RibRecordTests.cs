using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

public class RibRecordTests
{
    private static readonly IPAddress NextHop4 = IPAddress.Parse("198.18.0.1");
    private static readonly IPAddress NextHop6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress LinkLocal = IPAddress.Parse("fe80::1");

    private static byte[] Ipv4Attributes(params uint[] path) => Attributes(
        OriginAttribute(Origin.Igp),
        AsPathAttribute(true, path),
        NextHopAttribute(NextHop4),
        MedAttribute(10),
        CommunitiesAttribute(0xFDE80064));

    [Fact]
    public void Rib_ipv4_unicast_decodes_prefix_and_every_entry()
    {
        var file = Rib(TableDumpV2Subtype.RibIpv4Unicast, 7, IpPrefix.Parse("203.0.113.0/24"), [
            new RibEntrySpec(0, 1_690_000_000, Ipv4Attributes(65001, 4_200_000_000)),
            new RibEntrySpec(3, 1_690_000_100, Attributes(OriginAttribute(Origin.Incomplete), AsPathAttribute(true, 65003), NextHopAttribute(IPAddress.Parse("198.18.0.3")))),
        ], seconds: 1_700_000_000);
        var record = MrtFiles.Single<RibRecord>(file);
        Assert.Equal(MrtType.TableDumpV2, record.Type);
        Assert.Equal(TableDumpV2Subtype.RibIpv4Unicast, record.TableDumpV2Subtype);
        Assert.Equal(AfiSafi.Ipv4Unicast, record.Family);
        Assert.False(record.HasAddPath);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), record.Timestamp);
        Assert.Equal(7u, record.SequenceNumber);
        Assert.Equal(IpPrefix.Parse("203.0.113.0/24"), record.Prefix);
        Assert.Equal(2, record.Entries.Count);

        var first = record.Entries[0];
        Assert.Equal(0, first.PeerIndex);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_690_000_000), first.OriginatedTime);
        Assert.Equal(0u, first.PathId);
        Assert.Null(first.Error);
        Assert.True(first.AttributeErrors.IsEmpty);
        Assert.Equal(Origin.Igp, first.Attributes.Origin);
        Assert.Equal(AsPath.FromSequence(65001, 4_200_000_000), first.Attributes.AsPath);
        Assert.Equal(NextHop4, first.Attributes.NextHop);
        Assert.Equal(NextHop4, first.NextHop);
        Assert.Equal(10u, first.Attributes.MultiExitDisc);
        Assert.Equal([new Community(0xFDE80064)], first.Attributes.Communities.ToArray());
        Assert.Null(first.MpReach);

        var second = record.Entries[1];
        Assert.Equal(3, second.PeerIndex);
        Assert.Equal(Origin.Incomplete, second.Attributes.Origin);
        Assert.Equal(IPAddress.Parse("198.18.0.3"), second.NextHop);
    }

    [Fact]
    public void Rib_ipv6_unicast_takes_the_next_hop_from_the_abbreviated_mp_reach()
    {
        var attributes = Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65001), AbbreviatedMpReachAttribute(NextHop6, LinkLocal));
        var record = MrtFiles.Single<RibRecord>(Rib(TableDumpV2Subtype.RibIpv6Unicast, 1, IpPrefix.Parse("2001:db8:100::/40"), [new RibEntrySpec(1, 1_690_000_000, attributes)]));
        Assert.Equal(AfiSafi.Ipv6Unicast, record.Family);
        Assert.Equal(IpPrefix.Parse("2001:db8:100::/40"), record.Prefix);
        var entry = Assert.Single(record.Entries);
        Assert.Null(entry.Error);
        Assert.Null(entry.Attributes.NextHop);
        Assert.Equal(NextHop6, entry.NextHop);
        Assert.NotNull(entry.MpReach);
        Assert.Equal(NextHop6, entry.MpReach.NextHopAddress);
        Assert.Equal(LinkLocal, entry.MpReach.LinkLocalNextHop);
        Assert.Equal(AsPath.FromSequence(65001), entry.Attributes.AsPath);
    }

    [Theory]
    [InlineData(TableDumpV2Subtype.RibIpv4UnicastAddPath, "203.0.113.0/24")]
    [InlineData(TableDumpV2Subtype.RibIpv4MulticastAddPath, "233.252.0.0/24")]
    [InlineData(TableDumpV2Subtype.RibIpv6UnicastAddPath, "2001:db8::/32")]
    [InlineData(TableDumpV2Subtype.RibIpv6MulticastAddPath, "ff0e::/16")]
    public void Add_path_variants_carry_a_path_id_per_entry(TableDumpV2Subtype subtype, string prefix)
    {
        var ipv6 = prefix.Contains(':', StringComparison.Ordinal);
        var hop = ipv6 ? AbbreviatedMpReachAttribute(NextHop6) : NextHopAttribute(NextHop4);
        var attributes = Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65001), hop);
        var record = MrtFiles.Single<RibRecord>(Rib(subtype, 9, IpPrefix.Parse(prefix), [
            new RibEntrySpec(0, 1_690_000_000, attributes, PathId: 1),
            new RibEntrySpec(0, 1_690_000_001, attributes, PathId: 0xDEADBEEF),
        ]));
        Assert.True(record.HasAddPath);
        Assert.Equal(ipv6 ? Afi.Ipv6 : Afi.Ipv4, record.Family.Afi);
        Assert.Equal(IpPrefix.Parse(prefix), record.Prefix);
        Assert.Equal([1u, 0xDEADBEEF], record.Entries.Select(e => e.PathId).ToArray());
        Assert.All(record.Entries, e => Assert.Equal(ipv6 ? NextHop6 : NextHop4, e.NextHop));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_690_000_001), record.Entries[1].OriginatedTime);
    }

    [Theory]
    [InlineData(TableDumpV2Subtype.RibIpv4Multicast, Afi.Ipv4, Safi.Multicast)]
    [InlineData(TableDumpV2Subtype.RibIpv6Multicast, Afi.Ipv6, Safi.Multicast)]
    [InlineData(TableDumpV2Subtype.RibIpv4Unicast, Afi.Ipv4, Safi.Unicast)]
    [InlineData(TableDumpV2Subtype.RibIpv6Unicast, Afi.Ipv6, Safi.Unicast)]
    public void Each_rib_subtype_names_its_family_and_handles_a_default_route(TableDumpV2Subtype subtype, Afi afi, Safi safi)
    {
        var prefix = afi == Afi.Ipv4 ? IpPrefix.Parse("0.0.0.0/0") : IpPrefix.Parse("::/0");
        var record = MrtFiles.Single<RibRecord>(Rib(subtype, 0, prefix, []));
        Assert.Equal(new AfiSafi(afi, safi), record.Family);
        Assert.False(record.HasAddPath);
        Assert.Equal(prefix, record.Prefix);
        Assert.True(record.Entries.IsEmpty);
    }

    [Fact]
    public void Entries_whose_attributes_do_not_decode_still_surface_with_their_errors()
    {
        // The AS_PATH segment claims 5 ASes but carries 1: RFC 7606 §7.2 treat-as-withdraw, the rest decodes.
        var malformedPath = Attributes(OriginAttribute(Origin.Igp), Attribute(AttributeFlags.Transitive, AttributeType.AsPath, [2, 5, 0, 0, 0xFD, 0xE9]), NextHopAttribute(NextHop4));

        // MP_REACH_NLRI says 9 octets but 1 follows: RFC 7606 §3.j leaves nothing to decode.
        byte[] overrun = [.. OriginAttribute(Origin.Igp), 0x80, (byte)AttributeType.MpReachNlri, 9, 4];
        var record = MrtFiles.Single<RibRecord>(Rib(TableDumpV2Subtype.RibIpv4Unicast, 2, IpPrefix.Parse("198.51.100.0/24"), [
            new RibEntrySpec(0, 1_690_000_000, malformedPath),
            new RibEntrySpec(1, 1_690_000_000, overrun),
            new RibEntrySpec(2, 1_690_000_000, Ipv4Attributes(65002)),
        ]));
        Assert.Equal(3, record.Entries.Count);

        var withdrawn = record.Entries[0];
        Assert.Null(withdrawn.Error);
        var verdict = Assert.Single(withdrawn.AttributeErrors);
        Assert.Equal((byte)AttributeType.AsPath, verdict.AttributeType);
        Assert.Equal(AttributeErrorAction.TreatAsWithdraw, verdict.Action);
        Assert.Equal(Origin.Igp, withdrawn.Attributes.Origin);
        Assert.Equal(NextHop4, withdrawn.NextHop);
        Assert.True(withdrawn.RawAttributes.IsEmpty);

        var undecodable = record.Entries[1];
        Assert.Equal(1, undecodable.PeerIndex);
        Assert.NotNull(undecodable.Error);
        Assert.Equal(NotificationCode.UpdateMessageError, undecodable.Error.Code);
        Assert.Equal(overrun, undecodable.RawAttributes.ToArray());
        Assert.Same(PathAttributes.Empty, undecodable.Attributes);
        Assert.Null(undecodable.NextHop);

        var good = record.Entries[2];
        Assert.Null(good.Error);
        Assert.Equal(AsPath.FromSequence(65002), good.Attributes.AsPath);
    }

    [Fact]
    public void A_prefix_longer_than_its_family_allows_is_malformed()
    {
        var body = new MrtWriter.Octets().U32(1).U8(33).U32(0).U8(0).U16(0).ToArray();
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.RibIpv4Unicast, body));
        Assert.Contains("prefix length 33", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_overrunning_the_record_is_malformed()
    {
        var good = RibBody(TableDumpV2Subtype.RibIpv4Unicast, 1, IpPrefix.Parse("10.0.0.0/8"), [new RibEntrySpec(0, 1, Ipv4Attributes(65001))]);
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.RibIpv4Unicast, good.AsSpan(0, good.Length - 1)));
        Assert.Contains("entry 0 of 1", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Octets_after_the_last_entry_are_malformed()
    {
        var good = RibBody(TableDumpV2Subtype.RibIpv4Unicast, 1, IpPrefix.Parse("10.0.0.0/8"), [new RibEntrySpec(0, 1, Ipv4Attributes(65001))]);
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.RibIpv4Unicast, [.. good, 0]));
        Assert.Contains("1 octets follow", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_index_table_and_its_rib_records_read_back_from_a_bzip2_dump()
    {
        var file = File(
            PeerIndexTable(RouterId.Parse("192.0.2.254"), "", [new PeerSpec(RouterId.Parse("192.0.2.1"), NextHop4, 65001), new PeerSpec(RouterId.Parse("192.0.2.2"), NextHop6, 65002)]),
            Rib(TableDumpV2Subtype.RibIpv4Unicast, 0, IpPrefix.Parse("10.1.0.0/16"), [new RibEntrySpec(0, 1, Ipv4Attributes(65001))]),
            Rib(TableDumpV2Subtype.RibIpv6Unicast, 1, IpPrefix.Parse("2001:db8:1::/48"), [new RibEntrySpec(1, 1, Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65002), AbbreviatedMpReachAttribute(NextHop6)))]));
        var records = MrtFiles.ReadAll(MrtFiles.Bzip2(file));
        var table = Assert.IsType<PeerIndexTableRecord>(records[0]);
        var v4 = Assert.IsType<RibRecord>(records[1]);
        var v6 = Assert.IsType<RibRecord>(records[2]);
        Assert.True(table.TryGetPeer(v4.Entries[0].PeerIndex, out var peer4));
        Assert.Equal(65001u, peer4.PeerAs);
        Assert.True(table.TryGetPeer(v6.Entries[0].PeerIndex, out var peer6));
        Assert.Equal(NextHop6, peer6.PeerAddress);
        Assert.Equal(NextHop6, v6.Entries[0].NextHop);
    }
}
