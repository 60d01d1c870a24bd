using System.Buffers.Binary;
using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>One RIB entry to write: peer index, originated time, path identifier (ADD-PATH subtypes only) and attribute octets.</summary>
internal sealed record RibEntrySpec(ushort PeerIndex, uint Originated, byte[] Attributes, uint PathId = 0);

/// <summary>One PEER_INDEX_TABLE entry to write.</summary>
internal sealed record PeerSpec(RouterId BgpId, IPAddress Address, uint Asn, bool FourOctetAs = true);

/// <summary>
/// Writes MRT records (RFC 6396, RFC 8050) and the BGP messages and attributes inside them, octet by
/// octet, independently of the library's encoders, so tests can build files for the reader.
/// </summary>
internal static class MrtWriter
{
    /// <summary>A big-endian octet builder.</summary>
    internal sealed class Octets
    {
        private readonly List<byte> bytes = [];

        public int Count => bytes.Count;

        public Octets U8(int value)
        {
            bytes.Add((byte)value);
            return this;
        }

        public Octets U16(int value)
        {
            bytes.Add((byte)(value >> 8));
            bytes.Add((byte)value);
            return this;
        }

        public Octets U32(uint value)
        {
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(four, value);
            bytes.AddRange(four);
            return this;
        }

        public Octets As(uint value, bool fourOctet) => fourOctet ? U32(value) : U16((int)value);

        public Octets Bytes(ReadOnlySpan<byte> value)
        {
            bytes.AddRange(value);
            return this;
        }

        public Octets Address(IPAddress address) => Bytes(address.GetAddressBytes());

        public byte[] ToArray() => [.. bytes];
    }

    /// <summary>A whole record: common header, the microsecond field for the _ET types, the body.</summary>
    public static byte[] Record(uint seconds, MrtType type, ushort subtype, ReadOnlySpan<byte> body, uint? microseconds = null)
    {
        var o = new Octets().U32(seconds).U16((ushort)type).U16(subtype)
            .U32((uint)(body.Length + (microseconds is null ? 0 : 4)));
        if (microseconds is { } us)
        {
            o.U32(us);
        }

        return o.Bytes(body).ToArray();
    }

    /// <summary>Concatenates records into one file image.</summary>
    public static byte[] File(params byte[][] records) => [.. records.SelectMany(r => r)];

    private static Octets Bgp4mpPeer(bool as4, uint peerAs, uint localAs, ushort interfaceIndex, IPAddress peer, IPAddress local) =>
        new Octets().As(peerAs, as4).As(localAs, as4).U16(interfaceIndex)
            .U16(peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 2 : 1)
            .Address(peer).Address(local);

    /// <summary>A BGP4MP (or, with microseconds, BGP4MP_ET) message record.</summary>
    public static byte[] Bgp4mpMessage(Bgp4mpSubtype subtype, uint peerAs, uint localAs, IPAddress peer, IPAddress local, byte[] message, uint seconds = 1_700_000_000, ushort interfaceIndex = 0, uint? microseconds = null)
    {
        var as4 = subtype is Bgp4mpSubtype.MessageAs4 or Bgp4mpSubtype.MessageAs4Local or Bgp4mpSubtype.MessageAs4AddPath or Bgp4mpSubtype.MessageAs4LocalAddPath;
        var body = Bgp4mpPeer(as4, peerAs, localAs, interfaceIndex, peer, local).Bytes(message).ToArray();
        return Record(seconds, microseconds is null ? MrtType.Bgp4mp : MrtType.Bgp4mpEt, (ushort)subtype, body, microseconds);
    }

    /// <summary>A BGP4MP(_ET) STATE_CHANGE or STATE_CHANGE_AS4 record.</summary>
    public static byte[] Bgp4mpStateChange(bool as4, uint peerAs, uint localAs, IPAddress peer, IPAddress local, ushort oldState, ushort newState, uint seconds = 1_700_000_000, ushort interfaceIndex = 0, uint? microseconds = null)
    {
        var body = Bgp4mpPeer(as4, peerAs, localAs, interfaceIndex, peer, local).U16(oldState).U16(newState).ToArray();
        var subtype = as4 ? Bgp4mpSubtype.StateChangeAs4 : Bgp4mpSubtype.StateChange;
        return Record(seconds, microseconds is null ? MrtType.Bgp4mp : MrtType.Bgp4mpEt, (ushort)subtype, body, microseconds);
    }

