using System.Net;

namespace BgpStack.Netlink.Routes;

/// <summary>One next hop of a route: a gateway, an interface, or both.</summary>
public sealed record NextHop
{
    /// <summary>The gateway (same family as the route), or null for a device route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The outgoing interface index, or 0 to let the kernel resolve it from the gateway.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The ECMP weight, 1 to 256 (only meaningful in multipath routes).</summary>
    public int Weight { get; init; } = 1;

    /// <summary>RTNH_F_ONLINK: the gateway is on the link even if no address says so (overlay tunnels).</summary>
    public bool OnLink { get; init; }
}
