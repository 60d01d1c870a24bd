using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using BgpStack.Netlink.Fib;
using BgpStack.Rib;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Netlink.Tests.Fib;

/// <summary>
/// A namespace with a veth pair (d0, d1) on 198.18.0.1/24 and 2001:db8::1/64 (so gateways there are
/// reachable), a running RIB loop with ECMP, and a FIB writer fed by the loop's change feed and
/// writing table <see cref="Table"/> of the namespace.
/// </summary>
internal sealed class FibHarness : IAsyncDisposable
{
    public const uint Table = 100;

    private readonly CancellationTokenSource stop = new();
    private readonly Task ribRun;
    private readonly ChangeSubscription subscription;

    private FibHarness(TestNamespace ns, RibLoop loop, Task ribRun, ChangeSubscription subscription, FibWriter writer, bool onSubscription)
    {
        Namespace = ns;
        Loop = loop;
        this.ribRun = ribRun;
        this.subscription = subscription;
        Writer = writer;
        WriterRun = onSubscription ? writer.RunAsync(subscription, stop.Token) : writer.RunAsync(subscription.Batches, stop.Token);
    }

    public TestNamespace Namespace { get; }

    public RibLoop Loop { get; }

    public FibWriter Writer { get; }

    public Task WriterRun { get; }

    /// <summary>Every refusal the writer reported.</summary>
    public ConcurrentQueue<FibRouteError> Errors { get; } = new();

    public static async Task<FibHarness> StartAsync(Func<FibWriterOptions, FibWriterOptions>? configure = null, Action<TestNamespace>? setup = null, bool onSubscription = false, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var ns = TestNamespace.Create();
        try
        {
            ns.Ip("link", "add", "d0", "type", "veth", "peer", "name", "d1");
            ns.Ip("link", "set", "d1", "up");
            ns.Ip("addr", "add", "198.18.0.1/24", "dev", "d0");
            ns.Ip("addr", "add", "2001:db8::1/64", "dev", "d0", "nodad");
            ns.Ip("link", "set", "d0", "up");
            // Another protocol's route per family, so the table exists for iproute2's dumps from the start.
            ns.Ip("route", "add", "unreachable", "192.0.2.255/32", "table", "100", "proto", "static");
            ns.Ip("-6", "route", "add", "unreachable", "2001:db8:ffff::/128", "table", "100", "proto", "static");
            setup?.Invoke(ns);
            var loop = new RibLoop(new RibLoopOptions { Decision = new DecisionOptions { MaximumPaths = 8 } });
            var subscribed = loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxQueuedBatches = 1024, Name = "fib" }, replayCurrentTable: true);
            var ribRun = Task.Run(() => loop.RunAsync(CancellationToken.None));
            var subscription = await subscribed.WaitAsync(TimeSpan.FromSeconds(10));
            var options = new FibWriterOptions
            {
                NamespaceName = ns.Name,
                Table = Table,
                ResyncInterval = null,
                RetryInitialDelay = TimeSpan.FromMilliseconds(50),
                RetryMaximumDelay = TimeSpan.FromMilliseconds(200),
            };
            FibHarness? harness = null;
            var writer = new FibWriter(configure?.Invoke(options) ?? options, e => harness?.Errors.Enqueue(e), logger: logger);
            harness = new FibHarness(ns, loop, ribRun, subscription, writer, onSubscription);
            return harness;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public static RouteSource Peer(int id) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAs = 65001,
        LocalAs = 65000,
        PeerAddress = IPAddress.Parse($"198.18.1.{id}"),
        PeerRouterId = RouterId.Parse($"10.0.0.{id}"),
    };

    public static RouteSource Local { get; } = new() { Id = 90, Kind = RouteSourceKind.Local };

    public static RouteSource Kernel { get; } = new() { Id = 91, Kind = RouteSourceKind.Kernel };

    public static IpPrefix P(string text) => IpPrefix.Parse(text);

    public static PathAttributes Via(string? nextHop) => new()
    {
        Origin = Origin.Igp,
        AsPath = nextHop is null ? AsPath.Empty : AsPath.FromSequence([65001]),
        NextHop = nextHop is null ? null : IPAddress.Parse(nextHop),
        LocalPref = 100,
    };

    public static RouteAnnouncement Announce(RouteSource source, string? nextHop, params string[] prefixes) =>
        new(source, Via(nextHop), [.. prefixes.Select(p => new RouteKey(P(p)))]);

    public static RouteWithdrawal Withdraw(RouteSource source, params string[] prefixes) =>
        new(source, [.. prefixes.Select(p => new RouteKey(P(p)))]);

    /// <summary>Posts the updates and waits until the RIB processed them and the writer applied the changes.</summary>
    public async Task PostAsync(params RibUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Loop.PostAsync(update);
        }

        await SettleAsync();
    }

    public async Task SettleAsync()
    {
        await Loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Our routes in the table as iproute2 shows them, one canonical line each.</summary>
    public SortedSet<string> KernelRoutes(string protocol = "177")
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var family in new[] { "-4", "-6" })
        {
            foreach (var route in Namespace.IpJson(family, "route", "show", "table", Table.ToString(System.Globalization.CultureInfo.InvariantCulture), "proto", protocol).EnumerateArray())
            {
                _ = lines.Add(Canonical(route));
            }
        }

        return lines;
    }

    /// <summary>A canonical line: <c>unicast 10.0.0.0/24 via 198.18.0.2,198.18.0.3</c> or <c>blackhole 10.244.0.0/26</c>.</summary>
    public static string Canonical(JsonElement route)
    {
        var type = route.TryGetProperty("type", out var t) ? t.GetString() : "unicast";
        var gateways = new List<string>();
        if (route.TryGetProperty("gateway", out var gateway))
        {
            gateways.Add(gateway.GetString()!);
        }

        if (route.TryGetProperty("nexthops", out var hops))
        {
            foreach (var hop in hops.EnumerateArray())
            {
                gateways.Add(hop.GetProperty("gateway").GetString()!);
            }
        }

        gateways.Sort(StringComparer.Ordinal);
        var dst = route.GetProperty("dst").GetString();
        return gateways.Count == 0 ? $"{type} {dst}" : $"{type} {dst} via {string.Join(',', gateways)}";
    }

    /// <summary>The canonical line of a unicast route through <paramref name="gateways"/>.</summary>
    public static string Unicast(string prefix, params string[] gateways) =>
        $"unicast {prefix} via {string.Join(',', gateways.Order(StringComparer.Ordinal))}";

    /// <summary>The canonical line of a blackhole route.</summary>
    public static string Blackhole(string prefix) => $"blackhole {prefix}";

    /// <summary>Waits (bounded) until our routes in the kernel equal <paramref name="expected"/>.</summary>
    public async Task<SortedSet<string>> WaitForKernelAsync(IEnumerable<string> expected, TimeSpan timeout)
    {
        var want = new SortedSet<string>(expected, StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var held = KernelRoutes();
            if (held.SetEquals(want) || DateTime.UtcNow > deadline)
            {
                return held;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await stop.CancelAsync();
            await WriterRun.WaitAsync(TimeSpan.FromSeconds(30));
            await Writer.DisposeAsync();
            subscription.Dispose();
            Loop.CompleteUpdates();
            await ribRun.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            stop.Dispose();
            Namespace.Dispose();
        }
    }
}
