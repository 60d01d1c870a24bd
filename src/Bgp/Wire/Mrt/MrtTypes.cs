namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>MRT record types (RFC 6396 §4, IANA "MRT Types"). Values not named here are kept as numbers.</summary>
#pragma warning disable CA1028 // the wire field is 16 bits
public enum MrtType : ushort
#pragma warning restore CA1028
{
    /// <summary>OSPFv2 (11).</summary>
    Ospfv2 = 11,

    /// <summary>TABLE_DUMP (12), the deprecated first RIB dump format.</summary>
    TableDump = 12,

    /// <summary>TABLE_DUMP_V2 (13, RFC 6396 §4.3).</summary>
    TableDumpV2 = 13,

    /// <summary>BGP4MP (16, RFC 6396 §4.4).</summary>
    Bgp4mp = 16,

    /// <summary>BGP4MP_ET (17, RFC 6396 §4.4): BGP4MP with a microsecond timestamp field.</summary>
    Bgp4mpEt = 17,

    /// <summary>ISIS (32).</summary>
    Isis = 32,

    /// <summary>ISIS_ET (33): ISIS with a microsecond timestamp field.</summary>
    IsisEt = 33,

    /// <summary>OSPFv3 (48).</summary>
    Ospfv3 = 48,

    /// <summary>OSPFv3_ET (49): OSPFv3 with a microsecond timestamp field.</summary>
    Ospfv3Et = 49,
}

/// <summary>BGP4MP and BGP4MP_ET subtypes (RFC 6396 §4.4, RFC 8050 §3).</summary>
#pragma warning disable CA1028 // the wire field is 16 bits
public enum Bgp4mpSubtype : ushort
#pragma warning restore CA1028
{
    /// <summary>BGP4MP_STATE_CHANGE (0): a peer state change, 2-octet AS numbers.</summary>
    StateChange = 0,

    /// <summary>BGP4MP_MESSAGE (1): a received message, 2-octet AS numbers.</summary>
    Message = 1,

    /// <summary>BGP4MP_MESSAGE_AS4 (4): a received message, 4-octet AS numbers.</summary>
    MessageAs4 = 4,

    /// <summary>BGP4MP_STATE_CHANGE_AS4 (5): a peer state change, 4-octet AS numbers.</summary>
    StateChangeAs4 = 5,

    /// <summary>BGP4MP_MESSAGE_LOCAL (6): a message sent by the local speaker, 2-octet AS numbers.</summary>
    MessageLocal = 6,

    /// <summary>BGP4MP_MESSAGE_AS4_LOCAL (7): a message sent by the local speaker, 4-octet AS numbers.</summary>
    MessageAs4Local = 7,

    /// <summary>BGP4MP_MESSAGE_ADDPATH (8, RFC 8050): a received message with ADD-PATH NLRI, 2-octet AS numbers.</summary>
    MessageAddPath = 8,

    /// <summary>BGP4MP_MESSAGE_AS4_ADDPATH (9, RFC 8050): a received message with ADD-PATH NLRI, 4-octet AS numbers.</summary>
    MessageAs4AddPath = 9,

    /// <summary>BGP4MP_MESSAGE_LOCAL_ADDPATH (10, RFC 8050): a sent message with ADD-PATH NLRI, 2-octet AS numbers.</summary>
    MessageLocalAddPath = 10,

    /// <summary>BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH (11, RFC 8050): a sent message with ADD-PATH NLRI, 4-octet AS numbers.</summary>
    MessageAs4LocalAddPath = 11,
}

/// <summary>TABLE_DUMP_V2 subtypes (RFC 6396 §4.3, RFC 8050 §3).</summary>
#pragma warning disable CA1028 // the wire field is 16 bits
public enum TableDumpV2Subtype : ushort
#pragma warning restore CA1028
{
    /// <summary>PEER_INDEX_TABLE (1).</summary>
    PeerIndexTable = 1,

    /// <summary>RIB_IPV4_UNICAST (2).</summary>
    RibIpv4Unicast = 2,

    /// <summary>RIB_IPV4_MULTICAST (3).</summary>
    RibIpv4Multicast = 3,

    /// <summary>RIB_IPV6_UNICAST (4).</summary>
    RibIpv6Unicast = 4,

    /// <summary>RIB_IPV6_MULTICAST (5).</summary>
    RibIpv6Multicast = 5,

    /// <summary>RIB_GENERIC (6).</summary>
    RibGeneric = 6,

    /// <summary>GEO_PEER_TABLE (7, RFC 6397).</summary>
    GeoPeerTable = 7,

    /// <summary>RIB_IPV4_UNICAST_ADDPATH (8, RFC 8050).</summary>
    RibIpv4UnicastAddPath = 8,

    /// <summary>RIB_IPV4_MULTICAST_ADDPATH (9, RFC 8050).</summary>
    RibIpv4MulticastAddPath = 9,

    /// <summary>RIB_IPV6_UNICAST_ADDPATH (10, RFC 8050).</summary>
    RibIpv6UnicastAddPath = 10,

    /// <summary>RIB_IPV6_MULTICAST_ADDPATH (11, RFC 8050).</summary>
    RibIpv6MulticastAddPath = 11,

    /// <summary>RIB_GENERIC_ADDPATH (12, RFC 8050).</summary>
    RibGenericAddPath = 12,
}

/// <summary>The BGP finite state machine states as BGP4MP_STATE_CHANGE records number them (RFC 6396 §4.4.1).</summary>
#pragma warning disable CA1028 // the wire field is 16 bits
public enum Bgp4mpPeerState : ushort
#pragma warning restore CA1028
{
    /// <summary>Idle (1).</summary>
    Idle = 1,

    /// <summary>Connect (2).</summary>
    Connect = 2,

    /// <summary>Active (3).</summary>
    Active = 3,

    /// <summary>OpenSent (4).</summary>
    OpenSent = 4,

    /// <summary>OpenConfirm (5).</summary>
    OpenConfirm = 5,

    /// <summary>Established (6).</summary>
    Established = 6,
}

/// <summary>The compression <see cref="MrtReader"/> found at the start of its input.</summary>
public enum MrtCompression
{
    /// <summary>Not known yet: nothing has been read.</summary>
    Unknown,

    /// <summary>Plain MRT records.</summary>
    None,

    /// <summary>gzip (magic 1F 8B).</summary>
    Gzip,

    /// <summary>bzip2 (magic <c>BZh</c>).</summary>
    Bzip2,
}
