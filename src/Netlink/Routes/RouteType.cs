namespace BgpStack.Netlink.Routes;

/// <summary>The kernel route types BgpStack installs (rtm_type, linux/rtnetlink.h RTN_*).</summary>
public enum RouteType : byte
{
    /// <summary>RTN_UNICAST: forward through the next hops.</summary>
    Unicast = 1,

    /// <summary>RTN_LOCAL: a local address (seen in dumps of the local table).</summary>
    Local = 2,

    /// <summary>RTN_BROADCAST (seen in dumps).</summary>
    Broadcast = 3,

    /// <summary>RTN_ANYCAST (seen in dumps).</summary>
    Anycast = 4,

    /// <summary>RTN_MULTICAST (seen in dumps).</summary>
    Multicast = 5,

    /// <summary>RTN_BLACKHOLE: drop silently (locally originated aggregates).</summary>
    Blackhole = 6,

    /// <summary>RTN_UNREACHABLE: drop with ICMP unreachable.</summary>
    Unreachable = 7,

    /// <summary>RTN_PROHIBIT: drop with ICMP administratively prohibited.</summary>
    Prohibit = 8,
}
