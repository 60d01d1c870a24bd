using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Threading.Channels;
using BgpStack.Netlink.Fib;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Benchmarks.Fib;

/// <summary>
/// Issue 5's side-by-side workload: program N IPv4 /24s via one gateway into the empty main table
/// of a fresh network namespace, then delete them, once with iproute2 (<c>ip -batch</c> to add,
/// <c>ip route flush proto</c> to delete) and once with the FIB writer fed the RIB changes it
/// would get from the RIB loop; alternating, for several rounds, each round in a namespace of its own.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class FibSideBySide
{
    private const string Gateway = "198.18.0.2";
    private const int IprouteProtocol = 200;
    private const int ChangesPerBatch = 4096;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="rounds"/> alternating rounds of <paramref name="routes"/> routes and prints medians and ratios.</summary>
    public static async Task RunAsync(int routes, int rounds)
    {
        var ipAdd = new List<double>();
        var ipDelete = new List<double>();
        var fibAdd = new List<double>();
        var fibDelete = new List<double>();
        var heapGrowth = new List<double>();
        Console.WriteLine($"FIB side by side: {routes:N0} IPv4 /24 via {Gateway}, {rounds} rounds, load {File.ReadAllText("/proc/loadavg").Trim()}");
        for (var round = 1; round <= rounds; round++)
        {
            var (add, delete) = MeasureIproute(routes, round);
            ipAdd.Add(add);
            ipDelete.Add(delete);
            Console.WriteLine($"round {round} ip -batch add {add:F2} s, ip route flush {delete:F2} s");

            var (writerAdd, writerDelete, growth) = await MeasureWriterAsync(routes, round);
            fibAdd.Add(writerAdd);
            fibDelete.Add(writerDelete);
            heapGrowth.Add(growth);
            Console.WriteLine($"round {round} FIB writer add {writerAdd:F2} s, delete {writerDelete:F2} s, managed heap +{growth / 1048576:F1} MiB while installed");
        }

        double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        Console.WriteLine($"median add: FIB writer {Median(fibAdd):F2} s, ip -batch {Median(ipAdd):F2} s, ratio {Median(fibAdd) / Median(ipAdd):F2} (target <= 0.5)");
        Console.WriteLine($"median delete: FIB writer {Median(fibDelete):F2} s, ip route flush {Median(ipDelete):F2} s, ratio {Median(fibDelete) / Median(ipDelete):F2} (target <= 0.25)");
        Console.WriteLine($"median managed heap held by the writer with all routes installed: {Median(heapGrowth) / 1048576:F1} MiB ({Median(heapGrowth) / routes:F0} B a route)");
    }

    private static (double Add, double Delete) MeasureIproute(int routes, int round)
    {
        var name = NamespaceName(round, "ip");
        var batch = Path.Combine(Path.GetTempPath(), $"{name}.batch");
        try
        {
            CreateNamespace(name);
            var text = new StringBuilder(routes * 48);
            for (var i = 0; i < routes; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"route add {Prefix(i)} via {Gateway} proto {IprouteProtocol}\n");
            }

            File.WriteAllText(batch, text.ToString());
            var add = Time(() => Ip($"-n {name} -batch {batch}"));
            var delete = Time(() => Ip($"-n {name} route flush proto {IprouteProtocol}"));
            return (add, delete);
        }
        finally
        {
            File.Delete(batch);
            Ip($"netns del {name}", check: false);
        }
    }

    private static async Task<(double Add, double Delete, double HeapGrowth)> MeasureWriterAsync(int routes, int round)
    {
        var name = NamespaceName(round, "fib");
        try
        {
            CreateNamespace(name);
            var gateway = IPAddress.Parse(Gateway);
            var source = new RouteSource { Id = 1, Kind = RouteSourceKind.Bgp, PeerAddress = gateway, PeerAs = 65001, LocalAs = 65000 };
            var path = new RoutePath(source, new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = gateway }, 0);
            var announce = Batches(routes, i => RibChange.Announced(IpPrefix.Parse(Prefix(i)), [path], DecisionReason.OnlyPath));
            var withdraw = Batches(routes, i => RibChange.Withdrawn(IpPrefix.Parse(Prefix(i))));

            long failed = 0;
            var changes = Channel.CreateUnbounded<ImmutableArray<RibChange>>();
            await using var writer = new FibWriter(new FibWriterOptions { NamespaceName = name, ResyncInterval = null }, _ => Interlocked.Increment(ref failed));
            using var stop = new CancellationTokenSource();
            var running = writer.RunAsync(changes.Reader, stop.Token);
            await writer.ResyncAsync(); // the start-up reconcile of the empty table, outside the timing

            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var add = await TimeAsync(announce, changes.Writer, () => writer.InstalledCount == routes && writer.PendingCount == 0);
            var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            var delete = await TimeAsync(withdraw, changes.Writer, () => writer.InstalledCount == 0 && writer.PendingCount == 0);
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }

            if (Interlocked.Read(ref failed) != 0)
            {
                throw new InvalidOperationException($"the kernel refused {failed} routes");
            }

            return (add, delete, heapGrowth);
        }
        finally
        {
            Ip($"netns del {name}", check: false);
        }
    }

    private static List<ImmutableArray<RibChange>> Batches(int routes, Func<int, RibChange> change)
    {
        var batches = new List<ImmutableArray<RibChange>>();
        for (var start = 0; start < routes; start += ChangesPerBatch)
        {
            var builder = ImmutableArray.CreateBuilder<RibChange>(Math.Min(ChangesPerBatch, routes - start));
            for (var i = start; i < start + builder.Capacity; i++)
            {
                builder.Add(change(i));
            }

            batches.Add(builder.MoveToImmutable());
        }

        return batches;
    }

    private static async Task<double> TimeAsync(List<ImmutableArray<RibChange>> batches, ChannelWriter<ImmutableArray<RibChange>> writer, Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await writer.WriteAsync(batch);
        }

        while (!done())
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"the FIB writer did not finish within {Limit}");
            }

            await Task.Delay(5);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static string Prefix(int i) => $"{1 + (i >> 16)}.{(i >> 8) & 0xFF}.{i & 0xFF}.0/24";

    private static string NamespaceName(int round, string who) => $"bgpstack-bench-{Environment.ProcessId}-{round}-{who}";

    private static void CreateNamespace(string name)
    {
        Ip($"netns add {name}");
        Ip($"-n {name} link set lo up");
        Ip($"-n {name} link add veth0 type veth peer name veth1");
        Ip($"-n {name} addr add 198.18.0.1/30 dev veth0");
        Ip($"-n {name} link set veth0 up");
        Ip($"-n {name} link set veth1 up");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Ip(string arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("cannot start ip");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Limit) || (check && process.ExitCode != 0))
        {
            throw new InvalidOperationException($"ip {arguments} failed: {error.Result}");
        }
    }
}
