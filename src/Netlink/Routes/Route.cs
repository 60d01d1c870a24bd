using System.Net;
using BgpStack.Rib;

namespace BgpStack.Netlink.Routes;

/// <summary>A kernel route (IPv4 or IPv6 unicast table entry).</summary>
public sealed record Route
{
    /// <summary>The destination prefix.</summary>
    public required IpPrefix Destination { get; init; }

    /// <summary>The route type.</summary>
    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>The table id (254 is main); ids above 255 go in RTA_TABLE.</summary>
    public uint Table { get; init; } = 254;

    /// <summary>The protocol number (rtm_protocol); ours by default.</summary>
    public byte Protocol { get; init; } = RouteProtocol.BgpStack;

    /// <summary>The scope, or null to choose: link for a unicast route whose next hops are all devices, else universe.</summary>
    public RouteScope? Scope { get; init; }

    /// <summary>The metric (RTA_PRIORITY), or null for the kernel's default.</summary>
    public uint? Metric { get; init; }

    /// <summary>The preferred source address (RTA_PREFSRC), or null.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The next hops: one for a plain route, several for ECMP (RTA_MULTIPATH); none for blackhole and friends.</summary>
    public EquatableArray<NextHop> NextHops { get; init; }

    /// <summary>A nexthop object id (RTA_NH_ID) used instead of <see cref="NextHops"/>, or null.</summary>
    public uint? NextHopId { get; init; }

    /// <summary>The scope this route is sent with.</summary>
    public RouteScope EffectiveScope =>
        Scope ?? (Type == RouteType.Unicast && NextHopId is null && !NextHops.IsEmpty && NextHops.All(n => n.Gateway is null)
            ? RouteScope.Link
            : RouteScope.Universe);
}
