using System.Diagnostics;
using System.Globalization;
using BgpStack.Rib.Tables;

namespace BgpStack.Benchmarks.Rib;

/// <summary>
/// The <c>rib-memory</c> console mode: builds the issue 3 workload in a fresh process and reports
/// managed heap and process RSS before and after each step, then timings (medians of several
/// rounds) for insert, second peer, LPM and peer withdrawal.
/// </summary>
public static class RibMemoryRun
{
    /// <summary>Runs the mode and writes a report to standard output.</summary>
    /// <param name="rounds">Timing rounds (the median is reported).</param>
    public static void Run(int rounds)
    {
        var output = Console.Out;
        output.WriteLine($"rib-memory: {RibWorkloads.RouteCount:N0} IPv4 /24 per peer, {Environment.ProcessorCount} cores, {RuntimeInfo()}");

        var baseline = Measure();
        output.WriteLine($"| step | managed heap (GetTotalMemory) | GC heap size | RSS | RSS after aggressive GC | table arrays |");
        output.WriteLine($"|---|---|---|---|---|---|");
        Print(output, "before", baseline, 0);

        var table = new RouteTable();
        RibWorkloads.AddAll(table, RibWorkloads.PeerA, RibWorkloads.AttributesA);
        var afterA = Measure();
        Print(output, "peer A: 1M routes", afterA, table.AllocatedBytes);

        RibWorkloads.AddAll(table, RibWorkloads.PeerB, RibWorkloads.AttributesB);
        var afterB = Measure();
        Print(output, "peer A + peer B: 2M routes", afterB, table.AllocatedBytes);

        table.RemoveSource(RibWorkloads.PeerA);
        var afterWithdraw = Measure();
        Print(output, "peer A withdrawn: 1M routes", afterWithdraw, table.AllocatedBytes);

        output.WriteLine();
        output.WriteLine($"managed bytes per route, first peer (trie + path): {(afterA.Heap - baseline.Heap) / (double)RibWorkloads.RouteCount:F1}");
        output.WriteLine($"managed bytes per additional route, second peer (path only): {(afterB.Heap - afterA.Heap) / (double)RibWorkloads.RouteCount:F1}");
        output.WriteLine($"managed bytes per route, 2M routes over 1M prefixes: {(afterB.Heap - baseline.Heap) / (2.0 * RibWorkloads.RouteCount):F1}");
        output.WriteLine($"RSS growth for 2M routes: {(afterB.Rss - baseline.Rss) / 1048576.0:F1} MiB; whole process {afterB.Rss / 1048576.0:F1} MiB (peak {afterB.PeakRss / 1048576.0:F1} MiB), {afterB.RssAfterAggressive / 1048576.0:F1} MiB after an aggressive GC");
        output.WriteLine($"whole process RSS with peer A's 1M routes: {afterA.Rss / 1048576.0:F1} MiB, {afterA.RssAfterAggressive / 1048576.0:F1} MiB after an aggressive GC (BIRD 2: 94 MB)");
        GC.KeepAlive(table);
        table = null!;

        var insert = new List<double>();
        var second = new List<double>();
        var withdraw = new List<double>();
        var lookupsInTable = new List<double>();
        var lookupsAnywhere = new List<double>();
        var decide = new List<double>();
        var inTable = RibWorkloads.AddressesInTable(10_000_000, 1);
        var anywhere = RibWorkloads.AnyAddresses(10_000_000, 2);
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect();
            var run = new RouteTable();
            var clock = Stopwatch.StartNew();
            RibWorkloads.AddAll(run, RibWorkloads.PeerA, RibWorkloads.AttributesA);
            insert.Add(RibWorkloads.RouteCount / clock.Elapsed.TotalSeconds);

            clock.Restart();
            RibWorkloads.AddAll(run, RibWorkloads.PeerB, RibWorkloads.AttributesB);
            second.Add(RibWorkloads.RouteCount / clock.Elapsed.TotalSeconds);

            lookupsInTable.Add(Lookups(run, inTable));
            lookupsAnywhere.Add(Lookups(run, anywhere));

            clock.Restart();
            var removed = run.RemoveSource(RibWorkloads.PeerA);
            withdraw.Add(removed / clock.Elapsed.TotalSeconds);
            run = null!;

            GC.Collect();
            var withDecision = new RibDecisionBenchmarks();
            withDecision.SetupFirstPeer();
            clock.Restart();
            var flips = withDecision.AddSecondPeerAndDecide();
            decide.Add(RibWorkloads.RouteCount / clock.Elapsed.TotalSeconds);
            if (flips != RibWorkloads.RouteCount / 2)
            {
                throw new InvalidOperationException($"Expected half the best paths to flip, saw {flips}.");
            }
        }

        output.WriteLine();
        output.WriteLine($"timings, median of {rounds} rounds (min .. max):");
        Report(output, "insert 1M /24 from peer A", insert, "routes/s");
        Report(output, "add the same 1M from peer B", second, "routes/s");
        Report(output, "LPM, random addresses in the table", lookupsInTable, "lookups/s");
        Report(output, "LPM, random addresses anywhere", lookupsAnywhere, "lookups/s");
        Report(output, "withdraw peer A (1M routes, one call)", withdraw, "routes/s");
        Report(output, "add peer B and run the decision per prefix (half flip by LOCAL_PREF)", decide, "routes/s");
    }

    private static double Lookups(RouteTable table, uint[] addresses)
    {
        var clock = Stopwatch.StartNew();
        var found = 0;
        foreach (var address in addresses)
        {
            if (table.TryMatchLongestIPv4(address, out _))
            {
                found++;
            }
        }

        var rate = addresses.Length / clock.Elapsed.TotalSeconds;
        GC.KeepAlive(found);
        return rate;
    }

    private static void Report(TextWriter output, string name, List<double> values, string unit)
    {
        values.Sort();
        var median = values[values.Count / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- {name}: {median / 1e6:F2} M {unit} ({values[0] / 1e6:F2} .. {values[^1] / 1e6:F2})"));
    }

    private static void Print(TextWriter output, string step, Sample sample, long tableBytes) =>
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {step} | {sample.Heap / 1048576.0:F1} MiB | {sample.GcHeapSize / 1048576.0:F1} MiB | {sample.Rss / 1048576.0:F1} MiB | {sample.RssAfterAggressive / 1048576.0:F1} MiB | {tableBytes / 1048576.0:F1} MiB |"));

    private static Sample Measure()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var (rss, peak) = ReadRss();

        // An aggressive collection also returns the GC's free space to the OS (what a long-lived daemon settles at).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var (settled, _) = ReadRss();
        return new Sample(heap, info.HeapSizeBytes, rss, peak, settled);
    }

    private static (long Rss, long Peak) ReadRss()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKilobytes(line);
            }
        }

        return (rss, peak);
    }

    private static long ParseKilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;

    private static string RuntimeInfo() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";

    private readonly record struct Sample(long Heap, long GcHeapSize, long Rss, long PeakRss, long RssAfterAggressive);
}
