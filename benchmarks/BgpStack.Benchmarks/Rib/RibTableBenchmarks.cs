using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BgpStack.Rib.Tables;

namespace BgpStack.Benchmarks.Rib;

/// <summary>
/// The RIB storage workload of issue 3, per route: insert 1M IPv4 /24s from one peer sharing one
/// attribute set; add the same 1M from a second peer with another set; withdraw everything from
/// the first peer. Each iteration starts from a freshly built table (a monitoring run: one
/// invocation of a million operations per iteration).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class RibTableBenchmarks
{
    private RouteTable table = new();

    /// <summary>A table with the first peer's routes.</summary>
    [IterationSetup(Target = nameof(AddSecondPeer))]
    public void SetupFirstPeer()
    {
        table = new RouteTable();
        RibWorkloads.AddAll(table, RibWorkloads.PeerA, RibWorkloads.AttributesA);
    }

    /// <summary>A table with both peers' routes.</summary>
    [IterationSetup(Target = nameof(WithdrawFirstPeer))]
    public void SetupBothPeers()
    {
        SetupFirstPeer();
        RibWorkloads.AddAll(table, RibWorkloads.PeerB, RibWorkloads.AttributesB);
    }

    /// <summary>1M /24s from one peer into an empty table (time per route).</summary>
    [Benchmark(OperationsPerInvoke = RibWorkloads.RouteCount)]
    public int InsertFirstPeer()
    {
        table = new RouteTable();
        RibWorkloads.AddAll(table, RibWorkloads.PeerA, RibWorkloads.AttributesA);
        return table.PathCount;
    }

    /// <summary>The same 1M /24s from a second peer with another attribute set (time per route).</summary>
    [Benchmark(OperationsPerInvoke = RibWorkloads.RouteCount)]
    public int AddSecondPeer()
    {
        RibWorkloads.AddAll(table, RibWorkloads.PeerB, RibWorkloads.AttributesB);
        return table.PathCount;
    }

    /// <summary>The first peer goes down: all its 1M routes leave in one operation (time per route).</summary>
    [Benchmark(OperationsPerInvoke = RibWorkloads.RouteCount)]
    public int WithdrawFirstPeer() => table.RemoveSource(RibWorkloads.PeerA);
}
