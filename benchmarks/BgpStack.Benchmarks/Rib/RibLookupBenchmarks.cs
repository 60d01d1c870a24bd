using BenchmarkDotNet.Attributes;
using BgpStack.Rib.Tables;

namespace BgpStack.Benchmarks.Rib;

/// <summary>Longest-prefix match over the full table (both peers' 1M /24s), random addresses, time per lookup.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RibLookupBenchmarks
{
    private const int Lookups = 1_000_000;
    private readonly RouteTable table = new();
    private uint[] inTable = [];
    private uint[] anywhere = [];

    /// <summary>Builds the table and the addresses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        RibWorkloads.AddAll(table, RibWorkloads.PeerA, RibWorkloads.AttributesA);
        RibWorkloads.AddAll(table, RibWorkloads.PeerB, RibWorkloads.AttributesB);
        inTable = RibWorkloads.AddressesInTable(Lookups, 1);
        anywhere = RibWorkloads.AnyAddresses(Lookups, 2);
    }

    /// <summary>Random addresses inside the table's /24s: every lookup descends to a /24.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public int MatchLongestInTable() => Run(inTable);

    /// <summary>Random addresses from the whole IPv4 space: most miss near the root.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public int MatchLongestAnywhere() => Run(anywhere);

    private int Run(uint[] addresses)
    {
        var found = 0;
        foreach (var address in addresses)
        {
            if (table.TryMatchLongestIPv4(address, out _))
            {
                found++;
            }
        }

        return found;
    }
}
