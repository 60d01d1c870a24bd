using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Benchmarks.Macro;

/// <summary>
/// Issue 4's side-by-side BGP workloads, run with the integration tests' harness (network
/// namespaces made and deleted per round, daemons as plain processes, everything bounded):
/// <list type="bullet">
/// <item><c>ingest</c>: a BIRD 2 feeder holding N IPv4 /24 static routes announces them over eBGP
/// to the device under test; the time from the DUT's process start until its CLI counts all N,
/// and the DUT's peak RSS (VmHWM).</item>
/// <item><c>ingest-kernel</c>: the same feed, but the DUT installs its best routes in its
/// namespace's main kernel table (BIRD: a kernel protocol exporting all; bgpstackd: its FIB
/// writer), and the clock stops when that table holds all N (<see cref="KernelRouteCounter"/>).</item>
/// <item><c>fanout</c>: 20 BIRD 2 clients of a route reflector, one announcing N routes; the time
/// from the RR's process start until every other client holds all N, and the RR's peak RSS.</item>
/// </list>
/// Rounds alternate the devices; medians and ratios against BIRD are printed.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class MacroBenchmarks
{
    /// <summary>How often the DUT's CLI is polled (BGPSTACK_BENCH_POLL_MS, default 200 ms).</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(
        int.TryParse(Environment.GetEnvironmentVariable("BGPSTACK_BENCH_POLL_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 200);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private static readonly IPAddress FeederId = IPAddress.Parse("198.18.255.1");
    private static readonly IPAddress DutId = IPAddress.Parse("198.18.255.2");

    /// <summary>Runs the ingest benchmark.</summary>
    /// <param name="routes">How many /24s the feeder announces.</param>
    /// <param name="rounds">Rounds per device.</param>
    /// <param name="duts">Devices: <c>bird</c>, <c>gobgp</c>, <c>bgpstackd</c>.</param>
    /// <param name="kernel">Stop the clock when the DUT's kernel table, not its RIB, holds all routes.</param>
    public static void Ingest(int routes, int rounds, IReadOnlyList<string> duts, bool kernel = false)
    {
        var name = kernel ? "ingest-kernel" : "ingest";
        var until = kernel ? "until the DUT's kernel table main holds them (fib_triestat)" : "until the DUT's CLI counts them";
        Console.WriteLine($"{name}: {routes:N0} IPv4 /24 from a BIRD 2 feeder over eBGP {until}; DUTs {string.Join(", ", duts)}; {rounds} rounds; poll {Poll.TotalMilliseconds} ms; {Environment.ProcessorCount} cores; load {Load()}");
        var results = duts.ToDictionary(d => d, _ => new List<(double Seconds, double Mib)>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var dut in duts)
            {
                var (seconds, mib) = IngestRound(routes, dut, kernel);
                results[dut].Add((seconds, mib));
                Console.WriteLine($"round {round} {dut,-10} {seconds,7:F2} s  peak RSS {mib,8:F1} MiB  (load {Load()})");
            }
        }

        Summarise(name, results);
    }

    private static (double Seconds, double Mib) IngestRound(int routes, string dut, bool kernel)
    {
        using var topology = Topology.Create();
        var feederNode = topology.AddNode("feed");
        var dutNode = topology.AddNode("dut");
        var link = topology.Connect(feederNode, dutNode);
        var feeder = new BirdRouter(feederNode, "feeder", new RouterSpec
        {
            RouterId = FeederId,
            As = 65001,
            BulkIpv4Routes = routes,
            // Passive: the DUT connects as soon as it is up, so its own start-up is what is timed.
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, Passive = true }],
        });
        feeder.Start();
        Wait.Until($"the feeder to hold its {routes:N0} routes", Limit, () => feeder.RouteCount(Family.Ipv4) >= routes, topology.Describe, TimeSpan.FromMilliseconds(500));

        var spec = new RouterSpec
        {
            RouterId = DutId,
            As = 65002,
            InstallRoutes = kernel,
            Neighbors = [new NeighborSpec { Address = link.A4, As = 65001, LocalAddress = link.B4 }],
        };
        Router device = dut switch
        {
            "bird" => new BirdRouter(dutNode, "dut", spec),
            "gobgp" => new GobgpRouter(dutNode, "dut", spec),
            "bgpstackd" => new BgpstackdRouter(dutNode, "dut", spec),
            _ => throw new ArgumentException($"unknown DUT '{dut}' (bird, gobgp, bgpstackd)", nameof(dut)),
        };
        // Connected and local prefixes, there before the DUT installs anything.
        var baseline = kernel ? KernelRouteCounter.MainPrefixes(dutNode.Namespace) : 0;
        device.Start();
        var elapsed = kernel ? WaitKernel(device, dutNode.Namespace, baseline, routes, topology) : WaitCount(device, routes, topology);
        var peak = device.Process!.ReadStatusKb("VmHWM") ?? throw new InvalidOperationException($"{dut} exited before its RSS was read");
        ReportAndHold(device, dut);
        if (kernel)
        {
            // Outside the clock: one full dump proves the counter counted the DUT's own routes.
            KernelRouteCounter.Verify(dutNode.Namespace, dut == "bird" ? KernelRouteCounter.BirdProtocol : KernelRouteCounter.BgpstackdProtocol, routes);
        }

        device.Stop();
        feeder.Stop();
        return (elapsed.TotalSeconds, peak / 1024.0);
    }

    /// <summary>
    /// Prints a measured device's CPU time and its anonymous and file-backed RSS now, then keeps it
    /// running for BGPSTACK_BENCH_HOLD_S seconds (default 0) so a heap or profile tool can attach to
    /// it at the state that was measured.
    /// </summary>
    private static void ReportAndHold(Router device, string name)
    {
        var cpu = device.Process!.ReadCpuTimes();
        Console.WriteLine($"  {name}: CPU {cpu?.User.TotalSeconds:F2} s user, {cpu?.System.TotalSeconds:F2} s system; now RSS {device.Process.ReadStatusKb("RssAnon") / 1024.0:F1} MiB anonymous, {device.Process.ReadStatusKb("RssFile") / 1024.0:F1} MiB file-backed");

        if (int.TryParse(Environment.GetEnvironmentVariable("BGPSTACK_BENCH_HOLD_S"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            Console.WriteLine($"  {device.Name}: holding pid {device.Process!.Pid} for {seconds} s");
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
        }
    }

    private static TimeSpan WaitCount(Router device, long routes, Topology topology)
    {
        long last = 0;
        Wait.Until(
            $"{device.Name} to count {routes:N0} routes",
            Limit,
            () => (last = device.RouteCount(Family.Ipv4)) >= routes,
            () => $"last count {last:N0}\n" + topology.Describe(),
            Poll);
        return device.SinceStart;
    }

    private static TimeSpan WaitKernel(Router device, string namespaceName, long baseline, long routes, Topology topology)
    {
        long last = 0;
        TimeSpan? first = null;
        Wait.Until(
            $"{device.Name}'s kernel table main to hold {routes:N0} routes",
            Limit,
            () =>
            {
                last = KernelRouteCounter.MainPrefixes(namespaceName) - baseline;
                // When installing began (to a poll): start-up and session set-up against install throughput.
                first ??= last > 0 ? device.SinceStart : null;
                return last >= routes;
            },
            () => $"last kernel count {last:N0} (baseline {baseline})\n" + topology.Describe(),
            Poll);
        var elapsed = device.SinceStart;
        Console.WriteLine($"  {device.Name}: first kernel routes seen after {first?.TotalSeconds ?? elapsed.TotalSeconds:F2} s");
        return elapsed;
    }

    /// <summary>Runs the fan-out benchmark.</summary>
    /// <param name="routes">How many /24s the announcing client sends.</param>
    /// <param name="clients">How many clients (one announces, the rest receive).</param>
    /// <param name="rounds">Rounds per RR.</param>
    /// <param name="rrs">Route reflectors: <c>bird</c>, <c>bgpstackd</c>.</param>
    public static void Fanout(int routes, int clients, int rounds, IReadOnlyList<string> rrs)
    {
        Console.WriteLine($"fan-out: {routes:N0} IPv4 /24 from 1 of {clients} BIRD 2 RR clients reflected to the other {clients - 1}; RRs {string.Join(", ", rrs)}; {rounds} rounds; load {Load()}");
        var results = rrs.ToDictionary(d => d, _ => new List<(double Seconds, double Mib)>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var rr in rrs)
            {
                var (seconds, mib) = FanoutRound(routes, clients, rr);
                results[rr].Add((seconds, mib));
                Console.WriteLine($"round {round} {rr,-10} {seconds,7:F2} s  RR peak RSS {mib,8:F1} MiB  (load {Load()})");
            }
        }

        Summarise("fan-out", results);
    }

    private static (double Seconds, double Mib) FanoutRound(int routes, int clients, string rr)
    {
        const uint As = 65000;
        using var topology = Topology.Create();
        var rrNode = topology.AddNode("rr");
        var links = new List<Link>();
        var clientRouters = new List<BirdRouter>();
        for (var i = 0; i < clients; i++)
        {
            var node = topology.AddNode($"c{i}");
            var link = topology.Connect(rrNode, node);
            links.Add(link);
            clientRouters.Add(new BirdRouter(node, $"client{i}", new RouterSpec
            {
                RouterId = IPAddress.Parse($"198.18.254.{i + 1}"),
                As = As,
                BulkIpv4Routes = i == 0 ? routes : 0,
                // Multihop: BIRD then resolves next hops recursively and keeps reflected routes whose next
                // hop (another client's link) it cannot reach; in direct mode it would drop them.
                Neighbors = [new NeighborSpec { Address = link.A4, As = As, LocalAddress = link.B4, Passive = true, Multihop = 2 }],
            }));
        }

        foreach (var client in clientRouters)
        {
            client.Start();
        }

        Wait.Until($"client0 to hold its {routes:N0} routes", Limit, () => clientRouters[0].RouteCount(Family.Ipv4) >= routes, topology.Describe, TimeSpan.FromMilliseconds(500));

        var spec = new RouterSpec
        {
            RouterId = IPAddress.Parse("198.18.255.254"),
            As = As,
            ClusterId = IPAddress.Parse("198.18.255.254"),
            Neighbors = links.Select(l => new NeighborSpec { Address = l.B4, As = As, LocalAddress = l.A4, RouteReflectorClient = true }).ToList(),
        };
        Router reflector = rr switch
        {
            "bird" => new BirdRouter(rrNode, "rr", spec),
            "bgpstackd" => new BgpstackdRouter(rrNode, "rr", spec),
            _ => throw new ArgumentException($"unknown RR '{rr}' (bird, bgpstackd)", nameof(rr)),
        };
        reflector.Start();
        var receivers = clientRouters.Skip(1).ToList();
        var pending = new HashSet<BirdRouter>(receivers);
        TimeSpan? reflectorFull = null;
        TimeSpan? firstClientFull = null;
        Wait.Until(
            $"all {receivers.Count} receiving clients to hold {routes:N0} routes",
            Limit,
            () =>
            {
                // Split the time: the reflector's own table complete, then the first and the last client.
                reflectorFull ??= reflector.RouteCount(Family.Ipv4) >= routes ? reflector.SinceStart : null;
                pending.RemoveWhere(c => c.BgpRouteCount(Family.Ipv4) >= routes);
                firstClientFull ??= pending.Count < receivers.Count ? reflector.SinceStart : null;
                return pending.Count == 0;
            },
            () => string.Join('\n', pending.Select(c => $"{c.Name}: {c.BgpRouteCount(Family.Ipv4):N0}")) + "\n" + reflector.Describe(),
            Poll);
        var elapsed = reflector.SinceStart;
        Console.WriteLine($"  {rr}: own table complete by {reflectorFull?.TotalSeconds:F2} s, first client by {firstClientFull?.TotalSeconds:F2} s (polls every {Poll.TotalMilliseconds} ms)");
        var peak = reflector.Process!.ReadStatusKb("VmHWM") ?? throw new InvalidOperationException($"{rr} exited before its RSS was read");
        ReportAndHold(reflector, rr);
        reflector.Stop();
        return (elapsed.TotalSeconds, peak / 1024.0);
    }

    private static void Summarise(string name, Dictionary<string, List<(double Seconds, double Mib)>> results)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var medians = results.ToDictionary(r => r.Key, r => (Seconds: Median(r.Value.Select(v => v.Seconds)), Mib: Median(r.Value.Select(v => v.Mib))));
        foreach (var (device, (seconds, mib)) in medians)
        {
            var ratio = medians.TryGetValue("bird", out var bird) && device != "bird"
                ? string.Create(CultureInfo.InvariantCulture, $"  time ratio vs BIRD {seconds / bird.Seconds:F2}, RSS ratio {mib / bird.Mib:F2}")
                : "";
            Console.WriteLine($"{name} median {device,-10} {seconds,7:F2} s  peak RSS {mib,8:F1} MiB{ratio}");
        }
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Splits a comma-separated device list.</summary>
    /// <param name="text">The list.</param>
    public static IReadOnlyList<string> Devices(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>For the log: which binary version each anchor is.</summary>
    public static void PrintVersions()
    {
        foreach (var (file, arg) in new[] { ("bird", "--version"), ("gobgpd", "--version") })
        {
            try
            {
                var result = Cmd.Try(file, arg);
                Console.WriteLine($"{file}: {(result.StdOut + result.StdErr).Trim()}");
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"{file}: {e.Message}");
            }
        }

        Console.WriteLine($".NET {Environment.Version}, started {DateTime.UtcNow:u}");
    }
}
