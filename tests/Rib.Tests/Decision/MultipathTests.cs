using System.Net;
using BgpStack.Rib.Decision;
using static BgpStack.Rib.Tests.Decision.Paths;

namespace BgpStack.Rib.Tests.Decision;

public class MultipathTests
{
    private static PathCandidate[] FourEqualExternalPaths() =>
    [
        Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.4"), Attributes(65001, 65100)),
        Candidate(Ebgp(2, 65001, "198.18.0.2", "10.0.0.3"), Attributes(65001, 65100)),
        Candidate(Ebgp(3, 65001, "198.18.0.3", "10.0.0.2"), Attributes(65001, 65100)),
        Candidate(Ebgp(4, 65001, "198.18.0.4", "10.0.0.1"), Attributes(65001, 65100)),
    ];

    private static int[] Multipath(DecisionOptions options, PathCandidate[] paths, INextHopResolver? resolver = null)
    {
        Span<int> buffer = stackalloc int[16];
        var summary = new DecisionProcess(options, resolver).Decide(paths, buffer);
        return buffer[..summary.MultipathCount].ToArray();
    }

    [Fact]
    public void Without_max_paths_the_set_is_the_best_alone()
    {
        Assert.Equal([3], Multipath(DecisionOptions.Default, FourEqualExternalPaths()));
    }

    [Theory]
    [InlineData(2, new[] { 3, 2 })]
    [InlineData(3, new[] { 3, 2, 1 })]
    [InlineData(4, new[] { 3, 2, 1, 0 })]
    [InlineData(8, new[] { 3, 2, 1, 0 })]
    public void Max_paths_caps_the_set_in_preference_order(int maximumPaths, int[] expected)
    {
        Assert.Equal(expected, Multipath(new DecisionOptions { MaximumPaths = maximumPaths }, FourEqualExternalPaths()));
    }

    [Fact]
    public void A_short_output_span_caps_the_set_too()
    {
        Span<int> buffer = stackalloc int[2];
        var summary = new DecisionProcess(new DecisionOptions { MaximumPaths = 4 }).Decide(FourEqualExternalPaths(), buffer);
        Assert.Equal(2, summary.MultipathCount);
        Assert.Equal([3, 2], buffer.ToArray());
    }

    [Fact]
    public void Paths_that_differ_before_the_igp_cost_step_or_in_it_stay_out()
    {
        var resolver = new TableResolver(new() { ["192.0.2.1"] = 10, ["192.0.2.2"] = 20 });
        var paths = FourEqualExternalPaths();
        paths[0] = paths[0] with { Attributes = paths[0].Attributes with { MultiExitDisc = 5 } };
        paths[1] = paths[1] with { Attributes = paths[1].Attributes with { NextHop = IPAddress.Parse("192.0.2.2") } };
        paths[2] = paths[2] with { Attributes = paths[2].Attributes with { Origin = Origin.Incomplete } };
        Assert.Equal([3], Multipath(new DecisionOptions { MaximumPaths = 4, MissingMedAsWorst = false }, paths, resolver));
    }

    [Fact]
    public void Paths_beyond_the_igp_cost_step_still_share_the_set()
    {
        var paths = FourEqualExternalPaths();
        paths[0] = paths[0] with { Attributes = paths[0].Attributes with { ClusterList = [new RouterId(1)] } };
        paths[1] = paths[1] with { Arrival = 99 };
        // Path 1 arrived last, so it sorts after the older ones but still belongs to the set.
        Assert.Equal([3, 2, 0, 1], Multipath(new DecisionOptions { MaximumPaths = 4, PreferOldestExternal = true }, paths));
    }

