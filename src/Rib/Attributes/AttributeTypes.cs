namespace BgpStack.Rib;

/// <summary>Path attribute flags (RFC 4271 §4.3).</summary>
[Flags]
#pragma warning disable CA1028 // the wire field is 8 bits
public enum AttributeFlags : byte
#pragma warning restore CA1028
{
    /// <summary>No flag: well-known, non-transitive (never valid alone for a well-known attribute).</summary>
    None = 0,

    /// <summary>The length field is two octets.</summary>
    ExtendedLength = 0x10,

    /// <summary>An optional transitive attribute passed through by a speaker that does not recognise it.</summary>
    Partial = 0x20,

    /// <summary>Transitive.</summary>
    Transitive = 0x40,

    /// <summary>Optional.</summary>
    Optional = 0x80,
}

/// <summary>Path attribute type codes (IANA "BGP Path Attributes").</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum AttributeType : byte
#pragma warning restore CA1028
{
    /// <summary>ORIGIN (1).</summary>
    Origin = 1,

    /// <summary>AS_PATH (2).</summary>
    AsPath = 2,

    /// <summary>NEXT_HOP (3).</summary>
    NextHop = 3,

    /// <summary>MULTI_EXIT_DISC (4).</summary>
    MultiExitDisc = 4,

    /// <summary>LOCAL_PREF (5).</summary>
    LocalPref = 5,

    /// <summary>ATOMIC_AGGREGATE (6).</summary>
    AtomicAggregate = 6,

    /// <summary>AGGREGATOR (7).</summary>
    Aggregator = 7,

    /// <summary>COMMUNITIES (8, RFC 1997).</summary>
    Communities = 8,

    /// <summary>ORIGINATOR_ID (9, RFC 4456).</summary>
    OriginatorId = 9,

    /// <summary>CLUSTER_LIST (10, RFC 4456).</summary>
    ClusterList = 10,

    /// <summary>MP_REACH_NLRI (14, RFC 4760).</summary>
    MpReachNlri = 14,

    /// <summary>MP_UNREACH_NLRI (15, RFC 4760).</summary>
    MpUnreachNlri = 15,

    /// <summary>EXTENDED COMMUNITIES (16, RFC 4360).</summary>
    ExtendedCommunities = 16,

    /// <summary>AS4_PATH (17, RFC 6793).</summary>
    As4Path = 17,

    /// <summary>AS4_AGGREGATOR (18, RFC 6793).</summary>
    As4Aggregator = 18,

    /// <summary>IPv6 Address Specific Extended Community (25, RFC 5701).</summary>
    Ipv6ExtendedCommunities = 25,

    /// <summary>LARGE_COMMUNITY (32, RFC 8092).</summary>
    LargeCommunities = 32,
}

/// <summary>The ORIGIN attribute's values (RFC 4271 §5.1.1).</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum Origin : byte
#pragma warning restore CA1028
{
    /// <summary>Learned from an interior protocol.</summary>
    Igp = 0,

    /// <summary>Learned from EGP.</summary>
    Egp = 1,

    /// <summary>Learned some other way.</summary>
    Incomplete = 2,
}

/// <summary>AS_PATH segment types (RFC 4271 §4.3, RFC 5065).</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum AsPathSegmentType : byte
#pragma warning restore CA1028
{
    /// <summary>An unordered set of ASes.</summary>
    AsSet = 1,

    /// <summary>An ordered sequence of ASes.</summary>
    AsSequence = 2,

    /// <summary>An ordered sequence of member ASes within a confederation.</summary>
    AsConfedSequence = 3,

    /// <summary>An unordered set of member ASes within a confederation.</summary>
    AsConfedSet = 4,
}

/// <summary>A path attribute this codec does not interpret, kept with its flags and raw value.</summary>
/// <param name="Flags">The flags as received (Partial set when propagated by a speaker that did not recognise it).</param>
/// <param name="TypeCode">The type code.</param>
/// <param name="Value">The raw value.</param>
public readonly record struct RawAttribute(AttributeFlags Flags, byte TypeCode, EquatableArray<byte> Value)
{
    /// <summary>True for an optional transitive attribute, which is passed on to other peers.</summary>
    public bool IsOptionalTransitive => (Flags & (AttributeFlags.Optional | AttributeFlags.Transitive)) == (AttributeFlags.Optional | AttributeFlags.Transitive);

    /// <inheritdoc/>
    public override string ToString() => $"attribute {TypeCode} flags 0x{(byte)Flags:x2} {Convert.ToHexString(Value.AsSpan())}";
}
