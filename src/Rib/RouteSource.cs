using System.Net;

namespace BgpStack.Rib;

/// <summary>Where a route was learned or made.</summary>
public enum RouteSourceKind
{
    /// <summary>Learned from a BGP peer.</summary>
    Bgp,

    /// <summary>A configured static route.</summary>
    Static,

    /// <summary>A directly connected network.</summary>
    Connected,

    /// <summary>A route learned from the kernel's table.</summary>
    Kernel,

    /// <summary>Originated by this node (an IPAM block, installed as a blackhole and announced).</summary>
    Local,
}

/// <summary>
/// Who a route came from: a BGP peer (with the facts best-path selection needs) or a non-BGP
/// source. Immutable; one instance per peer or source, shared by all its routes.
/// </summary>
public sealed record RouteSource
{
    /// <summary>A small number unique among the RIB's sources, used to index per-source tables.</summary>
    public required int Id { get; init; }

    /// <summary>The kind of source.</summary>
    public required RouteSourceKind Kind { get; init; }

    /// <summary>
    /// The administrative preference (weight) of the source's routes; higher wins and is compared
    /// before anything else (like FRR's weight, BIRD's preference).
    /// </summary>
    public int AdminPreference { get; init; }

    /// <summary>The peer's address (BGP), or null.</summary>
    public IPAddress? PeerAddress { get; init; }

    /// <summary>The peer's BGP Identifier (BGP).</summary>
    public RouterId PeerRouterId { get; init; }

    /// <summary>The peer's AS (BGP).</summary>
    public uint PeerAs { get; init; }

    /// <summary>Our AS toward this peer (BGP; may be a per-peer local AS override).</summary>
    public uint LocalAs { get; init; }

    /// <summary>True for an iBGP peer (same AS), false for eBGP.</summary>
    public bool IsInternal => Kind == RouteSourceKind.Bgp && PeerAs == LocalAs;

    /// <summary>True when the peer is a route-reflector client of ours (RFC 4456).</summary>
    public bool IsRouteReflectorClient { get; init; }

    /// <summary>True when this is the BGP session with the peer at <paramref name="address"/> (split horizon: never back to it).</summary>
    /// <param name="address">The peer's address.</param>
    public bool IsBgpPeer(IPAddress address) => Kind == RouteSourceKind.Bgp && address.Equals(PeerAddress);

    /// <summary>A name for logs and CLIs (peer address, or the kind of source).</summary>
    public string Name => PeerAddress?.ToString() ?? Kind.ToString().ToLowerInvariant();
}
