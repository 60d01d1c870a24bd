using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Tables;

namespace BgpStack.Benchmarks.Rib;

/// <summary>
/// The second peer's 1M /24s arrive and the decision process runs for every prefix: on half of
/// them the new path's LOCAL_PREF (200) beats the first peer's (100) and the best path flips, on
/// the other half (LOCAL_PREF 50) it stays. Storage plus decision, as the RIB loop does them per
/// prefix, without the loop's channels and change feed. Time per route.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class RibDecisionBenchmarks
{
    private readonly DecisionProcess decision = new();
    private readonly Route[] routes = new Route[8];
    private readonly PathCandidate[] candidates = new PathCandidate[8];
    private readonly int[] multipath = new int[8];
    private RouteTable table = new();

    /// <summary>A table with the first peer's routes, each selected as its prefix's best path.</summary>
    [IterationSetup]
    public void SetupFirstPeer()
    {
        table = new RouteTable();
        var id = table.Attributes.Acquire(RibWorkloads.AttributesA);
        for (var i = 0; i < RibWorkloads.RouteCount; i++)
        {
            var prefix = RibWorkloads.Prefix(i);
            table.Upsert(prefix, RibWorkloads.PeerA, 0, id);
            Decide(prefix);
        }

        table.Attributes.Release(id);
    }

    /// <summary>Adds the second peer's routes and decides each prefix; returns how many best paths flipped.</summary>
    [Benchmark(OperationsPerInvoke = RibWorkloads.RouteCount)]
    public int AddSecondPeerAndDecide()
    {
        var preferred = table.Attributes.Acquire(RibWorkloads.AttributesB with { LocalPref = 200 });
        var worse = table.Attributes.Acquire(RibWorkloads.AttributesB with { LocalPref = 50 });
        var flips = 0;
        for (var i = 0; i < RibWorkloads.RouteCount; i++)
        {
            var prefix = RibWorkloads.Prefix(i);
            table.Upsert(prefix, RibWorkloads.PeerB, 0, i % 2 == 0 ? preferred : worse);
            flips += Decide(prefix) ? 1 : 0;
        }

        table.Attributes.Release(preferred);
        table.Attributes.Release(worse);
        return flips;
    }

    /// <summary>Runs the decision over a prefix's paths and records a changed best path; true when it changed.</summary>
    private bool Decide(IpPrefix prefix)
    {
        var count = 0;
        foreach (var route in table.GetPaths(prefix))
        {
            routes[count++] = route;
        }

        for (var i = 0; i < count; i++)
        {
            var route = routes[i];
            candidates[i] = new PathCandidate(route.Source, route.Attributes, route.PathId, (int)(route.ArrivalOrder - routes[0].ArrivalOrder));
        }

        var summary = decision.Decide(candidates.AsSpan(0, count), multipath);
        var best = routes[summary.BestIndex];
        if (best.IsBest)
        {
            return false;
        }

        table.SetSelection(prefix, best.Id, []);
        return true;
    }
}
