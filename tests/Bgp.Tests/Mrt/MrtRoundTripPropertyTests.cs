using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using FsCheck;
using FsCheck.Fluent;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>Whatever the writer builds, the reader gives back: RIB records and peer tables as models.</summary>
public class MrtRoundTripPropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly TableDumpV2Subtype[] RibSubtypes =
    [
        TableDumpV2Subtype.RibIpv4Unicast, TableDumpV2Subtype.RibIpv4Multicast, TableDumpV2Subtype.RibIpv6Unicast, TableDumpV2Subtype.RibIpv6Multicast,
        TableDumpV2Subtype.RibIpv4UnicastAddPath, TableDumpV2Subtype.RibIpv4MulticastAddPath, TableDumpV2Subtype.RibIpv6UnicastAddPath, TableDumpV2Subtype.RibIpv6MulticastAddPath,
    ];

    private static Gen<uint> AnyUInt32() =>
        Gen.Choose(0, ushort.MaxValue).SelectMany(high => Gen.Choose(0, ushort.MaxValue).Select(low => ((uint)high << 16) | (uint)low));

    private static Gen<UInt128> AnyUInt128() =>
        Gen.ArrayOf(AnyUInt32(), 4).Select(w => ((UInt128)w[0] << 96) | ((UInt128)w[1] << 64) | ((UInt128)w[2] << 32) | w[3]);

    private static Gen<IpPrefix> Prefix(bool ipv6) => ipv6
        ? AnyUInt128().SelectMany(bits => Gen.Choose(0, 128).Select(length => IpPrefix.FromIPv6(bits, length)))
        : AnyUInt32().SelectMany(bits => Gen.Choose(0, 32).Select(length => IpPrefix.FromIPv4(bits, length)));

    private sealed record EntryModel(ushort PeerIndex, uint Originated, uint PathId, Origin Origin, uint[] Path, uint Med);

    private static Gen<EntryModel> Entry(bool addPath) =>
        from peer in Gen.Choose(0, ushort.MaxValue)
        from originated in AnyUInt32()
        from pathId in addPath ? AnyUInt32() : Gen.Constant(0u)
        from origin in Gen.Elements(Origin.Igp, Origin.Egp, Origin.Incomplete)
        from pathLength in Gen.Choose(0, 12)
        from path in Gen.ArrayOf(AnyUInt32().Where(asn => asn != 0), pathLength)
        from med in AnyUInt32()
        select new EntryModel((ushort)peer, originated, pathId, origin, path, med);

    [Fact]
    public void Rib_records_decode_to_what_was_written()
    {
        var gen =
            from subtype in Gen.Elements(RibSubtypes)
            let ipv6 = subtype is TableDumpV2Subtype.RibIpv6Unicast or TableDumpV2Subtype.RibIpv6Multicast or TableDumpV2Subtype.RibIpv6UnicastAddPath or TableDumpV2Subtype.RibIpv6MulticastAddPath
            let addPath = (ushort)subtype >= (ushort)TableDumpV2Subtype.RibIpv4UnicastAddPath
            from sequence in AnyUInt32()
            from prefix in Prefix(ipv6)
            from count in Gen.Choose(0, 6)
            from entries in Gen.ArrayOf(Entry(addPath), count)
            select (subtype, ipv6, sequence, prefix, entries);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var (subtype, ipv6, sequence, prefix, entries) = sample;
            var nextHop = ipv6 ? IPAddress.Parse("2001:db8::1") : IPAddress.Parse("198.18.0.1");
            var hop = ipv6 ? AbbreviatedMpReachAttribute(nextHop) : NextHopAttribute(nextHop);
            var specs = entries.Select(e => new RibEntrySpec(e.PeerIndex, e.Originated, Attributes(OriginAttribute(e.Origin), AsPathAttribute(true, e.Path), hop, MedAttribute(e.Med)), e.PathId)).ToArray();
            var record = Assert.IsType<RibRecord>(MrtRecord.Decode(Rib(subtype, sequence, prefix, specs)));
            Assert.Equal(subtype, record.TableDumpV2Subtype);
            Assert.Equal(sequence, record.SequenceNumber);
            Assert.Equal(prefix, record.Prefix);
            Assert.Equal(entries.Length, record.Entries.Count);
            for (var i = 0; i < entries.Length; i++)
            {
                var expected = entries[i];
                var actual = record.Entries[i];
                Assert.Equal(expected.PeerIndex, actual.PeerIndex);
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected.Originated), actual.OriginatedTime);
                Assert.Equal(expected.PathId, actual.PathId);
                Assert.Null(actual.Error);
                Assert.Empty(actual.AttributeErrors);
                Assert.Equal(expected.Origin, actual.Attributes.Origin);
                Assert.Equal(AsPath.FromSequence(expected.Path), actual.Attributes.AsPath);
                Assert.Equal(expected.Med, actual.Attributes.MultiExitDisc);
                Assert.Equal(nextHop, actual.NextHop);
            }
        }));
    }

    [Fact]
    public void Peer_index_tables_decode_to_what_was_written()
    {
        var peer =
            from id in AnyUInt32()
            from ipv6 in Gen.Elements(false, true)
            from v4 in AnyUInt32()
            from v6 in AnyUInt128()
            from fourOctet in Gen.Elements(false, true)
            from asn in fourOctet ? AnyUInt32() : Gen.Choose(0, ushort.MaxValue).Select(a => (uint)a)
            select new PeerSpec(new RouterId(id), ipv6 ? IpPrefix.FromIPv6(v6, 128).Address : IpPrefix.FromIPv4(v4, 32).Address, asn, fourOctet);
        var gen =
            from collector in AnyUInt32()
            from name in Gen.Elements("", "rrc00", "route-views2", "vue é")
            from count in Gen.Choose(0, 20)
            from peers in Gen.ArrayOf(peer, count)
            select (collector, name, peers);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var record = Assert.IsType<PeerIndexTableRecord>(MrtRecord.Decode(PeerIndexTable(new RouterId(sample.collector), sample.name, sample.peers)));
            Assert.Equal(new RouterId(sample.collector), record.CollectorBgpId);
            Assert.Equal(sample.name, record.ViewName);
            Assert.Equal(sample.peers.Length, record.Peers.Count);
            for (var i = 0; i < sample.peers.Length; i++)
            {
                var expected = sample.peers[i];
                var actual = record.Peers[i];
                Assert.Equal(expected.BgpId, actual.PeerBgpId);
                Assert.Equal(expected.Address, actual.PeerAddress);
                Assert.Equal(expected.Asn, actual.PeerAs);
                Assert.Equal(expected.FourOctetAs, actual.IsFourOctetAs);
                Assert.Equal(expected.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, actual.IsIpv6);
            }
        }));
    }
}
