using System.Net;
using BgpStack.Netlink.Addresses;
using BgpStack.Netlink.Monitoring;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Tests;

public sealed class MonitorTests
{
    /// <summary>Reads events until one matches, for at most 5 seconds; fails when none does.</summary>
    public static List<NetlinkEvent> Collect(NetlinkMonitor monitor, Func<NetlinkEvent, bool> until)
    {
        var seen = new List<NetlinkEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var enumerator = monitor.ReadEventsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            try
            {
                while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    seen.Add(enumerator.Current);
                    if (until(enumerator.Current))
                    {
                        return seen;
                    }
                }
            }
            finally
            {
                enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"The expected event did not arrive within 5 s; saw {seen.Count}: {string.Join(", ", seen.Take(10))}");
        return seen;
    }

    [Fact]
    public void Address_and_route_changes_arrive_as_typed_events()
    {
        using var ns = TestNamespace.Create();
        ns.Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ns.Ip("link", "set", "v0", "up");
        using var monitor = NetlinkMonitor.Start(new NetlinkMonitorOptions { NamespaceName = ns.Name });

        ns.Ip("addr", "add", "198.18.1.1/24", "dev", "v0");
        var added = Collect(monitor, e => e is AddressEvent { Removed: false, Address.PrefixLength: 24 } a && a.Address.Address.Equals(IPAddress.Parse("198.18.1.1")));
        ns.Ip("route", "add", "10.244.50.0/24", "via", "198.18.1.2");
        Collect(monitor, e => e is RouteEvent { Removed: false } r && r.Route.Destination == IpPrefix.Parse("10.244.50.0/24") && r.Route.NextHops.Single().Gateway!.Equals(IPAddress.Parse("198.18.1.2")));
        ns.Ip("route", "del", "10.244.50.0/24");
        Collect(monitor, e => e is RouteEvent { Removed: true } r && r.Route.Destination == IpPrefix.Parse("10.244.50.0/24"));
        ns.Ip("addr", "del", "198.18.1.1/24", "dev", "v0");
        Collect(monitor, e => e is AddressEvent { Removed: true } a && a.Address.Address.Equals(IPAddress.Parse("198.18.1.1")));
        ns.Ip("link", "del", "v0");
        Collect(monitor, e => e is LinkEvent { Removed: true, Link.Name: "v0" });
        Assert.Contains(added, e => e is AddressEvent);
    }

    [Fact]
    public void Overflow_of_an_unread_socket_becomes_a_resync_event()
    {
        using var ns = TestNamespace.Create();
        ns.Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ns.Ip("addr", "add", "198.18.2.1/24", "dev", "v0");
        ns.Ip("link", "set", "v0", "up");
        using var monitor = NetlinkMonitor.Start(new NetlinkMonitorOptions { NamespaceName = ns.Name, ReceiveBufferSize = 4096, EventCapacity = 1 });
        using var client = NetlinkClient.OpenInNamespace(ns.Name);

        // Nobody reads the monitor while 2000 routes go in, so its tiny buffer overflows.
        var requests = Enumerable.Range(0, 2000)
            .Select(i => new RouteRequest(RouteOperation.Add, new Route { Destination = IpPrefix.FromIPv4(0x0AF40000u | ((uint)i << 4), 28), Type = RouteType.Blackhole }))
            .ToArray();
        Assert.All(client.ApplyRoutes(requests), Assert.Null);

        var seen = Collect(monitor, e => e is ResyncRequiredEvent);
        Assert.True(seen.Count < 2000, "notifications were lost, so fewer than all 2000 should arrive before the resync");
    }
}
