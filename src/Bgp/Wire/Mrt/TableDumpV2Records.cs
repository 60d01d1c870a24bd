using System.Net;
using System.Text;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>One peer of a PEER_INDEX_TABLE (RFC 6396 §4.3.1).</summary>
/// <param name="PeerType">The peer type octet: bit 0 set for an IPv6 address, bit 1 set for a 4-octet AS.</param>
/// <param name="PeerBgpId">The peer's BGP Identifier.</param>
/// <param name="PeerAddress">The peer's address.</param>
/// <param name="PeerAs">The peer's AS number.</param>
public sealed record MrtPeerEntry(byte PeerType, RouterId PeerBgpId, IPAddress PeerAddress, uint PeerAs)
{
    /// <summary>The peer type bit that marks an IPv6 peer address.</summary>
    public const byte Ipv6AddressBit = 0x01;

    /// <summary>The peer type bit that marks a 4-octet peer AS.</summary>
    public const byte FourOctetAsBit = 0x02;

    /// <summary>True when the peer address is IPv6.</summary>
    public bool IsIpv6 => (PeerType & Ipv6AddressBit) != 0;

    /// <summary>True when the peer AS field is 4 octets.</summary>
    public bool IsFourOctetAs => (PeerType & FourOctetAsBit) != 0;

    /// <inheritdoc/>
    public override string ToString() => $"{PeerAddress} AS{PeerAs} id {PeerBgpId}";
}

/// <summary>
/// PEER_INDEX_TABLE (RFC 6396 §4.3.1): the collector and the peers that the RIB records of the same
/// dump refer to by index.
/// </summary>
public sealed record PeerIndexTableRecord : MrtRecord
{
    internal PeerIndexTableRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, RouterId collectorBgpId, string viewName, EquatableArray<MrtPeerEntry> peers)
        : base(timestamp, type, subtype)
    {
        CollectorBgpId = collectorBgpId;
        ViewName = viewName;
        Peers = peers;
    }

    /// <summary>The collector's BGP Identifier.</summary>
    public RouterId CollectorBgpId { get; }

    /// <summary>The view name (empty when there is none).</summary>
    public string ViewName { get; }

    /// <summary>The peers, in index order: a RIB entry's peer index selects one of them.</summary>
    public EquatableArray<MrtPeerEntry> Peers { get; }

    /// <summary>The peer a RIB entry refers to.</summary>
    /// <param name="peerIndex">The RIB entry's peer index.</param>
    /// <param name="peer">The peer.</param>
    /// <returns>False when the index is outside the table.</returns>
    public bool TryGetPeer(ushort peerIndex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MrtPeerEntry? peer)
    {
        peer = peerIndex < Peers.Count ? Peers[peerIndex] : null;
        return peer is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"PEER_INDEX_TABLE {Timestamp:O} collector {CollectorBgpId} view '{ViewName}' {Peers.Count} peers";
}

