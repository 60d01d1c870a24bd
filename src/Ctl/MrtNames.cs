using System.Globalization;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Ctl;

/// <summary>Names of MRT types, subtypes and times as the <c>mrt dump</c> output spells them.</summary>
public static class MrtNames
{
    /// <summary>The record type as its RFC 6396 name, such as <c>BGP4MP</c> or <c>TABLE_DUMP_V2</c>.</summary>
    /// <param name="type">The type.</param>
    public static string Type(MrtType type) => type switch
    {
        MrtType.Ospfv2 => "OSPFv2",
        MrtType.TableDump => "TABLE_DUMP",
        MrtType.TableDumpV2 => "TABLE_DUMP_V2",
        MrtType.Bgp4mp => "BGP4MP",
        MrtType.Bgp4mpEt => "BGP4MP_ET",
        MrtType.Isis => "ISIS",
        MrtType.IsisEt => "ISIS_ET",
        MrtType.Ospfv3 => "OSPFv3",
        MrtType.Ospfv3Et => "OSPFv3_ET",
        _ => ((ushort)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The subtype as its RFC 6396 / RFC 8050 name where the type is one this tool reads.</summary>
    /// <param name="type">The type.</param>
    /// <param name="subtype">The subtype.</param>
    public static string Subtype(MrtType type, ushort subtype) => type switch
    {
        MrtType.Bgp4mp or MrtType.Bgp4mpEt => (Bgp4mpSubtype)subtype switch
        {
            Bgp4mpSubtype.StateChange => "STATE_CHANGE",
            Bgp4mpSubtype.Message => "MESSAGE",
            Bgp4mpSubtype.MessageAs4 => "MESSAGE_AS4",
            Bgp4mpSubtype.StateChangeAs4 => "STATE_CHANGE_AS4",
            Bgp4mpSubtype.MessageLocal => "MESSAGE_LOCAL",
            Bgp4mpSubtype.MessageAs4Local => "MESSAGE_AS4_LOCAL",
            Bgp4mpSubtype.MessageAddPath => "MESSAGE_ADDPATH",
            Bgp4mpSubtype.MessageAs4AddPath => "MESSAGE_AS4_ADDPATH",
            Bgp4mpSubtype.MessageLocalAddPath => "MESSAGE_LOCAL_ADDPATH",
            Bgp4mpSubtype.MessageAs4LocalAddPath => "MESSAGE_AS4_LOCAL_ADDPATH",
            _ => subtype.ToString(CultureInfo.InvariantCulture),
        },
        MrtType.TableDumpV2 => subtype switch
        {
            1 => "PEER_INDEX_TABLE",
            2 => "RIB_IPV4_UNICAST",
            3 => "RIB_IPV4_MULTICAST",
            4 => "RIB_IPV6_UNICAST",
            5 => "RIB_IPV6_MULTICAST",
            6 => "RIB_GENERIC",
            8 => "RIB_IPV4_UNICAST_ADDPATH",
            9 => "RIB_IPV4_MULTICAST_ADDPATH",
            10 => "RIB_IPV6_UNICAST_ADDPATH",
            11 => "RIB_IPV6_MULTICAST_ADDPATH",
            12 => "RIB_GENERIC_ADDPATH",
            _ => subtype.ToString(CultureInfo.InvariantCulture),
        },
        _ => subtype.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The BGP FSM state of a BGP4MP state change (RFC 6396 §4.4.1).</summary>
    /// <param name="state">The state.</param>
    public static string State(Bgp4mpPeerState state) => state switch
    {
        Bgp4mpPeerState.Idle => "Idle",
        Bgp4mpPeerState.Connect => "Connect",
        Bgp4mpPeerState.Active => "Active",
        Bgp4mpPeerState.OpenSent => "OpenSent",
        Bgp4mpPeerState.OpenConfirm => "OpenConfirm",
        Bgp4mpPeerState.Established => "Established",
        _ => ((ushort)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A time in UTC as ISO 8601 with as many fraction digits as it has, such as <c>2023-11-14T22:13:20Z</c>.</summary>
    /// <param name="time">The time.</param>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);
}
