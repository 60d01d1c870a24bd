using System.Net;
using System.Net.Sockets;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>An address family a session carries.</summary>
public enum Family
{
    /// <summary>IPv4 unicast.</summary>
    Ipv4,

    /// <summary>IPv6 unicast.</summary>
    Ipv6,
}

/// <summary>A BGP neighbour of a router under test, in terms every driver can turn into its own config.</summary>
public sealed record NeighborSpec
{
    /// <summary>The neighbour's address.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The neighbour's AS.</summary>
    public required uint As { get; init; }

    /// <summary>Our address on the link (the session's source); null lets the daemon choose.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Only accept the connection.</summary>
    public bool Passive { get; init; }

    /// <summary>TCP MD5 password.</summary>
    public string? Password { get; init; }

    /// <summary>GTSM / TTL security (one hop).</summary>
    public bool TtlSecurity { get; init; }

    /// <summary>The neighbour is our route reflector client.</summary>
    public bool RouteReflectorClient { get; init; }

    /// <summary>Graceful restart on for this session.</summary>
    public bool GracefulRestart { get; init; }

    /// <summary>Put ourselves as next hop also toward iBGP.</summary>
    public bool NextHopSelf { get; init; }

    /// <summary>eBGP multihop TTL; null for a directly connected session.</summary>
    public int? Multihop { get; init; }

    /// <summary>The hold time to propose; null uses the daemon's default.</summary>
    public int? HoldTime { get; init; }

    /// <summary>The families carried; empty means the family of <see cref="Address"/>.</summary>
    public IReadOnlyList<Family> Families { get; init; } = [];

    /// <summary>The families actually carried.</summary>
    public IReadOnlyList<Family> EffectiveFamilies =>
        Families.Count > 0 ? Families : [Address.AddressFamily == AddressFamily.InterNetworkV6 ? Family.Ipv6 : Family.Ipv4];
}

/// <summary>A route a router originates, with the attributes it carries.</summary>
public sealed record StaticRouteSpec
{
    /// <summary>The prefix, e.g. <c>10.1.0.0/24</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary>Standard communities, <c>ASN:VALUE</c>.</summary>
    public IReadOnlyList<string> Communities { get; init; } = [];

    /// <summary>Large communities, <c>ASN:DATA1:DATA2</c>.</summary>
    public IReadOnlyList<string> LargeCommunities { get; init; } = [];

    /// <summary>MULTI_EXIT_DISC.</summary>
    public uint? Med { get; init; }

    /// <summary>LOCAL_PREF (iBGP only).</summary>
    public uint? LocalPref { get; init; }

    /// <summary>The prefix's family.</summary>
    public Family Family => Prefix.Contains(':', StringComparison.Ordinal) ? Family.Ipv6 : Family.Ipv4;
}

/// <summary>A small, daemon-neutral description of a BGP router; each driver renders it into its own config.</summary>
public sealed record RouterSpec
{
    /// <summary>The BGP identifier.</summary>
    public required IPAddress RouterId { get; init; }

    /// <summary>The local AS.</summary>
    public required uint As { get; init; }

    /// <summary>The neighbours.</summary>
    public IReadOnlyList<NeighborSpec> Neighbors { get; init; } = [];

    /// <summary>Routes to originate.</summary>
    public IReadOnlyList<StaticRouteSpec> Routes { get; init; } = [];

    /// <summary>The route reflector cluster ID; null uses the router ID.</summary>
    public IPAddress? ClusterId { get; init; }

    /// <summary>
    /// Extra IPv4 /24s to originate, numbered from 1.0.0.0/24 upward (benchmarks: 1M for the feeder).
    /// Only the BIRD driver renders these (into an include file of static routes).
    /// </summary>
    public int BulkIpv4Routes { get; init; }

    /// <summary>
    /// Install the best IPv4 and IPv6 routes into the node namespace's main kernel table (254):
    /// BIRD renders a kernel protocol exporting all (learn and persist off), bgpstackd its
    /// <c>kernel: { enabled: true }</c> FIB writer. The other drivers refuse it.
    /// </summary>
    public bool InstallRoutes { get; init; }

    /// <summary>The i-th bulk prefix (1.0.0.0/24, 1.0.1.0/24, ...).</summary>
    /// <param name="i">The index.</param>
    public static string BulkPrefix(int i) => $"{1 + (i >> 16)}.{(i >> 8) & 0xFF}.{i & 0xFF}.0/24";
}