    [Fact]
    public void Multipath_relax_lets_different_neighbouring_ases_of_equal_length_share_the_set()
    {
        PathCandidate[] paths =
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100)),
            Candidate(Ebgp(2, 65002, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100)),
            Candidate(Ebgp(3, 65003, "198.18.0.3", "10.0.0.3"), Attributes(65003, 65200)),
            Candidate(Ebgp(4, 65004, "198.18.0.4", "10.0.0.4"), Attributes(65004, 65200, 65300)),
        ];
        Assert.Equal([0], Multipath(new DecisionOptions { MaximumPaths = 4 }, paths));
        Assert.Equal([0, 1, 2], Multipath(new DecisionOptions { MaximumPaths = 4, MultipathRelax = true }, paths));
    }

    [Fact]
    public void Without_relax_identical_as_paths_from_different_peers_share_the_set()
    {
        PathCandidate[] paths =
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100)),
            Candidate(Ebgp(2, 65001, "198.18.0.2", "10.0.0.2"), Attributes(65001, 65100)),
            Candidate(Ebgp(3, 65001, "198.18.0.3", "10.0.0.3"), Attributes(65001, 65200)),
        ];
        Assert.Equal([0, 1], Multipath(new DecisionOptions { MaximumPaths = 4 }, paths));
    }

    [Fact]
    public void Ibgp_multipath_has_its_own_maximum()
    {
        PathCandidate[] paths =
        [
            Candidate(Ibgp(1, "198.18.0.1", "10.0.0.1"), Attributes(65001) with { LocalPref = 100 }),
            Candidate(Ibgp(2, "198.18.0.2", "10.0.0.2"), Attributes(65001) with { LocalPref = 100 }),
            Candidate(Ibgp(3, "198.18.0.3", "10.0.0.3"), Attributes(65001) with { LocalPref = 100 }),
        ];
        Assert.Equal([0], Multipath(new DecisionOptions { MaximumPaths = 4 }, paths));
        Assert.Equal([0, 1, 2], Multipath(new DecisionOptions { MaximumPathsInternal = 3 }, paths));
        Assert.Equal([0, 1], Multipath(new DecisionOptions { MaximumPathsInternal = 2 }, paths));
    }

    [Fact]
    public void Ebgp_and_ibgp_paths_never_mix_in_one_set()
    {
        PathCandidate[] paths =
        [
            Candidate(Ibgp(1, "198.18.0.1", "10.0.0.1"), Attributes(65001) with { LocalPref = 100 }),
            Candidate(Ebgp(2, 65001, "198.18.0.2", "10.0.0.2"), Attributes(65001)),
        ];
        Assert.Equal([1], Multipath(new DecisionOptions { MaximumPaths = 4, MaximumPathsInternal = 4 }, paths));
    }

    [Fact]
    public void With_deterministic_med_a_path_beaten_on_med_inside_its_own_as_stays_out_even_under_relax()
    {
        PathCandidate[] paths =
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100) with { MultiExitDisc = 0 }),
            Candidate(Ebgp(2, 65002, "198.18.0.2", "10.0.0.2"), Attributes(65002, 65100) with { MultiExitDisc = 0 }),
            Candidate(Ebgp(3, 65002, "198.18.0.3", "10.0.0.3"), Attributes(65002, 65100) with { MultiExitDisc = 50 }),
        ];
        var options = new DecisionOptions { MaximumPaths = 4, MultipathRelax = true };
        Assert.Equal([0, 1], Multipath(options, paths));

        var explained = new DecisionProcess(options).Explain(paths);
        Assert.Equal(new PathVerdict(PathStatus.Multipath, DecisionReason.RouterId, 0), explained.Verdicts[1]);
        Assert.Equal(new PathVerdict(PathStatus.Lost, DecisionReason.Med, 1), explained.Verdicts[2]);
    }

    [Fact]
    public void Ecmp_among_static_sources_is_allowed()
    {
        PathCandidate[] paths =
        [
            Candidate(NonBgp(1, RouteSourceKind.Static), new PathAttributes { NextHop = IPAddress.Parse("192.0.2.1") }),
            Candidate(NonBgp(2, RouteSourceKind.Static), new PathAttributes { NextHop = IPAddress.Parse("192.0.2.2") }),
        ];
        Assert.Equal([0, 1], Multipath(new DecisionOptions { MaximumPaths = 2 }, paths));
    }
}
