using System.Net;
using BgpStack.Netlink.Fib;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;
using static BgpStack.Netlink.Tests.Fib.FibHarness;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibRouteMapperTests
{
    private static RibChange Change(string prefix, params (RouteSource Source, string? NextHop)[] paths) =>
        RibChange.Announced(P(prefix), [.. paths.Select(p => new RoutePath(p.Source, Via(p.NextHop), 0))], DecisionReason.OnlyPath);

    [Fact]
    public void Ecmp_set_becomes_sorted_distinct_next_hops_capped_at_maximum_paths()
    {
        var mapper = new FibRouteMapper(new FibWriterOptions { Table = 7, Metric = 33, MaximumPaths = 3 }, 0);
        var route = mapper.Map(Change("10.1.0.0/24", (Peer(1), "198.18.0.13"), (Peer(2), "198.18.0.11"), (Peer(3), "198.18.0.13"), (Peer(4), "198.18.0.12"), (Peer(5), "198.18.0.10")));

        Assert.NotNull(route);
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(7u, route.Table);
        Assert.Equal(33u, route.Metric);
        Assert.Equal(RouteProtocol.BgpStack, route.Protocol);
        Assert.Equal(["198.18.0.11", "198.18.0.12", "198.18.0.13"], route.NextHops.Select(h => h.Gateway!.ToString()));
        Assert.All(route.NextHops, h => Assert.False(h.OnLink));
    }

    [Fact]
    public void Routes_with_the_same_next_hop_set_share_one_next_hop_array()
    {
        var mapper = new FibRouteMapper(FibWriterOptions.Default, 0);
        var a = mapper.Map(Change("10.1.0.0/24", (Peer(1), "198.18.0.11"), (Peer(2), "198.18.0.12")));
        var b = mapper.Map(Change("10.2.0.0/24", (Peer(2), "198.18.0.12"), (Peer(1), "198.18.0.11")));
        var c = mapper.Map(Change("10.3.0.0/24", (Peer(1), "198.18.0.11")));

        Assert.True(a!.NextHops.AsImmutableArray() == b!.NextHops.AsImmutableArray());
        Assert.False(a.NextHops.AsImmutableArray() == c!.NextHops.AsImmutableArray());
        Assert.Equal(IPAddress.Parse("198.18.0.11"), Assert.Single(c.NextHops).Gateway);
    }

    [Fact]
    public void Local_source_is_a_blackhole_and_excluded_sources_and_withdrawals_want_no_route()
    {
        var mapper = new FibRouteMapper(FibWriterOptions.Default, 0);

        var blackhole = mapper.Map(Change("10.244.0.0/26", (Local, null)));
        Assert.NotNull(blackhole);
        Assert.Equal(RouteType.Blackhole, blackhole.Type);
        Assert.True(blackhole.NextHops.IsEmpty);

        Assert.Null(mapper.Map(Change("10.3.0.0/24", (Kernel, "198.18.0.1"))));
        Assert.Null(mapper.Map(Change("10.3.0.0/24", (Peer(1), null))));
        Assert.Null(mapper.Map(RibChange.Withdrawn(P("10.3.0.0/24"))));

        var staticOnly = new FibRouteMapper(FibWriterOptions.Default with { InstalledSources = [RouteSourceKind.Static] }, 0);
        Assert.Null(staticOnly.Map(Change("10.3.0.0/24", (Peer(1), "198.18.0.1"))));
    }

    [Fact]
    public void Tunnel_device_makes_every_next_hop_onlink_through_it()
    {
        var mapper = new FibRouteMapper(FibWriterOptions.Default with { TunnelDevice = "tunl0" }, 42);
        var route = mapper.Map(Change("10.1.0.0/24", (Peer(1), "192.0.2.7")));

        var hop = Assert.Single(route!.NextHops);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), hop.Gateway);
        Assert.Equal(42, hop.InterfaceIndex);
        Assert.True(hop.OnLink);
    }

    [Fact]
    public void Kernel_form_of_a_route_matches_what_was_sent_whatever_the_next_hop_order()
    {
        var sent = new Route
        {
            Destination = P("10.1.0.0/24"),
            Table = 100,
            Metric = 20,
            NextHops = [new NextHop { Gateway = IPAddress.Parse("198.18.0.11") }, new NextHop { Gateway = IPAddress.Parse("198.18.0.12") }],
        };
        var held = sent with
        {
            Scope = RouteScope.Universe,
            NextHops = [new NextHop { Gateway = IPAddress.Parse("198.18.0.12"), InterfaceIndex = 3 }, new NextHop { Gateway = IPAddress.Parse("198.18.0.11"), InterfaceIndex = 3 }],
        };

        Assert.True(FibRouteComparer.Matches(sent, held));
        Assert.False(FibRouteComparer.Matches(sent, held with { Metric = 21 }));
        Assert.False(FibRouteComparer.Matches(sent, held with { NextHops = [held.NextHops[0]] }));
        Assert.False(FibRouteComparer.Matches(sent, held with { NextHops = [held.NextHops[0], held.NextHops[1] with { Gateway = IPAddress.Parse("198.18.0.13") }] }));
        Assert.False(FibRouteComparer.Matches(sent, held with { Type = RouteType.Blackhole }));
    }
}
