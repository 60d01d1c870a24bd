using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Netlink.Fib;
using BgpStack.Netlink.Routes;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;
using static BgpStack.Netlink.Tests.Fib.FibHarness;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibWriterTests
{
    [Fact]
    public async Task Rib_changes_with_an_ecmp_set_and_a_local_blackhole_end_up_in_the_kernel_table()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"),
            Announce(Peer(2), "198.18.0.12", "10.1.0.0/24"),
            Announce(Peer(3), "198.18.0.13", "10.1.0.0/24"),
            Announce(Local, null, "10.244.0.0/26"),
            Announce(Kernel, "198.18.0.14", "10.3.0.0/24"));

        Assert.Equal(
            [
                Unicast("10.1.0.0/24", "198.18.0.11", "198.18.0.12", "198.18.0.13"),
                Unicast("10.2.0.0/24", "198.18.0.11"),
                Blackhole("10.244.0.0/26"),
            ],
            fib.KernelRoutes());
        Assert.Empty(fib.Errors);
        Assert.Equal(3, fib.Writer.InstalledCount);

        // The ECMP set shrinks, a prefix is withdrawn, the kernel-sourced route never shows.
        await fib.PostAsync(Withdraw(Peer(2), "10.1.0.0/24"), Withdraw(Peer(1), "10.2.0.0/24"));
        Assert.Equal(
            [
                Unicast("10.1.0.0/24", "198.18.0.11", "198.18.0.13"),
                Blackhole("10.244.0.0/26"),
            ],
            fib.KernelRoutes());

        var installed = await fib.Writer.GetInstalledAsync();
        Assert.Equal(2, installed.Count);
        Assert.Equal(RouteType.Blackhole, installed[P("10.244.0.0/26")].Type);
        Assert.Equal(2, installed[P("10.1.0.0/24")].NextHops.Count);
    }

    [Fact]
    public async Task Ipv6_ecmp_set_is_one_multipath_route()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "2001:db8::11", "2001:db8:100::/48"),
            Announce(Peer(2), "2001:db8::12", "2001:db8:100::/48"));

        Assert.Equal([Unicast("2001:db8:100::/48", "2001:db8::11", "2001:db8::12")], fib.KernelRoutes());

        await fib.PostAsync(Withdraw(Peer(1), "2001:db8:100::/48"));
        Assert.Equal([Unicast("2001:db8:100::/48", "2001:db8::12")], fib.KernelRoutes());

        await fib.PostAsync(Withdraw(Peer(2), "2001:db8:100::/48"));
        Assert.Empty(fib.KernelRoutes());
    }

    [Fact]
    public async Task Resync_repairs_routes_changed_behind_the_writers_back_and_leaves_other_protocols_alone()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"),
            Announce(Local, null, "10.244.0.0/26"));
        var expected = fib.KernelRoutes();
        Assert.Equal(3, expected.Count);

        var ns = fib.Namespace;
        ns.Ip("route", "del", "10.1.0.0/24", "table", "100", "proto", "177");
        ns.Ip("route", "replace", "10.2.0.0/24", "via", "198.18.0.99", "table", "100", "proto", "177", "metric", "20");
        ns.Ip("route", "add", "10.50.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "177", "metric", "20");
        ns.Ip("route", "add", "10.51.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "177", "metric", "7");
        ns.Ip("route", "add", "10.60.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "static");
        ns.Ip("route", "add", "blackhole", "10.61.0.0/24", "table", "100", "proto", "12");
        var others = ns.Ip("route", "show", "table", "100", "proto", "static") + ns.Ip("route", "show", "table", "100", "proto", "12");
        Assert.NotEqual(expected, fib.KernelRoutes());

        await fib.Writer.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(expected, fib.KernelRoutes());
        Assert.Equal(others, ns.Ip("route", "show", "table", "100", "proto", "static") + ns.Ip("route", "show", "table", "100", "proto", "12"));
        Assert.Contains("10.60.0.0/24", others, StringComparison.Ordinal);
        Assert.Contains("10.61.0.0/24", others, StringComparison.Ordinal);
        Assert.Empty(fib.Errors);
    }

    [Fact]
    public async Task Resync_timer_repairs_the_table_without_being_asked()
    {
        await using var fib = await StartAsync(o => o with { ResyncInterval = TimeSpan.FromMilliseconds(200) });
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24"));
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], fib.KernelRoutes());

        fib.Namespace.Ip("route", "del", "10.1.0.0/24", "table", "100", "proto", "177");
        fib.Namespace.Ip("route", "add", "10.50.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "177", "metric", "20");

        var held = await fib.WaitForKernelAsync([Unicast("10.1.0.0/24", "198.18.0.11")], TimeSpan.FromSeconds(10));
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], held);
    }

    [Fact]
    public async Task Start_takes_over_our_routes_and_removes_stale_ones_leaving_others()
    {
        await using var fib = await StartAsync(o => o with { InitialSyncDelay = Timeout.InfiniteTimeSpan });
        var ns = fib.Namespace;

        // A second writer on the same table, as after a restart: the first one's routes are there.
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"));
        ns.Ip("route", "add", "10.60.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "static");
        await fib.Writer.DisposeAsync();
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11")], fib.KernelRoutes());

        // The replayed feed describes 10.1.0.0/24 only: 10.2.0.0/24 went while no writer ran.
        var changes = Channel.CreateUnbounded<ImmutableArray<RibChange>>();
        _ = changes.Writer.TryWrite([RibChange.Announced(P("10.1.0.0/24"), [new RoutePath(Peer(1), Via("198.18.0.11"), 0)], DecisionReason.OnlyPath)]);
        await using var second = new FibWriter(fib.Writer.Options);
        using var stop = new CancellationTokenSource();
        var run = second.RunAsync(changes.Reader, stop.Token);

        // Until the first resync (asked for: the initial sync delay is infinite) nothing is deleted.
        await second.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, second.InstalledCount);
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11")], fib.KernelRoutes());

        await second.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, second.InstalledCount);

        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], fib.KernelRoutes());
        Assert.Contains("10.60.0.0/24", ns.Ip("route", "show", "table", "100", "proto", "static"), StringComparison.Ordinal);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        // Stopping leaves the routes in place (graceful restart).
        Assert.Equal([Unicast("10.1.0.0/24", "198.18.0.11")], fib.KernelRoutes());
    }

    [Fact]
    public async Task Flush_on_shutdown_removes_only_our_routes()
    {
        await using var fib = await StartAsync(o => o with { FlushOnShutdown = true });
        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24"), Announce(Local, null, "10.244.0.0/26"));
        fib.Namespace.Ip("route", "add", "10.60.0.0/24", "via", "198.18.0.9", "table", "100", "proto", "static");
        Assert.Equal(2, fib.KernelRoutes().Count);

        await fib.Writer.DisposeAsync();

        Assert.Empty(fib.KernelRoutes());
        _ = await Assert.ThrowsAsync<InvalidOperationException>(() => fib.Writer.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("10.60.0.0/24", fib.Namespace.Ip("route", "show", "table", "100", "proto", "static"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_the_kernel_rejects_is_reported_alone_the_rest_of_the_batch_is_installed_and_it_is_retried()
    {
        await using var fib = await StartAsync();
        await fib.PostAsync(
            Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"),
            Announce(Peer(2), "203.0.113.1", "10.3.0.0/24"),
            Announce(Local, null, "10.244.0.0/26"));

        Assert.Equal(
            [Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11"), Blackhole("10.244.0.0/26")],
            fib.KernelRoutes());
        var error = Assert.Single(fib.Errors.DistinctBy(e => e.Prefix));
        Assert.Equal(P("10.3.0.0/24"), error.Prefix);
        Assert.Equal(RouteOperation.Replace, error.Operation);
        Assert.Equal(101, error.Error.Errno); // ENETUNREACH
        Assert.Contains("10.3.0.0/24", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("203.0.113.1", error.ToString(), StringComparison.Ordinal);
        Assert.True(fib.Writer.FailedCount >= 1);
        Assert.Equal(1, fib.Writer.PendingCount);

        // Retries back off: 50 ms, 100 ms, then the 200 ms ceiling.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (fib.Errors.Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var first = fib.Errors.Take(4).ToArray();
        Assert.Equal([1, 2, 3, 4], first.Select(e => e.Attempt));
        Assert.Equal([50, 100, 200, 200], first.Select(e => (int)e.RetryAfter.TotalMilliseconds));

        // The retry installs it once the gateway is reachable.
        fib.Namespace.Ip("addr", "add", "203.0.113.2/24", "dev", "d0");
        var held = await fib.WaitForKernelAsync(
            [Unicast("10.1.0.0/24", "198.18.0.11"), Unicast("10.2.0.0/24", "198.18.0.11"), Unicast("10.3.0.0/24", "203.0.113.1"), Blackhole("10.244.0.0/26")],
            TimeSpan.FromSeconds(10));
        Assert.Contains(Unicast("10.3.0.0/24", "203.0.113.1"), held);
        await fib.SettleAsync();
        Assert.Equal(0, fib.Writer.PendingCount);
        Assert.True(fib.Errors.All(e => e.Prefix == P("10.3.0.0/24")));
    }

    [Fact]
    public async Task Tunnel_device_makes_onlink_next_hops()
    {
        await using var fib = await StartAsync(o => o with { TunnelDevice = "t0" }, ns =>
        {
            ns.Ip("link", "add", "t0", "type", "vxlan", "id", "42", "local", "198.18.0.1", "dstport", "4789", "dev", "d0");
            ns.Ip("link", "set", "t0", "up");
        });
        await fib.PostAsync(Announce(Peer(1), "192.0.2.7", "10.1.0.0/24"), Announce(Peer(2), "192.0.2.8", "10.1.0.0/24"));

        var route = Assert.Single(fib.Namespace.IpJson("route", "show", "table", "100", "proto", "177").EnumerateArray());
        Assert.Equal(Unicast("10.1.0.0/24", "192.0.2.7", "192.0.2.8"), Canonical(route));
        foreach (var hop in route.GetProperty("nexthops").EnumerateArray())
        {
            Assert.Equal("t0", hop.GetProperty("dev").GetString());
            Assert.Contains("onlink", hop.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }

        Assert.Empty(fib.Errors);
    }

    [Fact]
    public async Task A_refused_route_is_logged_as_a_warning_naming_the_prefix_and_the_kernels_error()
    {
        var logger = new ListLogger();
        await using var fib = await StartAsync(logger: logger);
        await fib.PostAsync(Announce(Peer(1), "203.0.113.1", "10.3.0.0/24"));

        var warnings = logger.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        Assert.NotEmpty(warnings);
        var entry = warnings[0];
        Assert.Contains("10.3.0.0/24", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Replace", entry.Message, StringComparison.Ordinal);
        Assert.Contains("203.0.113.1", entry.Message, StringComparison.Ordinal);
    }

    /// <summary>Keeps every log line.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
