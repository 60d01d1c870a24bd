using System.Net;
using BgpStack.Rib.Decision;
using FsCheck;
using FsCheck.Fluent;
using static BgpStack.Rib.Tests.Decision.Paths;

namespace BgpStack.Rib.Tests.Decision;

/// <summary>
/// Sets of three to five competing paths: every insertion order and every withdrawal order must end
/// with the same best path and the same multipath set, because selection looks at the whole set.
/// </summary>
public class OrderIndependenceTests
{
    private static readonly TableResolver Costs = new(new()
    {
        ["192.0.2.1"] = 10,
        ["192.0.2.2"] = 20,
        ["192.0.2.3"] = 30,
    });

    /// <summary>The classic MED cycle: P2 beats P1 (IGP), P3 beats P2 (IGP), P1 beats P3 (MED, same AS).</summary>
    private static PathCandidate[] MedCycle() =>
    [
        Candidate(Ibgp(1, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100) with { MultiExitDisc = 5, LocalPref = 100, NextHop = IPAddress.Parse("192.0.2.3") }),
        Candidate(Ibgp(2, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100) with { MultiExitDisc = 0, LocalPref = 100, NextHop = IPAddress.Parse("192.0.2.2") }),
        Candidate(Ibgp(3, "198.18.0.3", "10.0.0.3"), Attributes(65001, 65100) with { MultiExitDisc = 10, LocalPref = 100, NextHop = IPAddress.Parse("192.0.2.1") }),
    ];

    [Fact]
    public void The_med_cycle_is_really_a_cycle_pairwise()
    {
        var process = new DecisionProcess(resolver: Costs);
        var p = MedCycle();
        Assert.Equal(new PathComparison(1, DecisionReason.IgpCost), process.Compare(p[0], p[1]));
        Assert.Equal(new PathComparison(1, DecisionReason.IgpCost), process.Compare(p[1], p[2]));
        Assert.Equal(new PathComparison(1, DecisionReason.Med), process.Compare(p[2], p[0]));
    }

    [Fact]
    public void Deterministic_med_picks_the_same_best_for_every_order_of_the_med_cycle()
    {
        var winners = Permutations(MedCycle()).Select(order => BestKey(new DecisionProcess(resolver: Costs), Arrive(order))).Distinct().ToList();
        Assert.Equal([(2, 0u)], winners);
    }

    [Fact]
    public void Without_deterministic_med_the_med_cycle_depends_on_arrival_order()
    {
        var options = new DecisionOptions { DeterministicMed = false };
        var winners = Permutations(MedCycle()).Select(order => BestKey(new DecisionProcess(options, Costs), Arrive(order))).Distinct().Count();
        Assert.True(winners > 1, "the cycle should make a pairwise scan order-dependent");
    }

    [Fact]
    public void Explain_with_deterministic_med_says_who_each_path_lost_to()
    {
        var result = new DecisionProcess(resolver: Costs).Explain(MedCycle());
        Assert.Equal(1, result.BestIndex);
        Assert.Equal(DecisionReason.IgpCost, result.Reason);

        // P1 is AS 65001's best and lost to P2 on IGP cost; P3 lost to P1 on MED inside AS 65001.
        Assert.Equal(new PathVerdict(PathStatus.Lost, DecisionReason.IgpCost, 1), result.Verdicts[0]);
        Assert.Equal(new PathVerdict(PathStatus.Best, DecisionReason.IgpCost, -1), result.Verdicts[1]);
        Assert.Equal(new PathVerdict(PathStatus.Lost, DecisionReason.Med, 0), result.Verdicts[2]);
    }

    public static TheoryData<string> Scenarios() => [.. ScenarioSets.Keys];

