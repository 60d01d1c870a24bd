using System.Net;
using BgpStack.Rib.Decision;
using static BgpStack.Rib.Tests.Decision.Paths;

namespace BgpStack.Rib.Tests.Decision;

/// <summary>
/// One row per decision step: two paths that differ only in what that step looks at (and, where a
/// step is about the source, in the source), compared in both argument orders.
/// </summary>
public class DecisionStepTests
{
    private sealed record Row(string Name, PathCandidate Winner, PathCandidate Loser, DecisionReason Reason, DecisionOptions? Options = null, INextHopResolver? Resolver = null);

    private static readonly RouteSource PeerA = Ebgp(1, 65001, "198.18.0.1", "10.0.0.1");
    private static readonly RouteSource PeerB = Ebgp(2, 65001, "198.18.0.2", "10.0.0.2");
    private static readonly RouteSource IbgpA = Ibgp(3, "198.18.0.3", "10.0.0.3");
    private static readonly RouteSource IbgpB = Ibgp(4, "198.18.0.4", "10.0.0.4");
    private static readonly PathAttributes Base = Attributes(65001, 65100);
    private static readonly PathAttributes IbgpBase = Base with { LocalPref = 100 };

    private static readonly TableResolver Costs = new(new() { ["192.0.2.1"] = 10, ["192.0.2.2"] = 20 });

