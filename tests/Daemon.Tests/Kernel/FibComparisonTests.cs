using System.Collections.Immutable;
using System.Net;
using BgpStack.Daemon.Kernel;
using BgpStack.Netlink.Fib;
using BgpStack.Netlink.Routes;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Daemon.Tests.Kernel;

public sealed class FibComparisonTests
{
    private static readonly FibWriterOptions Options = new()
    {
        Table = 254,
        Metric = 20,
        MaximumPaths = 2,
        InstalledSources = [RouteSourceKind.Bgp, RouteSourceKind.Static, RouteSourceKind.Local],
    };

    private static RouteSource Source(int id, RouteSourceKind kind) => new() { Id = id, Kind = kind, PeerAs = 65002, LocalAs = 65001 };

    private static PathSnapshot Path(RouteSourceKind kind, string? nextHop, int id = 1) => new(
        new RoutePath(Source(id, kind), new PathAttributes { NextHop = nextHop is null ? null : IPAddress.Parse(nextHop) }, 0),
        id,
        false,
        new PathVerdict(PathStatus.Best, DecisionReason.OnlyPath, -1));

    private static PrefixSnapshot Prefix(string prefix, int best, ImmutableArray<int> multipath, params PathSnapshot[] paths) =>
        new(IpPrefix.Parse(prefix), [.. paths], best, multipath, DecisionReason.OnlyPath);

    private static Route Installed(string prefix, params string[] gateways) => new()
    {
        Destination = IpPrefix.Parse(prefix),
        Metric = 20,
        NextHops = [.. gateways.Select(g => new NextHop { Gateway = IPAddress.Parse(g) })],
    };

    [Fact]
    public void Installed_routes_are_checked_against_the_writers_rules_for_the_ribs_selection()
    {
        ImmutableArray<PrefixSnapshot> rib =
        [
            Prefix("10.0.1.0/24", 0, [0], Path(RouteSourceKind.Bgp, "198.18.0.2")),
            Prefix("10.0.2.0/24", 0, [0, 1, 2], Path(RouteSourceKind.Bgp, "198.18.0.3"), Path(RouteSourceKind.Bgp, "198.18.0.2", 2), Path(RouteSourceKind.Bgp, "198.18.0.9", 3)),
            Prefix("10.0.3.0/24", 0, [], Path(RouteSourceKind.Static, null)),
            Prefix("10.0.4.0/26", 0, [], Path(RouteSourceKind.Local, null)),
            Prefix("10.0.5.0/24", 0, [], Path(RouteSourceKind.Connected, "198.18.0.2")),
            Prefix("10.0.6.0/24", -1, [], Path(RouteSourceKind.Bgp, "198.18.0.2")),
        ];
        var installed = ImmutableDictionary<IpPrefix, Route>.Empty
            .Add(IpPrefix.Parse("10.0.1.0/24"), Installed("10.0.1.0/24", "198.18.0.2"))
            .Add(IpPrefix.Parse("10.0.2.0/24"), Installed("10.0.2.0/24", "198.18.0.3"))
            .Add(IpPrefix.Parse("10.0.7.0/24"), Installed("10.0.7.0/24", "198.18.0.2"));

        var result = FibComparison.Compare(rib, installed, Options, pending: 1, failed: 2);

        Assert.Equal(254u, result.Table);
        Assert.Equal(["10.0.1.0/24", "10.0.2.0/24", "10.0.7.0/24"], result.Installed.Select(r => r.Prefix));
        var missing = Assert.Single(result.Missing);
        Assert.Equal("10.0.4.0/26", missing.Prefix);
        Assert.Equal("blackhole", missing.Type);
        var different = Assert.Single(result.Different);
        Assert.Equal("10.0.2.0/24", different.Prefix);

        // Two of the three ECMP next hops (the maximum), sorted.
        Assert.Equal(["198.18.0.2", "198.18.0.3"], different.NextHops.ToArray());
        Assert.Equal("10.0.7.0/24", Assert.Single(result.Extra).Prefix);
        Assert.Equal(1, result.Pending);
        Assert.Equal(2, result.Failed);
    }

    [Fact]
    public void A_kernel_holding_exactly_the_selection_shows_no_difference()
    {
        ImmutableArray<PrefixSnapshot> rib = [Prefix("2001:db8:1::/48", 0, [0], Path(RouteSourceKind.Bgp, "2001:db8::2"))];
        var installed = ImmutableDictionary<IpPrefix, Route>.Empty.Add(IpPrefix.Parse("2001:db8:1::/48"), Installed("2001:db8:1::/48", "2001:db8::2"));
        var result = FibComparison.Compare(rib, installed, Options, 0, 0);
        Assert.Empty(result.Missing);
        Assert.Empty(result.Extra);
        Assert.Empty(result.Different);
        Assert.Equal("2001:db8::2", Assert.Single(Assert.Single(result.Installed).NextHops));
    }
}
