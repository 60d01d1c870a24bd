using System.Net;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Nexthops;

/// <summary>A member of a nexthop group: another nexthop object's id and its weight.</summary>
/// <param name="Id">The member's id.</param>
/// <param name="Weight">The weight, 1 to 256.</param>
public sealed record NextHopGroupMember(uint Id, int Weight = 1);

/// <summary>
/// A kernel nexthop object (RTM_NEWNEXTHOP): a gateway and/or device, a blackhole, or a group of
/// other nexthops for ECMP. Routes point at one with <see cref="Route.NextHopId"/>, so changing a
/// next hop rewrites one object rather than every route through it.
/// </summary>
public sealed record NextHopObject
{
    /// <summary>The id (NHA_ID), non-zero.</summary>
    public required uint Id { get; init; }

    /// <summary>The gateway (NHA_GATEWAY), or null.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The device (NHA_OIF), or 0.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>A blackhole nexthop (NHA_BLACKHOLE).</summary>
    public bool Blackhole { get; init; }

    /// <summary>The gateway is on the link (RTNH_F_ONLINK).</summary>
    public bool OnLink { get; init; }

    /// <summary>The members of a group (NHA_GROUP); empty for a single nexthop.</summary>
    public EquatableArray<NextHopGroupMember> Group { get; init; }

    /// <summary>The protocol that owns it; ours by default.</summary>
    public byte Protocol { get; init; } = RouteProtocol.BgpStack;

    /// <summary>
    /// The address family: IPv4 or IPv6 follow the gateway; groups and blackholes without a gateway
    /// are sent as AF_UNSPEC (groups) or AF_INET (blackholes) unless set.
    /// </summary>
    public System.Net.Sockets.AddressFamily? Family { get; init; }
}