    private static readonly Row[] Rows =
    [
        new("admin preference: higher weight wins",
            Candidate(Ebgp(1, 65001, "198.18.0.9", "10.0.0.9", adminPreference: 10), Base),
            Candidate(PeerA with { Id = 2 }, Base), DecisionReason.AdminPreference),
        new("admin preference beats a shorter AS_PATH",
            Candidate(Ebgp(1, 65001, "198.18.0.9", "10.0.0.9", adminPreference: 10), Attributes(65001, 65002, 65003)),
            Candidate(PeerA with { Id = 2 }, Base), DecisionReason.AdminPreference),
        new("local pref: higher wins",
            Candidate(PeerA, Base with { LocalPref = 200 }, 1),
            Candidate(PeerA, Base with { LocalPref = 150 }, 2), DecisionReason.LocalPref),
        new("local pref: missing counts as the default 100",
            Candidate(PeerA, Base with { LocalPref = 101 }, 1),
            Candidate(PeerA, Base, 2), DecisionReason.LocalPref),
        new("local pref: a configured default above the present value",
            Candidate(PeerA, Base, 1),
            Candidate(PeerA, Base with { LocalPref = 150 }, 2), DecisionReason.LocalPref, new DecisionOptions { DefaultLocalPref = 200 }),
        new("locally originated: static over BGP",
            Candidate(NonBgp(7, RouteSourceKind.Static), new PathAttributes { AsPath = AsPath.Empty }),
            Candidate(PeerA, Attributes()), DecisionReason.LocallyOriginated),
        new("locally originated: a local IPAM block over an iBGP route with an empty path",
            Candidate(NonBgp(9, RouteSourceKind.Local), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty }),
            Candidate(IbgpA, IbgpBase with { AsPath = AsPath.Empty }), DecisionReason.LocallyOriginated),
        new("as path: shorter wins",
            Candidate(PeerA, Attributes(65001), 1),
            Candidate(PeerA, Attributes(65001, 65100), 2), DecisionReason.AsPathLength),
        new("as path: an AS_SET counts one",
            Candidate(PeerA, Base with { AsPath = new AsPath([new(AsPathSegmentType.AsSequence, [65001]), new(AsPathSegmentType.AsSet, [1, 2, 3])]) }, 1),
            Candidate(PeerA, Attributes(65001, 65100, 65200), 2), DecisionReason.AsPathLength),
        new("as path: confederation segments count nothing",
            Candidate(PeerA, Base with { AsPath = new AsPath([new(AsPathSegmentType.AsConfedSequence, [64512, 64513, 64514]), new(AsPathSegmentType.AsSequence, [65001])]) }, 1),
            Candidate(PeerA, Attributes(65001, 65100), 2), DecisionReason.AsPathLength),
        new("as path ignored: origin decides",
            Candidate(PeerA, Attributes(65001, 65100, 65200), 1),
            Candidate(PeerA, Attributes(65001) with { Origin = Origin.Incomplete }, 2), DecisionReason.Origin, new DecisionOptions { IgnoreAsPathLength = true }),
        new("origin: IGP over EGP",
            Candidate(PeerA, Base, 1),
            Candidate(PeerA, Base with { Origin = Origin.Egp }, 2), DecisionReason.Origin),
        new("origin: EGP over INCOMPLETE",
            Candidate(PeerA, Base with { Origin = Origin.Egp }, 1),
            Candidate(PeerA, Base with { Origin = Origin.Incomplete }, 2), DecisionReason.Origin),
        new("med: lower wins within one neighbouring AS",
            Candidate(PeerB, Base with { MultiExitDisc = 10 }),
            Candidate(PeerA, Base with { MultiExitDisc = 20 }), DecisionReason.Med),
        new("med: not compared across neighbouring ASes, the router id decides",
            Candidate(PeerA, Base with { MultiExitDisc = 20 }),
            Candidate(Ebgp(2, 65002, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100) with { MultiExitDisc = 10 }), DecisionReason.RouterId),
        new("med: always-compare-med across neighbouring ASes",
            Candidate(Ebgp(2, 65002, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100) with { MultiExitDisc = 10 }),
            Candidate(PeerA, Base with { MultiExitDisc = 20 }), DecisionReason.Med, new DecisionOptions { AlwaysCompareMed = true }),
        new("med: missing counts as 0",
            Candidate(PeerB, Base),
            Candidate(PeerA, Base with { MultiExitDisc = 1 }), DecisionReason.Med),
        new("med: missing as worst",
            Candidate(PeerB, Base with { MultiExitDisc = uint.MaxValue }),
            Candidate(PeerA, Base), DecisionReason.Med, new DecisionOptions { MissingMedAsWorst = true }),
        new("med: iBGP paths with an empty AS_PATH share our AS as their neighbouring AS",
            Candidate(IbgpB, IbgpBase with { AsPath = AsPath.Empty, MultiExitDisc = 5 }),
            Candidate(IbgpA, IbgpBase with { AsPath = AsPath.Empty, MultiExitDisc = 50 }), DecisionReason.Med),
        new("med: the neighbouring AS skips confederation segments",
            Candidate(IbgpB, IbgpBase with { AsPath = new AsPath([new(AsPathSegmentType.AsConfedSequence, [64512]), new(AsPathSegmentType.AsSequence, [65001])]), MultiExitDisc = 5 }),
            Candidate(IbgpA, IbgpBase with { AsPath = new AsPath([new(AsPathSegmentType.AsConfedSequence, [64513]), new(AsPathSegmentType.AsSequence, [65001])]), MultiExitDisc = 50 }), DecisionReason.Med),
        new("ebgp over ibgp",
            Candidate(PeerB, Base),
            Candidate(IbgpA, IbgpBase), DecisionReason.ExternalOverInternal),
        new("igp cost: lower wins",
            Candidate(IbgpB, IbgpBase),
            Candidate(IbgpA, IbgpBase with { NextHop = IPAddress.Parse("192.0.2.2") }), DecisionReason.IgpCost, null, Costs),
        new("igp cost: an unresolvable next hop is not eligible",
            Candidate(IbgpB, IbgpBase with { LocalPref = 50 }),
            Candidate(IbgpA, IbgpBase with { NextHop = IPAddress.Parse("192.0.2.99") }), DecisionReason.NextHopUnreachable, null, Costs),
        new("oldest external: the older eBGP path wins when enabled",
            Candidate(PeerB, Base, arrival: 1),
            Candidate(PeerA, Base, arrival: 2), DecisionReason.OldestExternal, new DecisionOptions { PreferOldestExternal = true }),
        new("oldest external: off by default, the router id decides",
            Candidate(PeerA, Base, arrival: 2),
            Candidate(PeerB, Base, arrival: 1), DecisionReason.RouterId),
        new("oldest external: never between iBGP paths",
            Candidate(IbgpA, IbgpBase, arrival: 2),
            Candidate(IbgpB, IbgpBase, arrival: 1), DecisionReason.RouterId, new DecisionOptions { PreferOldestExternal = true }),
        new("router id: lower wins",
            Candidate(PeerA, Base),
            Candidate(PeerB, Base), DecisionReason.RouterId),
        new("router id: ORIGINATOR_ID stands in for the BGP identifier",
            Candidate(IbgpB, IbgpBase with { OriginatorId = RouterId.Parse("10.0.0.1") }),
            Candidate(IbgpA, IbgpBase), DecisionReason.RouterId),
        new("cluster list: shorter wins",
            Candidate(IbgpB, IbgpBase with { OriginatorId = RouterId.Parse("10.9.9.9"), ClusterList = [RouterId.Parse("10.1.1.1")], HasClusterList = true }),
            Candidate(IbgpA, IbgpBase with { OriginatorId = RouterId.Parse("10.9.9.9"), ClusterList = [RouterId.Parse("10.1.1.1"), RouterId.Parse("10.2.2.2")], HasClusterList = true }),
            DecisionReason.ClusterListLength),
        new("peer address: lower wins",
            Candidate(Ebgp(2, 65001, "198.18.0.1", "10.0.0.1"), Base),
            Candidate(Ebgp(1, 65001, "198.18.0.2", "10.0.0.1"), Base), DecisionReason.PeerAddress),
        new("path identifier: the last resort between ADD-PATH paths of one peer",
            Candidate(PeerA, Base, 1),
            Candidate(PeerA, Base, 2), DecisionReason.PathIdentifier),
    ];

    public static TheoryData<string> RowNames() => [.. Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_step_picks_the_same_winner_in_both_argument_orders(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        var process = new DecisionProcess(row.Options, row.Resolver);

        var forward = process.Compare(row.Winner, row.Loser);
        Assert.True(forward.FirstWins, $"{name}: first argument should win");
        Assert.Equal(row.Reason, forward.Reason);

        var backward = process.Compare(row.Loser, row.Winner);
        Assert.True(backward.SecondWins, $"{name}: second argument should win");
        Assert.Equal(row.Reason, backward.Reason);
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_step_selects_the_same_best_path_and_reason_in_both_insertion_orders(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        var process = new DecisionProcess(row.Options, row.Resolver);
        Span<int> multipath = stackalloc int[4];

        var forward = process.Decide([row.Winner, row.Loser], multipath);
        Assert.Equal(0, forward.BestIndex);
        var backward = process.Decide([row.Loser, row.Winner], multipath);
        Assert.Equal(1, backward.BestIndex);

        // An ineligible path is not a runner-up: the winner was alone.
        var expected = row.Reason == DecisionReason.NextHopUnreachable ? DecisionReason.OnlyPath : row.Reason;
        Assert.Equal(expected, forward.Reason);
        Assert.Equal(expected, backward.Reason);

        var explained = process.Explain([row.Loser, row.Winner]);
        Assert.Equal(1, explained.BestIndex);
        Assert.Equal(new PathVerdict(PathStatus.Best, expected, -1), explained.Verdicts[1]);
        var loser = explained.Verdicts[0];
        if (row.Reason == DecisionReason.NextHopUnreachable)
        {
            Assert.Equal(PathStatus.Ineligible, loser.Status);
        }
        else
        {
            Assert.Equal(new PathVerdict(PathStatus.Lost, row.Reason, 1), loser);
        }
    }

    [Fact]
    public void The_steps_run_in_the_documented_order()
    {
        DecisionReason[] expected =
            [
                DecisionReason.AdminPreference, DecisionReason.LocalPref, DecisionReason.LocallyOriginated,
                DecisionReason.AsPathLength, DecisionReason.Origin, DecisionReason.Med, DecisionReason.ExternalOverInternal,
                DecisionReason.IgpCost, DecisionReason.OldestExternal, DecisionReason.RouterId,
                DecisionReason.ClusterListLength, DecisionReason.PeerAddress, DecisionReason.PathIdentifier,
            ];
        Assert.Equal(expected, DecisionProcess.Steps.ToArray());
    }

    [Fact]
    public void A_lone_path_wins_as_the_only_path_and_no_eligible_path_means_no_best()
    {
        var process = new DecisionProcess(resolver: Costs);
        Span<int> multipath = stackalloc int[2];
        var alone = process.Decide([Candidate(PeerA, Base)], multipath);
        Assert.Equal(new DecisionSummary(0, 1, DecisionReason.OnlyPath), alone);
        Assert.Equal(0, multipath[0]);

        var none = process.Decide([Candidate(PeerA, Base with { NextHop = IPAddress.Parse("203.0.113.1") })], multipath);
        Assert.False(none.HasBest);
        Assert.Equal(0, none.MultipathCount);
        Assert.False(process.Decide([], multipath).HasBest);
    }
}
