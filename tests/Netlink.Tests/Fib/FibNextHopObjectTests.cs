using System.Globalization;
using System.Text.Json;
using static BgpStack.Netlink.Tests.Fib.FibHarness;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibNextHopObjectTests
{
    [Fact]
    public async Task Routes_through_one_gateway_share_one_nexthop_object_and_still_show_their_gateway()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"),
            Announce(Peer(2), "198.18.0.12", "10.4.0.0/24"));

        Assert.Equal(
            [Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11"), Unicast("10.3.0.0/24", "198.18.0.11"), Unicast("10.4.0.0/24", "198.18.0.12")],
            fib.KernelRoutes());
        var routes = fib.Namespace.IpJson("route", "show", "table", "100", "proto", "177").EnumerateArray().ToDictionary(r => r.GetProperty("dst").GetString()!);
        var shared = routes["10.1.0.0/24"].GetProperty("nhid").GetUInt32();
        Assert.Equal(shared, routes["10.2.0.0/24"].GetProperty("nhid").GetUInt32());
        Assert.Equal(shared, routes["10.3.0.0/24"].GetProperty("nhid").GetUInt32());
        Assert.NotEqual(shared, routes["10.4.0.0/24"].GetProperty("nhid").GetUInt32());
        Assert.All(routes.Values, r => Assert.Equal(20, r.GetProperty("metric").GetInt32()));

        var objects = OurObjects(fib);
        Assert.Equal(["198.18.0.11", "198.18.0.12"], objects.Values.Order(StringComparer.Ordinal));
        Assert.Equal("198.18.0.11", objects[shared]);
        Assert.Empty(fib.Errors);
    }

    [Fact]
    public async Task Withdrawing_every_route_of_a_gateway_deletes_its_object_and_leaves_the_others()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"),
            Announce(Peer(2), "198.18.0.12", "10.4.0.0/24"));
        Assert.Equal(2, OurObjects(fib).Count);

        await fib.PostAsync(Withdraw(Peer(1), "10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"));

        Assert.Equal([Unicast("10.4.0.0/24", "198.18.0.12")], fib.KernelRoutes());
        Assert.Equal(["198.18.0.12"], OurObjects(fib).Values);
        Assert.Equal(1, fib.Writer.InstalledCount);
        Assert.Empty(fib.Errors);

        // The gateway comes back: a new object, and its routes use it.
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24"));
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.4.0.0/24", "198.18.0.12")], fib.KernelRoutes());
        Assert.Equal(["198.18.0.11", "198.18.0.12"], OurObjects(fib).Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_withdrawal_that_leaves_other_routes_on_the_object_goes_alone_after_the_coalescing_window()
    {
        await using var fib = await StartAsync(o => o with { WithdrawCoalescing = TimeSpan.FromMilliseconds(200) });
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"));

        // Only the RIB is flushed: the writer decides on its own when the held withdrawal goes.
        await fib.Loop.PostAsync(Withdraw(Peer(1), "10.2.0.0/24"));
        await fib.Loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var held = await fib.WaitForKernelAsync([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.3.0.0/24", "198.18.0.11")], TimeSpan.FromSeconds(10));

        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.3.0.0/24", "198.18.0.11")], held);
        Assert.Equal(["198.18.0.11"], OurObjects(fib).Values);
        await fib.SettleAsync();
        Assert.Equal(2, fib.Writer.InstalledCount);
        Assert.Empty(fib.Errors);
    }

    [Fact]
    public async Task Resync_makes_an_object_deleted_behind_the_writers_back_again_with_its_routes()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"));
        var id = Assert.Single(OurObjects(fib).Keys);

        // Deleting the object takes its routes with it.
        fib.Namespace.Ip("nexthop", "del", "id", id.ToString(CultureInfo.InvariantCulture));
        Assert.Empty(fib.KernelRoutes());

        await fib.Writer.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11")], fib.KernelRoutes());
        Assert.Equal(["198.18.0.11"], OurObjects(fib).Values);
        Assert.Empty(fib.Errors);
    }

    [Fact]
    public async Task An_object_whose_device_is_gone_is_replaced_by_inline_next_hops_with_errors_for_its_routes_only()
    {
        static void AddSecondLink(TestNamespace ns)
        {
            ns.Ip("link", "add", "d2", "type", "veth", "peer", "name", "d3");
            ns.Ip("link", "set", "d3", "up");
            ns.Ip("addr", "add", "198.19.0.1/24", "dev", "d2");
            ns.Ip("link", "set", "d2", "up");
        }

        await using var fib = await StartAsync(setup: AddSecondLink);
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24"), Announce(Peer(2), "198.19.0.11", "10.2.0.0/24"));
        Assert.Equal(2, OurObjects(fib).Count);

        // The device goes: the kernel drops the object and its route; nothing can be made again for it yet.
        fib.Namespace.Ip("link", "del", "d2");
        await fib.Writer.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], fib.KernelRoutes());
        Assert.All(fib.Errors, e => Assert.Equal(P("10.2.0.0/24"), e.Prefix));
        Assert.NotEmpty(fib.Errors);

        // The device is back: the retry installs the route (its next hop inline).
        AddSecondLink(fib.Namespace);
        var held = await fib.WaitForKernelAsync([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.19.0.11")], TimeSpan.FromSeconds(10));
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.19.0.11")], held);
        Assert.Equal(["198.18.0.11"], OurObjects(fib).Values);
    }

    [Fact]
    public async Task On_a_subscription_the_first_resync_follows_the_replay_without_being_asked()
    {
        // The initial sync delay is an hour: only the end of the replay can start the resync that removes the stale route.
        await using var fib = await StartAsync(
            o => o with { InitialSyncDelay = TimeSpan.FromHours(1) },
            ns => ns.Ip("route", "add", "10.50.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "177", "metric", "20"),
            onSubscription: true);

        var held = await fib.WaitForKernelAsync([], TimeSpan.FromSeconds(10));

        Assert.Empty(held);
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24"));
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], fib.KernelRoutes());
    }

    // Our nexthop objects (protocol 177) in the namespace: id to gateway.
    private static Dictionary<uint, string> OurObjects(FibHarness fib)
    {
        var objects = new Dictionary<uint, string>();
        foreach (var held in fib.Namespace.IpJson("nexthop", "show").EnumerateArray())
        {
            if (held.TryGetProperty("protocol", out var protocol) && protocol.ValueKind == JsonValueKind.String
                && protocol.GetString() is "177" or "bgpstack" && held.TryGetProperty("gateway", out var gateway))
            {
                objects[held.GetProperty("id").GetUInt32()] = gateway.GetString()!;
            }
        }

        return objects;
    }
}