    private static readonly Dictionary<string, (DecisionOptions Options, PathCandidate[] Paths)> ScenarioSets = new()
    {
        ["med cycle"] = (DecisionOptions.Default, MedCycle()),
        ["med cycle, always compare"] = (new DecisionOptions { AlwaysCompareMed = true }, MedCycle()),
        ["ebgp ecmp with a med loser"] = (new DecisionOptions { MaximumPaths = 4 },
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.4"), Attributes(65001, 65100) with { MultiExitDisc = 10 }),
            Candidate(Ebgp(2, 65001, "198.18.0.2", "10.0.0.3"), Attributes(65001, 65100) with { MultiExitDisc = 10 }),
            Candidate(Ebgp(3, 65001, "198.18.0.3", "10.0.0.2"), Attributes(65001, 65100) with { MultiExitDisc = 20 }),
            Candidate(Ebgp(4, 65002, "198.18.0.4", "10.0.0.1"), Attributes(65002, 65100)),
            Candidate(Ibgp(5, "198.18.0.5", "10.0.0.0"), Attributes(65001, 65100) with { LocalPref = 100, MultiExitDisc = 0 }),
        ]),
        ["multipath relax across ASes with igp costs"] = (new DecisionOptions { MaximumPaths = 3, MultipathRelax = true },
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100) with { NextHop = IPAddress.Parse("192.0.2.2") }),
            Candidate(Ebgp(2, 65002, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100) with { NextHop = IPAddress.Parse("192.0.2.1") }),
            Candidate(Ebgp(3, 65003, "198.18.0.3", "10.0.0.3"), Attributes(65003, 65100) with { NextHop = IPAddress.Parse("192.0.2.1") }),
            Candidate(Ebgp(4, 65004, "198.18.0.4", "10.0.0.4"), Attributes(65004, 65100) with { NextHop = IPAddress.Parse("192.0.2.1") }),
        ]),
        ["route reflection with add-path"] = (new DecisionOptions { MaximumPathsInternal = 2 },
        [
            Candidate(Ibgp(1, "198.18.0.1", "10.0.0.9"), Attributes(65001) with { LocalPref = 100, OriginatorId = RouterId.Parse("10.0.0.5") }, 1),
            Candidate(Ibgp(1, "198.18.0.1", "10.0.0.9"), Attributes(65001) with { LocalPref = 100, OriginatorId = RouterId.Parse("10.0.0.5"), ClusterList = [new RouterId(1)] }, 2),
            Candidate(Ibgp(2, "198.18.0.2", "10.0.0.1"), Attributes(65001) with { LocalPref = 100 }),
            Candidate(Ibgp(3, "198.18.0.3", "10.0.0.7"), Attributes(65001) with { LocalPref = 100, MultiExitDisc = 1 }),
            Candidate(NonBgp(4, RouteSourceKind.Kernel, adminPreference: -1), new PathAttributes()),
        ]),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_insertion_order_ends_with_the_same_best_and_multipath_set(string name)
    {
        var (options, paths) = ScenarioSets[name];
        var expected = Outcome(new DecisionProcess(options, Costs), paths);
        foreach (var order in Permutations(paths))
        {
            Assert.Equal(expected, Outcome(new DecisionProcess(options, Costs), Arrive(order)));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_withdrawal_order_passes_through_the_outcome_of_each_remaining_set(string name)
    {
        var (options, paths) = ScenarioSets[name];
        var process = new DecisionProcess(options, Costs);
        foreach (var order in Permutations(Arrive(paths)))
        {
            var remaining = order.ToList();
            while (remaining.Count > 0)
            {
                remaining.RemoveAt(0);
                var canonical = remaining.OrderBy(p => Key(p)).ToArray();
                Assert.Equal(Outcome(process, canonical), Outcome(process, [.. remaining]));
            }
        }
    }

    [Fact]
    public void Random_sets_of_three_to_five_paths_decide_the_same_in_every_order()
    {
        var arb = Gen.Choose(3, 5)
            .SelectMany(n => Gen.ArrayOf(RandomPath(), n))
            .Zip(RandomOptions())
            .ToArbitrary();
        Prop.ForAll(arb, input =>
        {
            var (shapes, options) = input;
            var paths = shapes.Select((shape, i) => shape(i + 1)).ToArray();
            var expected = Outcome(new DecisionProcess(options, Costs), paths);
            return Permutations(paths).All(order => Outcome(new DecisionProcess(options, Costs), Arrive(order)) == expected);
        }).QuickCheckThrowOnFailure();
    }

    private static Gen<Func<int, PathCandidate>> RandomPath() =>
        from peerAs in Gen.Elements(65001u, 65002u, LocalAs)
        from length in Gen.Choose(1, 2)
        from med in Gen.Elements<uint?>(null, 0u, 10u, 20u)
        from localPref in Gen.Elements<uint?>(null, 100u)
        from nextHop in Gen.Elements("192.0.2.1", "192.0.2.2", "192.0.2.3")
        from origin in Gen.Elements(Origin.Igp, Origin.Egp)
        from routerId in Gen.Choose(1, 4)
        select (Func<int, PathCandidate>)(id =>
        {
            var neighbor = peerAs == LocalAs ? 65001u : peerAs;
            var asns = length == 1 ? new[] { neighbor } : [neighbor, 65100u];
            var attributes = Attributes(asns) with { MultiExitDisc = med, LocalPref = localPref, Origin = origin, NextHop = IPAddress.Parse(nextHop) };
            return Candidate(Ebgp(id, peerAs, $"198.18.0.{id}", $"10.0.0.{routerId}"), attributes);
        });

    private static Gen<DecisionOptions> RandomOptions() =>
        from alwaysCompare in Gen.Elements(false, true)
        from missingWorst in Gen.Elements(false, true)
        from relax in Gen.Elements(false, true)
        from maxPaths in Gen.Choose(1, 4)
        from maxInternal in Gen.Choose(1, 4)
        from ignoreLength in Gen.Elements(false, true)
        select new DecisionOptions
        {
            AlwaysCompareMed = alwaysCompare,
            MissingMedAsWorst = missingWorst,
            MultipathRelax = relax,
            MaximumPaths = maxPaths,
            MaximumPathsInternal = maxInternal,
            IgnoreAsPathLength = ignoreLength,
        };

    /// <summary>The best path and the multipath set, as path identities (order of the set included).</summary>
    private static string Outcome(DecisionProcess process, PathCandidate[] paths)
    {
        Span<int> multipath = stackalloc int[8];
        var summary = process.Decide(paths, multipath);
        if (!summary.HasBest)
        {
            return "none";
        }

        var set = new List<string>();
        foreach (var index in multipath[..summary.MultipathCount])
        {
            set.Add(Key(paths[index]).ToString());
        }

        return $"{Key(paths[summary.BestIndex])} by {summary.Reason}; multipath {string.Join(' ', set)}";
    }

    private static (int, uint) BestKey(DecisionProcess process, PathCandidate[] paths)
    {
        Span<int> multipath = stackalloc int[1];
        return Key(paths[process.Decide(paths, multipath).BestIndex]);
    }

    /// <summary>Stamps arrival numbers in the given order, as a RIB receiving them one after another would.</summary>
    private static PathCandidate[] Arrive(IEnumerable<PathCandidate> order) =>
        [.. order.Select((p, i) => p with { Arrival = i })];

    private static IEnumerable<PathCandidate[]> Permutations(PathCandidate[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
