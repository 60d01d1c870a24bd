using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BgpStack.Netlink.Monitoring;
using BgpStack.Netlink.Nexthops;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Tests;

public sealed class RouteTests : IDisposable
{
    private readonly TestNamespace ns = TestNamespace.Create();
    private readonly NetlinkClient client;
    private readonly int v0;

    public RouteTests()
    {
        try
        {
            ns.Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            ns.Ip("addr", "add", "198.18.0.1/24", "dev", "v0");
            ns.Ip("addr", "add", "2001:db8::1/64", "dev", "v0", "nodad");
            ns.Ip("link", "set", "v0", "up");
            ns.Ip("link", "set", "v1", "up");
            client = NetlinkClient.OpenInNamespace(ns.Name);
            v0 = client.GetLink("v0")!.Index;
        }
        catch
        {
            // xunit does not dispose an instance whose constructor threw.
            client?.Dispose();
            ns.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        client.Dispose();
        ns.Dispose();
    }

    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    private static NextHop Via(string gateway, int dev = 0, int weight = 1) =>
        new() { Gateway = IPAddress.Parse(gateway), InterfaceIndex = dev, Weight = weight };

    private JsonElement Show(string prefix, params string[] extra) =>
        Single(ns.IpJson([prefix.Contains(':', StringComparison.Ordinal) ? "-6" : "-4", "route", "show", .. extra, prefix]));

    private static JsonElement Single(JsonElement array)
    {
        Assert.Equal(1, array.GetArrayLength());
        return array[0];
    }

    [Fact]
    public void Gateway_route_with_metric_is_read_back_by_iproute2_and_our_dump()
    {
        client.AddRoute(new Route { Destination = P("10.244.1.0/24"), NextHops = [Via("198.18.0.2", v0)], Metric = 20 });

        var r = Show("10.244.1.0/24");
        Assert.Equal("10.244.1.0/24", r.GetProperty("dst").GetString());
        Assert.Equal("198.18.0.2", r.GetProperty("gateway").GetString());
        Assert.Equal("v0", r.GetProperty("dev").GetString());
        Assert.Equal(20, r.GetProperty("metric").GetInt32());
        Assert.Equal("177", r.GetProperty("protocol").ToString());

        var ours = client.GetRoutes(new RouteFilter { Family = AddressFamily.InterNetwork, Protocol = RouteProtocol.BgpStack });
        var route = Assert.Single(ours);
        Assert.Equal(P("10.244.1.0/24"), route.Destination);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), Assert.Single(route.NextHops).Gateway);
        Assert.Equal(v0, route.NextHops[0].InterfaceIndex);
        Assert.Equal(20u, route.Metric);
        Assert.Equal(254u, route.Table);
    }

    [Fact]
    public void Our_dump_matches_iproute2_for_the_main_table()
    {
        client.AddRoute(new Route { Destination = P("10.244.2.0/24"), NextHops = [Via("198.18.0.3")] });
        client.AddRoute(new Route { Destination = P("10.244.3.0/24"), Type = RouteType.Blackhole });
        var ours = client.GetRoutes(new RouteFilter { Family = AddressFamily.InterNetwork, Table = 254 })
            .Select(r => r.Destination.Length == 32 ? r.Destination.Address.ToString() : r.Destination.ToString())
            .Order(StringComparer.Ordinal).ToArray();
        var theirs = ns.IpJson("-4", "route", "show", "table", "main").EnumerateArray()
            .Select(r => r.GetProperty("dst").GetString()!)
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(theirs, ours);
        Assert.Contains("10.244.3.0/24", ours);
    }

    [Fact]
    public void Multipath_route_with_weights_is_installed_replaced_without_a_gap_and_deleted()
    {
        var route = new Route { Destination = P("10.244.4.0/24"), NextHops = [Via("198.18.0.2", v0, 1), Via("198.18.0.3", v0, 2), Via("198.18.0.4", v0, 3)] };
        client.AddRoute(route);
        var hops = Show("10.244.4.0/24").GetProperty("nexthops").EnumerateArray().ToArray();
        Assert.Equal(["198.18.0.2", "198.18.0.3", "198.18.0.4"], hops.Select(h => h.GetProperty("gateway").GetString()));
        Assert.Equal([1, 2, 3], hops.Select(h => h.GetProperty("weight").GetInt32()));
        Assert.All(hops, h => Assert.Equal("v0", h.GetProperty("dev").GetString()));

        var dumped = Assert.Single(client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }));
        Assert.Equal(route.NextHops, dumped.NextHops);

        // Replace while watching: the kernel must never announce the destination as deleted.
        using var monitor = NetlinkMonitor.Start(new NetlinkMonitorOptions { NamespaceName = ns.Name });
        client.ReplaceRoute(route with { NextHops = [Via("198.18.0.5", v0), Via("198.18.0.6", v0)] });
        hops = Show("10.244.4.0/24").GetProperty("nexthops").EnumerateArray().ToArray();
        Assert.Equal(["198.18.0.5", "198.18.0.6"], hops.Select(h => h.GetProperty("gateway").GetString()));
        client.DeleteRoute(route);
        Assert.Equal(0, ns.IpJson("route", "show", "10.244.4.0/24").GetArrayLength());

        var seen = MonitorTests.Collect(monitor, e => e is RouteEvent { Removed: true, Route.Destination: var d } && d == route.Destination);
        var changes = seen.OfType<RouteEvent>().Where(e => e.Route.Destination == route.Destination).ToList();
        Assert.Equal([false, true], changes.Select(e => e.Removed));
    }

    [Fact]
    public void IPv6_multipath_route_is_read_back_with_its_next_hops()
    {
        var route = new Route { Destination = P("2001:db8:200::/48"), NextHops = [Via("fe80::2", v0), Via("fe80::3", v0, 2)] };
        client.AddRoute(route);
        var hops = Show("2001:db8:200::/48").GetProperty("nexthops").EnumerateArray().ToArray();
        Assert.Equal(["fe80::2", "fe80::3"], hops.Select(h => h.GetProperty("gateway").GetString()));
        Assert.Equal([1, 2], hops.Select(h => h.GetProperty("weight").GetInt32()));
        var dumped = client.GetRoutes(new RouteFilter { Family = AddressFamily.InterNetworkV6, Protocol = RouteProtocol.BgpStack }).Single();
        Assert.Equal(route.NextHops.Select(h => (h.Gateway, h.Weight)), dumped.NextHops.Select(h => (h.Gateway, h.Weight)));
        client.DeleteRoute(route);
        Assert.Equal(0, ns.IpJson("-6", "route", "show", "2001:db8:200::/48").GetArrayLength());
    }

    [Theory]
    [InlineData(RouteType.Blackhole, "blackhole")]
    [InlineData(RouteType.Unreachable, "unreachable")]
    [InlineData(RouteType.Prohibit, "prohibit")]
    public void Reject_routes_are_installed_with_their_type(RouteType type, string name)
    {
        client.AddRoute(new Route { Destination = P("10.244.5.0/24"), Type = type });
        Assert.Equal(name, Show("10.244.5.0/24").GetProperty("type").GetString());
        client.AddRoute(new Route { Destination = P("2001:db8:5::/48"), Type = type });
        Assert.Equal(name, Show("2001:db8:5::/48").GetProperty("type").GetString());
        Assert.Equal(type, client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack, Family = AddressFamily.InterNetwork }).Single().Type);
    }

    [Fact]
    public void IPv6_route_via_a_link_local_gateway_and_device()
    {
        client.AddRoute(new Route { Destination = P("2001:db8:100::/48"), NextHops = [Via("fe80::2", v0)], Metric = 1024 });
        var r = Show("2001:db8:100::/48");
        Assert.Equal("fe80::2", r.GetProperty("gateway").GetString());
        Assert.Equal("v0", r.GetProperty("dev").GetString());
        var dumped = client.GetRoutes(new RouteFilter { Family = AddressFamily.InterNetworkV6, Protocol = RouteProtocol.BgpStack }).Single();
        Assert.Equal(IPAddress.Parse("fe80::2"), dumped.NextHops.Single().Gateway);
    }

    [Fact]
    public void IPv4_route_via_an_IPv6_gateway_uses_rta_via()
    {
        client.AddRoute(new Route { Destination = P("10.244.60.0/24"), NextHops = [Via("fe80::2", v0)] });
        var via = Show("10.244.60.0/24").GetProperty("via");
        Assert.Equal("inet6", via.GetProperty("family").GetString());
        Assert.Equal("fe80::2", via.GetProperty("host").GetString());
        var dumped = client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }).Single();
        Assert.Equal(IPAddress.Parse("fe80::2"), dumped.NextHops.Single().Gateway);
    }

    [Fact]
    public void Table_1000_device_route_with_link_scope_and_preferred_source()
    {
        client.AddRoute(new Route { Destination = P("10.244.6.0/24"), Table = 1000, NextHops = [new NextHop { InterfaceIndex = v0 }], PreferredSource = IPAddress.Parse("198.18.0.1") });
        var r = Show("10.244.6.0/24", "table", "1000");
        Assert.Equal("link", r.GetProperty("scope").GetString());
        Assert.Equal("198.18.0.1", r.GetProperty("prefsrc").GetString());
        Assert.False(r.TryGetProperty("gateway", out _));
        Assert.Equal(0, ns.IpJson("route", "show", "10.244.6.0/24").GetArrayLength());
        var dumped = client.GetRoutes(new RouteFilter { Table = 1000 }).Single();
        Assert.Equal(RouteScope.Link, dumped.Scope);
        Assert.Equal(1000u, dumped.Table);
    }

    [Fact]
    public void Onlink_gateway_outside_every_connected_subnet_is_accepted()
    {
        client.AddRoute(new Route { Destination = P("10.244.7.0/26"), NextHops = [new NextHop { Gateway = IPAddress.Parse("203.0.113.9"), InterfaceIndex = v0, OnLink = true }] });
        var r = Show("10.244.7.0/26");
        Assert.Equal("203.0.113.9", r.GetProperty("gateway").GetString());
        Assert.Contains("onlink", r.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }).Single().NextHops.Single().OnLink);
    }

    [Fact]
    public void Batch_with_one_unreachable_gateway_reports_that_route_only_and_installs_the_rest()
    {
        var requests = Enumerable.Range(0, 5).Select(i => new RouteRequest(
            RouteOperation.Add,
            new Route { Destination = P($"10.244.{10 + i}.0/24"), NextHops = [Via(i == 2 ? "203.0.113.1" : "198.18.0.2")] })).ToArray();
        var results = client.ApplyRoutes(requests);

        Assert.Equal(5, results.Count);
        var error = Assert.IsType<NetlinkError>(results[2]);
        Assert.Equal(101, error.Errno); // ENETUNREACH
        Assert.False(string.IsNullOrEmpty(error.KernelMessage));
        Assert.Contains("10.244.12.0/24", error.Request);
        Assert.Contains(error.KernelMessage!, error.ToString());
        Assert.All(results.Where((_, i) => i != 2), Assert.Null);
        var installed = ns.IpJson("route", "show", "proto", "177").EnumerateArray().Select(r => r.GetProperty("dst").GetString()).ToHashSet();
        Assert.Equal(["10.244.10.0/24", "10.244.11.0/24", "10.244.13.0/24", "10.244.14.0/24"], installed.Order());

        var missingDevice = client.ApplyRoutes([new RouteRequest(RouteOperation.Add, new Route { Destination = P("10.244.20.0/24"), NextHops = [new NextHop { InterfaceIndex = 9999 }] })]);
        Assert.Equal(19, missingDevice[0]!.Errno); // ENODEV
        var exception = Assert.Throws<NetlinkException>(() => client.AddRoute(requests[0].Route));
        Assert.Equal(17, exception.Errno); // EEXIST
    }

    [Fact]
    public void A_batch_larger_than_one_send_slice_is_applied_and_deleted_in_full()
    {
        var routes = Enumerable.Range(0, 5000)
            .Select(i => new Route { Destination = IpPrefix.FromIPv4(0x0AF40000u | ((uint)i << 2), 30), NextHops = [Via("198.18.0.2", v0)] })
            .ToArray();
        Assert.All(client.ApplyRoutes(routes.Select(r => new RouteRequest(RouteOperation.Add, r)).ToArray()), Assert.Null);
        Assert.Equal(5000, client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }).Count);
        Assert.Equal(5000, ns.IpJson("route", "show", "proto", "177").GetArrayLength());

        Assert.All(client.ApplyRoutes(routes.Select(r => new RouteRequest(RouteOperation.Delete, r)).ToArray()), Assert.Null);
        Assert.Empty(client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }));
    }

    [Fact]
    public void Dump_filtered_by_our_protocol_leaves_out_static_routes()
    {
        ns.Ip("route", "add", "10.244.30.0/24", "via", "198.18.0.2", "proto", "static");
        client.AddRoute(new Route { Destination = P("10.244.31.0/24"), NextHops = [Via("198.18.0.2")] });
        var ours = client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack });
        Assert.Equal([P("10.244.31.0/24")], ours.Select(r => r.Destination));
        var statics = client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.Static });
        Assert.Equal([P("10.244.30.0/24")], statics.Select(r => r.Destination));
    }

    [Fact]
    public void Nexthop_objects_group_and_a_route_using_them()
    {
        client.AddNextHop(new NextHopObject { Id = 1, Gateway = IPAddress.Parse("198.18.0.2"), InterfaceIndex = v0 });
        client.AddNextHop(new NextHopObject { Id = 2, Gateway = IPAddress.Parse("198.18.0.3"), InterfaceIndex = v0 });
        client.AddNextHop(new NextHopObject { Id = 3, Blackhole = true });
        client.AddNextHop(new NextHopObject { Id = 10, Group = [new NextHopGroupMember(1, 1), new NextHopGroupMember(2, 3)] });
        client.AddRoute(new Route { Destination = P("10.244.40.0/24"), NextHopId = 10 });

        var shown = ns.IpJson("nexthop", "show").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetUInt32());
        Assert.Equal("198.18.0.2", shown[1].GetProperty("gateway").GetString());
        Assert.Equal("v0", shown[2].GetProperty("dev").GetString());
        Assert.True(shown[3].TryGetProperty("blackhole", out _));
        var group = shown[10].GetProperty("group").EnumerateArray().ToArray();
        Assert.Equal([1u, 2u], group.Select(g => g.GetProperty("id").GetUInt32()));
        Assert.Equal(3, group[1].GetProperty("weight").GetInt32());
        Assert.Equal(10, Show("10.244.40.0/24").GetProperty("nhid").GetInt32());

        var dumped = client.GetNextHops().ToDictionary(n => n.Id);
        Assert.Equal([new NextHopGroupMember(1, 1), new NextHopGroupMember(2, 3)], dumped[10].Group);
        Assert.True(dumped[3].Blackhole);
        Assert.Equal(10u, client.GetRoutes(new RouteFilter { Protocol = RouteProtocol.BgpStack }).Single().NextHopId);

        client.ReplaceNextHop(new NextHopObject { Id = 1, Gateway = IPAddress.Parse("198.18.0.4"), InterfaceIndex = v0 });
        Assert.Equal("198.18.0.4", ns.IpJson("nexthop", "show", "id", "1")[0].GetProperty("gateway").GetString());
        client.DeleteNextHop(10);
        Assert.Equal(0, ns.IpJson("route", "show", "10.244.40.0/24").GetArrayLength());
    }

    [Fact]
    public void Protocol_registration_file_names_our_number()
    {
        var directory = Directory.CreateTempSubdirectory("bgpstack-iproute2-");
        try
        {
            var path = RouteProtocol.WriteIproute2Registration(directory.FullName);
            Assert.Equal(Path.Combine(directory.FullName, "rt_protos.d", "bgpstack.conf"), path);
            var line = File.ReadAllLines(path).Single(l => !l.StartsWith('#'));
            Assert.Equal(["177", "bgpstack"], line.Split('\t'));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