    /// <summary>A TABLE_DUMP_V2 PEER_INDEX_TABLE record.</summary>
    public static byte[] PeerIndexTable(RouterId collector, string viewName, IReadOnlyList<PeerSpec> peers, uint seconds = 1_700_000_000)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(viewName);
        var o = new Octets().U32(collector.Value).U16(name.Length).Bytes(name).U16(peers.Count);
        foreach (var peer in peers)
        {
            var ipv6 = peer.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            o.U8((ipv6 ? MrtPeerEntry.Ipv6AddressBit : 0) | (peer.FourOctetAs ? MrtPeerEntry.FourOctetAsBit : 0))
                .U32(peer.BgpId.Value).Address(peer.Address).As(peer.Asn, peer.FourOctetAs);
        }

        return Record(seconds, MrtType.TableDumpV2, (ushort)TableDumpV2Subtype.PeerIndexTable, o.ToArray());
    }

    /// <summary>The body of a TABLE_DUMP_V2 RIB record (any of the AFI/SAFI-specific subtypes).</summary>
    public static byte[] RibBody(TableDumpV2Subtype subtype, uint sequence, IpPrefix prefix, IReadOnlyList<RibEntrySpec> entries)
    {
        var addPath = (ushort)subtype >= (ushort)TableDumpV2Subtype.RibIpv4UnicastAddPath;
        var o = new Octets().U32(sequence).Bytes(PrefixOctets(prefix)).U16(entries.Count);
        foreach (var entry in entries)
        {
            o.U16(entry.PeerIndex).U32(entry.Originated);
            if (addPath)
            {
                o.U32(entry.PathId);
            }

            o.U16(entry.Attributes.Length).Bytes(entry.Attributes);
        }

        return o.ToArray();
    }

    /// <summary>A TABLE_DUMP_V2 RIB record.</summary>
    public static byte[] Rib(TableDumpV2Subtype subtype, uint sequence, IpPrefix prefix, IReadOnlyList<RibEntrySpec> entries, uint seconds = 1_700_000_000) =>
        Record(seconds, MrtType.TableDumpV2, (ushort)subtype, RibBody(subtype, sequence, prefix, entries));

    /// <summary>A prefix as NLRI: length octet, then the significant address octets.</summary>
    public static byte[] PrefixOctets(IpPrefix prefix)
    {
        var octets = new byte[1 + prefix.WireOctets];
        octets[0] = (byte)prefix.Length;
        prefix.WriteAddressOctets(octets.AsSpan(1));
        return octets;
    }

    /// <summary>NLRI with an optional ADD-PATH path identifier in front (RFC 7911 §3).</summary>
    public static byte[] Nlri(IpPrefix prefix, uint? pathId = null)
    {
        var o = new Octets();
        if (pathId is { } id)
        {
            o.U32(id);
        }

        return o.Bytes(PrefixOctets(prefix)).ToArray();
    }

    /// <summary>One path attribute, with the extended-length flag when the value needs it.</summary>
    public static byte[] Attribute(AttributeFlags flags, AttributeType type, ReadOnlySpan<byte> value)
    {
        var o = new Octets();
        if (value.Length > 255)
        {
            o.U8((byte)(flags | AttributeFlags.ExtendedLength)).U8((byte)type).U16(value.Length);
        }
        else
        {
            o.U8((byte)flags).U8((byte)type).U8(value.Length);
        }

        return o.Bytes(value).ToArray();
    }

    public static byte[] OriginAttribute(Origin origin) => Attribute(AttributeFlags.Transitive, AttributeType.Origin, [(byte)origin]);

    /// <summary>AS_PATH of one AS_SEQUENCE with 2- or 4-octet AS numbers.</summary>
    public static byte[] AsPathAttribute(bool fourOctet, params uint[] asns) =>
        Attribute(AttributeFlags.Transitive, AttributeType.AsPath, SequenceSegment(fourOctet, asns));

    /// <summary>AS4_PATH (RFC 6793) of one AS_SEQUENCE.</summary>
    public static byte[] As4PathAttribute(params uint[] asns) =>
        Attribute(AttributeFlags.Optional | AttributeFlags.Transitive, AttributeType.As4Path, SequenceSegment(true, asns));

    private static byte[] SequenceSegment(bool fourOctet, uint[] asns)
    {
        if (asns.Length == 0)
        {
            return []; // an empty path has no segments (a zero-length segment is malformed, RFC 7606 §7.2)
        }

        var o = new Octets().U8((byte)AsPathSegmentType.AsSequence).U8(asns.Length);
        foreach (var asn in asns)
        {
            o.As(asn, fourOctet);
        }

        return o.ToArray();
    }

    public static byte[] NextHopAttribute(IPAddress nextHop) => Attribute(AttributeFlags.Transitive, AttributeType.NextHop, nextHop.GetAddressBytes());

    public static byte[] MedAttribute(uint med) => Attribute(AttributeFlags.Optional, AttributeType.MultiExitDisc, new Octets().U32(med).ToArray());

    public static byte[] CommunitiesAttribute(params uint[] communities)
    {
        var o = new Octets();
        foreach (var community in communities)
        {
            o.U32(community);
        }

        return Attribute(AttributeFlags.Optional | AttributeFlags.Transitive, AttributeType.Communities, o.ToArray());
    }

    /// <summary>The abbreviated MP_REACH_NLRI of a RIB entry (RFC 6396 §4.3.4): next-hop length and next hop only.</summary>
    public static byte[] AbbreviatedMpReachAttribute(IPAddress nextHop, IPAddress? linkLocal = null)
    {
        var hop = new Octets().Address(nextHop);
        if (linkLocal is not null)
        {
            hop.Address(linkLocal);
        }

        var value = hop.ToArray();
        return Attribute(AttributeFlags.Optional, AttributeType.MpReachNlri, new Octets().U8(value.Length).Bytes(value).ToArray());
    }

    /// <summary>A full MP_REACH_NLRI (RFC 4760 §3) as it travels in an UPDATE.</summary>
    public static byte[] MpReachAttribute(AfiSafi family, IPAddress nextHop, params byte[][] nlri)
    {
        var hop = nextHop.GetAddressBytes();
        var o = new Octets().U16((ushort)family.Afi).U8((byte)family.Safi).U8(hop.Length).Bytes(hop).U8(0);
        foreach (var n in nlri)
        {
            o.Bytes(n);
        }

        return Attribute(AttributeFlags.Optional, AttributeType.MpReachNlri, o.ToArray());
    }

    /// <summary>Concatenates attributes into a block.</summary>
    public static byte[] Attributes(params byte[][] attributes) => [.. attributes.SelectMany(a => a)];

    /// <summary>A whole BGP message: marker, length, type, body.</summary>
    public static byte[] Message(BgpMessageType type, ReadOnlySpan<byte> body)
    {
        var o = new Octets();
        for (var i = 0; i < 16; i++)
        {
            o.U8(0xFF);
        }

        return o.U16(19 + body.Length).U8((byte)type).Bytes(body).ToArray();
    }

    /// <summary>A whole UPDATE message (RFC 4271 §4.3).</summary>
    public static byte[] Update(byte[] withdrawn, byte[] attributes, byte[] nlri) =>
        Message(BgpMessageType.Update, new Octets().U16(withdrawn.Length).Bytes(withdrawn).U16(attributes.Length).Bytes(attributes).Bytes(nlri).ToArray());

    public static byte[] Keepalive() => Message(BgpMessageType.Keepalive, []);

    /// <summary>An OPEN (RFC 4271 §4.2) with its capabilities in one Capabilities optional parameter (RFC 5492).</summary>
    public static byte[] Open(ushort myAs, ushort holdTime, RouterId bgpId, params byte[][] capabilities)
    {
        var caps = capabilities.SelectMany(c => c).ToArray();
        var o = new Octets().U8(4).U16(myAs).U16(holdTime).U32(bgpId.Value);
        if (caps.Length == 0)
        {
            o.U8(0);
        }
        else
        {
            o.U8(caps.Length + 2).U8(2).U8(caps.Length).Bytes(caps);
        }

        return Message(BgpMessageType.Open, o.ToArray());
    }

    /// <summary>The 4-octet AS number capability (RFC 6793, code 65).</summary>
    public static byte[] FourOctetAsCapability(uint asn) => new Octets().U8(65).U8(4).U32(asn).ToArray();
}