/// <summary>
/// One route of a RIB record (RFC 6396 §4.3.4, RFC 8050 §4): which peer it came from, when, its
/// path identifier for the ADD-PATH subtypes, and its attributes. An entry whose attributes do
/// not decode is still reported, with <see cref="Error"/> set and the raw attributes kept.
/// </summary>
public sealed record RibEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="peerIndex">The index into the dump's PEER_INDEX_TABLE.</param>
    /// <param name="originatedTime">When the route was received.</param>
    /// <param name="pathId">The ADD-PATH path identifier (0 for the subtypes without one).</param>
    public RibEntry(ushort peerIndex, DateTimeOffset originatedTime, uint pathId)
    {
        PeerIndex = peerIndex;
        OriginatedTime = originatedTime;
        PathId = pathId;
    }

    /// <summary>The index into the dump's PEER_INDEX_TABLE.</summary>
    public ushort PeerIndex { get; }

    /// <summary>When the route was received.</summary>
    public DateTimeOffset OriginatedTime { get; }

    /// <summary>The ADD-PATH path identifier (0 for the subtypes without one).</summary>
    public uint PathId { get; }

    /// <summary>The path attributes (empty when they did not decode; MP_REACH_NLRI is in <see cref="MpReach"/>).</summary>
    public PathAttributes Attributes { get; init; } = PathAttributes.Empty;

    /// <summary>The abbreviated MP_REACH_NLRI (next hop only, RFC 6396 §4.3.4), or null.</summary>
    public MpReachNlri? MpReach { get; init; }

    /// <summary>The next hop: NEXT_HOP, or else the global next hop of the abbreviated MP_REACH_NLRI; null when neither is there.</summary>
    public IPAddress? NextHop { get; init; }

    /// <summary>Malformed attributes that RFC 7606 lets a speaker survive, with the verdict on each.</summary>
    public EquatableArray<AttributeError> AttributeErrors { get; init; }

    /// <summary>Why the attributes did not decode at all, or null when they did.</summary>
    public BgpError? Error { get; init; }

    /// <summary>The attribute octets as found, kept only when <see cref="Error"/> is set.</summary>
    public EquatableArray<byte> RawAttributes { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"peer {PeerIndex}{(PathId != 0 ? $" path-id {PathId}" : "")} next-hop {NextHop} " + (Error is null ? Attributes.ToString() : $"undecodable: {Error}");
}

/// <summary>
/// RIB_IPV4_UNICAST, RIB_IPV4_MULTICAST, RIB_IPV6_UNICAST, RIB_IPV6_MULTICAST and their ADD-PATH
/// variants (RFC 6396 §4.3.2, RFC 8050 §4): every peer's route to one prefix.
/// </summary>
public sealed record RibRecord : MrtRecord
{
    internal RibRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, uint sequenceNumber, IpPrefix prefix, EquatableArray<RibEntry> entries)
        : base(timestamp, type, subtype)
    {
        SequenceNumber = sequenceNumber;
        Prefix = prefix;
        Entries = entries;
    }

    /// <summary>The subtype as a TABLE_DUMP_V2 subtype.</summary>
    public TableDumpV2Subtype TableDumpV2Subtype => (TableDumpV2Subtype)Subtype;

    /// <summary>The address family of the subtype.</summary>
    public AfiSafi Family => TableDumpV2Decoder.RibFamily(Subtype);

    /// <summary>True for the ADD-PATH subtypes, whose entries carry path identifiers.</summary>
    public bool HasAddPath => Subtype >= (ushort)TableDumpV2Subtype.RibIpv4UnicastAddPath;

    /// <summary>The record's sequence number within the dump.</summary>
    public uint SequenceNumber { get; }

    /// <summary>The prefix.</summary>
    public IpPrefix Prefix { get; }

    /// <summary>The routes to the prefix, one per peer (several per peer with ADD-PATH).</summary>
    public EquatableArray<RibEntry> Entries { get; }

    /// <inheritdoc/>
    public override string ToString() => $"RIB {Family} {Timestamp:O} #{SequenceNumber} {Prefix} {Entries.Count} entries";
}

/// <summary>
/// RIB_GENERIC and RIB_GENERIC_ADDPATH (RFC 6396 §4.3.3, RFC 8050 §4): a RIB record of any family,
/// whose NLRI and entries are kept as the raw body.
/// </summary>
public sealed record RibGenericRecord : MrtRecord
{
    internal RibGenericRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, uint sequenceNumber, AfiSafi family, ReadOnlySpan<byte> body)
        : base(timestamp, type, subtype)
    {
        SequenceNumber = sequenceNumber;
        Family = family;
        Body = EquatableArray.Create(body);
    }

    /// <summary>The record's sequence number within the dump.</summary>
    public uint SequenceNumber { get; }

    /// <summary>The address family named in the record.</summary>
    public AfiSafi Family { get; }

    /// <summary>The whole body after the common header: sequence number, AFI, SAFI, NLRI, entry count and entries.</summary>
    public EquatableArray<byte> Body { get; }

    /// <inheritdoc/>
    public override string ToString() => $"RIB_GENERIC {Family} {Timestamp:O} #{SequenceNumber} ({Body.Count} octets)";
}

