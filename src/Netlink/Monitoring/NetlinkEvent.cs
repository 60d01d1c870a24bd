using BgpStack.Netlink.Addresses;
using BgpStack.Netlink.Links;
using BgpStack.Netlink.Routes;

namespace BgpStack.Netlink.Monitoring;

/// <summary>A change the kernel announced on a multicast group.</summary>
public abstract record NetlinkEvent;

/// <summary>A link appeared or changed (<paramref name="Removed"/> false) or went away (true).</summary>
/// <param name="Link">The link.</param>
/// <param name="Removed">True for RTM_DELLINK.</param>
public sealed record LinkEvent(Link Link, bool Removed) : NetlinkEvent;

/// <summary>An address was added (<paramref name="Removed"/> false) or removed (true).</summary>
/// <param name="Address">The address.</param>
/// <param name="Removed">True for RTM_DELADDR.</param>
public sealed record AddressEvent(InterfaceAddress Address, bool Removed) : NetlinkEvent;

/// <summary>A route was added or replaced (<paramref name="Removed"/> false) or deleted (true).</summary>
/// <param name="Route">The route.</param>
/// <param name="Removed">True for RTM_DELROUTE.</param>
public sealed record RouteEvent(Route Route, bool Removed) : NetlinkEvent;

/// <summary>
/// The socket overflowed (recv failed with ENOBUFS): notifications were lost, so whatever the
/// consumer derived from them must be rebuilt from a fresh dump.
/// </summary>
public sealed record ResyncRequiredEvent : NetlinkEvent;
