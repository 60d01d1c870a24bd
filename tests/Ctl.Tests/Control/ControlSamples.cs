using System.Collections.Immutable;
using BgpStack.Control;

namespace BgpStack.Ctl.Tests.Control;

/// <summary>Fixed answers of the daemon, for formatting goldens and JSON round trips.</summary>
internal static class ControlSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    /// <summary>The two peers of the calicoctl sample in shared/seeds/001 (as iBGP full mesh).</summary>
    public static StatusResult CalicoLike() => new()
    {
        Version = "0.1.0",
        RouterId = "198.18.0.1",
        LocalAs = 65001,
        Started = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero),
        ConfigFile = "/etc/bgpstack/bgpstackd.yaml",
        Peers =
        [
            new PeerStatusDto
            {
                Address = "192.168.60.83", RemoteAs = 65001, LocalAs = 65001, Type = "internal", State = "Established",
                Since = new DateTimeOffset(2026, 11, 22, 6, 3, 40, TimeSpan.Zero), Info = "Established",
                RouterId = "192.168.60.83", HoldTime = 90, Families = ["ipv4-unicast"],
                PrefixesReceived = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ipv4-unicast", 12)]),
                PrefixesSent = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ipv4-unicast", 3)]),
            },
            new PeerStatusDto
            {
                Address = "192.168.60.42", RemoteAs = 65001, LocalAs = 65001, Type = "internal", State = "Active",
                Since = new DateTimeOffset(2026, 11, 22, 6, 3, 39, TimeSpan.Zero), Info = "Active Socket: Connection refused",
                Flaps = 2, LastError = "Connection refused",
            },
        ],
    };

    /// <summary>IPv6 peers only: one dynamic eBGP peer up since two days ago, one route reflector client.</summary>
    public static StatusResult Ipv6Only() => new()
    {
        Version = "0.1.0",
        RouterId = "198.18.0.1",
        LocalAs = 65001,
        Started = new DateTimeOffset(2026, 11, 20, 23, 59, 0, TimeSpan.Zero),
        Peers =
        [
            new PeerStatusDto
            {
                Address = "2001:db8::2", RemoteAs = 65002, LocalAs = 65001, Type = "external", Dynamic = true, State = "Established",
                Since = new DateTimeOffset(2026, 11, 20, 23, 59, 30, TimeSpan.Zero), Info = "Established",
            },
            new PeerStatusDto
            {
                Address = "2001:db8::10", RemoteAs = 65001, LocalAs = 65001, Type = "rr-client", State = "OpenSent",
                Since = new DateTimeOffset(2026, 11, 22, 6, 59, 58, TimeSpan.Zero), Info = "OpenSent",
            },
        ],
    };

    public static RoutesResult Routes() => new()
    {
        Routes =
        [
            new RouteDto
            {
                Prefix = "10.244.1.0/24",
                Reason = "router-id",
                Paths =
                [
                    new PathDto
                    {
                        Source = "198.18.0.2", SourceKind = "bgp", PeerAs = 65002, Internal = false, NextHop = "198.18.0.2",
                        AsPath = "65002", Origin = "igp", Med = 10, Communities = ["65001:100"],
                        Best = true, Multipath = true, Status = "best", Reason = "router-id",
                    },
                    new PathDto
                    {
                        Source = "198.18.0.3", SourceKind = "bgp", PeerAs = 65003, Internal = false, NextHop = "198.18.0.3",
                        AsPath = "65003", Origin = "igp", Med = 10, Multipath = true, Status = "multipath", Reason = "router-id", LostTo = 0,
                    },
                    new PathDto
                    {
                        Source = "198.18.0.4", SourceKind = "bgp", PeerAs = 65004, Internal = false, NextHop = "198.18.0.4",
                        AsPath = "65004 65100", Origin = "igp", Stale = true, Status = "lost", Reason = "as-path-length", LostTo = 0,
                    },
                ],
            },
            new RouteDto
            {
                Prefix = "2001:db8:1::/48",
                Reason = "only-path",
                Paths =
                [
                    new PathDto
                    {
                        Source = "static", SourceKind = "static", AsPath = string.Empty, Origin = "igp", LocalPref = 200,
                        LargeCommunities = ["65001:1:2"], Best = true, Status = "best", Reason = "only-path",
                    },
                ],
            },
            new RouteDto
            {
                Prefix = "10.9.0.0/16",
                Paths =
                [
                    new PathDto
                    {
                        Source = "198.18.0.5", SourceKind = "bgp", PeerAs = 65001, Internal = true, NextHop = "203.0.113.9", PathId = 7,
                        AsPath = "65010", Origin = "incomplete", LocalPref = 100, OriginatorId = "198.18.0.7", ClusterList = ["198.18.0.1", "198.18.0.8"],
                        Status = "ineligible", Reason = "next-hop-unreachable",
                    },
                ],
            },
        ],
    };
}