/// <summary>Decodes TABLE_DUMP_V2 bodies (RFC 6396 §4.3, RFC 8050 §4).</summary>
internal static class TableDumpV2Decoder
{
    // RFC 6396 §4.3.4: attributes in RIB entries always carry 4-octet AS numbers.
    private static readonly CodecContext RibContext = new() { FourOctetAs = true, ExtendedMessage = true };

    public static AfiSafi RibFamily(ushort subtype) => (TableDumpV2Subtype)subtype switch
    {
        TableDumpV2Subtype.RibIpv4Unicast or TableDumpV2Subtype.RibIpv4UnicastAddPath => AfiSafi.Ipv4Unicast,
        TableDumpV2Subtype.RibIpv4Multicast or TableDumpV2Subtype.RibIpv4MulticastAddPath => new AfiSafi(Afi.Ipv4, Safi.Multicast),
        TableDumpV2Subtype.RibIpv6Unicast or TableDumpV2Subtype.RibIpv6UnicastAddPath => AfiSafi.Ipv6Unicast,
        _ => new AfiSafi(Afi.Ipv6, Safi.Multicast),
    };

    public static MrtRecord Decode(MrtHeader header, DateTimeOffset timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> record)
    {
        switch ((TableDumpV2Subtype)header.Subtype)
        {
            case TableDumpV2Subtype.PeerIndexTable:
                return DecodePeerIndexTable(header, timestamp, body, record);
            case TableDumpV2Subtype.RibIpv4Unicast or TableDumpV2Subtype.RibIpv4Multicast
                or TableDumpV2Subtype.RibIpv6Unicast or TableDumpV2Subtype.RibIpv6Multicast
                or TableDumpV2Subtype.RibIpv4UnicastAddPath or TableDumpV2Subtype.RibIpv4MulticastAddPath
                or TableDumpV2Subtype.RibIpv6UnicastAddPath or TableDumpV2Subtype.RibIpv6MulticastAddPath:
                return DecodeRib(header, timestamp, body, record);
            case TableDumpV2Subtype.RibGeneric or TableDumpV2Subtype.RibGenericAddPath:
                var reader = new MrtSpanReader(body);
                if (!reader.TryReadUInt32(out var sequence) || !reader.TryReadUInt16(out var afi) || !reader.TryReadByte(out var safi))
                {
                    return new MalformedMrtRecord(header, "the RIB_GENERIC body ends inside its sequence number, AFI or SAFI", record);
                }

                return new RibGenericRecord(timestamp, header.Type, header.Subtype, sequence, new AfiSafi((Afi)afi, (Safi)safi), body);
            default:
                return new UnknownMrtRecord(timestamp, header.Type, header.Subtype, body);
        }
    }

    private static MrtRecord DecodePeerIndexTable(MrtHeader header, DateTimeOffset timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> record)
    {
        var reader = new MrtSpanReader(body);
        if (!reader.TryReadUInt32(out var collector) || !reader.TryReadUInt16(out var viewNameLength)
            || !reader.TryReadBytes(viewNameLength, out var viewName) || !reader.TryReadUInt16(out var peerCount))
        {
            return new MalformedMrtRecord(header, "the PEER_INDEX_TABLE ends inside its collector, view name or peer count", record);
        }

        var peers = new MrtPeerEntry[peerCount];
        for (var i = 0; i < peers.Length; i++)
        {
            if (!reader.TryReadByte(out var peerType) || !reader.TryReadUInt32(out var bgpId)
                || !reader.TryReadAddress((peerType & MrtPeerEntry.Ipv6AddressBit) != 0, out var address)
                || !reader.TryReadAs((peerType & MrtPeerEntry.FourOctetAsBit) != 0, out var peerAs))
            {
                return new MalformedMrtRecord(header, $"the PEER_INDEX_TABLE ends inside peer {i} of {peerCount}", record);
            }

            peers[i] = new MrtPeerEntry(peerType, new RouterId(bgpId), address!, peerAs);
        }

        if (reader.Remaining != 0)
        {
            return new MalformedMrtRecord(header, $"{reader.Remaining} octets follow the last of {peerCount} peers", record);
        }

        return new PeerIndexTableRecord(timestamp, header.Type, header.Subtype, new RouterId(collector), Encoding.UTF8.GetString(viewName), peers);
    }

    private static MrtRecord DecodeRib(MrtHeader header, DateTimeOffset timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> record)
    {
        var family = RibFamily(header.Subtype);
        var addPath = header.Subtype >= (ushort)TableDumpV2Subtype.RibIpv4UnicastAddPath;
        var reader = new MrtSpanReader(body);
        if (!reader.TryReadUInt32(out var sequence) || !reader.TryReadByte(out var prefixLength))
        {
            return new MalformedMrtRecord(header, "the RIB record ends inside its sequence number or prefix length", record);
        }

        var ipv6 = family.Afi == Afi.Ipv6;
        var maxLength = ipv6 ? 128 : 32;
        if (prefixLength > maxLength)
        {
            return new MalformedMrtRecord(header, $"prefix length {prefixLength} is longer than {maxLength}", record);
        }

        if (!reader.TryReadBytes((prefixLength + 7) >> 3, out var prefixOctets))
        {
            return new MalformedMrtRecord(header, $"the RIB record ends inside its /{prefixLength} prefix", record);
        }

        // RFC 6396 §4.3.2: only the significant octets of the prefix are present.
        Span<byte> address = stackalloc byte[16];
        address.Clear();
        prefixOctets.CopyTo(address);
        var prefix = ipv6
            ? IpPrefix.FromIPv6(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(address), prefixLength)
            : IpPrefix.FromIPv4(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address), prefixLength);

        if (!reader.TryReadUInt16(out var entryCount))
        {
            return new MalformedMrtRecord(header, "the RIB record ends before its entry count", record);
        }

        var entries = new RibEntry[entryCount];
        for (var i = 0; i < entries.Length; i++)
        {
            uint pathId = 0;
            if (!reader.TryReadUInt16(out var peerIndex) || !reader.TryReadUInt32(out var originated)
                || (addPath && !reader.TryReadUInt32(out pathId))
                || !reader.TryReadUInt16(out var attributeLength) || !reader.TryReadBytes(attributeLength, out var attributes))
            {
                return new MalformedMrtRecord(header, $"the RIB record ends inside entry {i} of {entryCount}", record);
            }

            entries[i] = DecodeEntry(peerIndex, originated, pathId, attributes);
        }

        if (reader.Remaining != 0)
        {
            return new MalformedMrtRecord(header, $"{reader.Remaining} octets follow the last of {entryCount} RIB entries", record);
        }

        return new RibRecord(timestamp, header.Type, header.Subtype, sequence, prefix, entries);
    }

    private static RibEntry DecodeEntry(ushort peerIndex, uint originated, uint pathId, ReadOnlySpan<byte> attributes)
    {
        var originatedTime = DateTimeOffset.FromUnixTimeSeconds(originated);
        var result = PathAttributeCodec.Decode(attributes, RibContext, mrtRibEntry: true);
        if (!result.TryGetValue(out var block, out var error))
        {
            return new RibEntry(peerIndex, originatedTime, pathId) { Error = error, RawAttributes = EquatableArray.Create(attributes) };
        }

        return new RibEntry(peerIndex, originatedTime, pathId)
        {
            Attributes = block.Attributes,
            MpReach = block.MpReach,
            NextHop = block.Attributes.NextHop ?? block.MpReach?.NextHopAddress,
            AttributeErrors = block.Errors,
        };
    }
}
