using System.Collections.Immutable;

namespace BgpStack.Rib.Decision;

/// <summary>
/// The BGP decision process (RFC 4271 §9.1.2) for one prefix at a time: picks the best path and
/// the multipath set from all of a prefix's candidates, and says why. Every call looks at the
/// whole candidate set, so with deterministic MED (or always-compare-med) the outcome does not
/// depend on the order in which paths arrived or left. Reuses internal buffers: one instance
/// belongs to one thread (the RIB loop).
/// </summary>
public sealed class DecisionProcess
{
    private RankedPath[] ranked = new RankedPath[8];
    private int[] groupOf = new int[8];
    private int[] groupBest = new int[8];
    private long[] groupKey = new long[8];
    private int[] order = new int[8];
    private int[] lostTo = new int[8];
    private DecisionReason[] lostReason = new DecisionReason[8];
    private int count;

    /// <summary>Creates a decision process.</summary>
    /// <param name="options">The tie-breaking options; <see cref="DecisionOptions.Default"/> when null.</param>
    /// <param name="resolver">The next-hop resolver; every next hop reachable at cost 0 when null.</param>
    public DecisionProcess(DecisionOptions? options = null, INextHopResolver? resolver = null)
    {
        Options = options ?? DecisionOptions.Default;
        Resolver = resolver ?? DirectNextHopResolver.Instance;
    }

    /// <summary>The options.</summary>
    public DecisionOptions Options { get; }

    /// <summary>The next-hop resolver.</summary>
    public INextHopResolver Resolver { get; }

    /// <summary>The comparing steps in the order they run.</summary>
    public static ImmutableArray<DecisionReason> Steps => DecisionSteps.Order;

    /// <summary>Compares two paths step by step.</summary>
    /// <param name="first">The first path.</param>
    /// <param name="second">The second path.</param>
    /// <returns>Which is preferred and at which step; a path whose next hop does not resolve loses with <see cref="DecisionReason.NextHopUnreachable"/>.</returns>
    public PathComparison Compare(in PathCandidate first, in PathCandidate second)
    {
        var firstOk = RankedPath.TryRank(first, 0, Options, Resolver, out var a);
        var secondOk = RankedPath.TryRank(second, 1, Options, Resolver, out var b);
        if (!firstOk || !secondOk)
        {
            return new PathComparison(firstOk == secondOk ? 0 : firstOk ? -1 : 1, DecisionReason.NextHopUnreachable);
        }

        return DecisionSteps.Compare(a, b, Options);
    }

    /// <summary>Picks the best path and the multipath set without allocating.</summary>
    /// <param name="candidates">All of the prefix's paths.</param>
    /// <param name="multipath">Receives the multipath set as candidate indices, the best first; at most its length are written.</param>
    /// <returns>The best index, how many multipath indices were written, and why the best won.</returns>
    public DecisionSummary Decide(ReadOnlySpan<PathCandidate> candidates, Span<int> multipath)
    {
        Rank(candidates);
        if (count == 0)
        {
            return new DecisionSummary(-1, 0, DecisionReason.OnlyPath);
        }

        var best = Select(-1);
        var reason = ReasonAgainstRunnerUp(best);
        var written = WriteMultipath(candidates, best, multipath);
        return new DecisionSummary(ranked[best].Index, written, reason);
    }

    /// <summary>Picks the best path and the multipath set and gives a verdict for every candidate (for <c>show route</c>).</summary>
    /// <param name="candidates">All of the prefix's paths.</param>
    /// <returns>The outcome.</returns>
    public DecisionResult Explain(ReadOnlySpan<PathCandidate> candidates)
    {
        Rank(candidates);
        var verdicts = new PathVerdict[candidates.Length];
        Array.Fill(verdicts, new PathVerdict(PathStatus.Ineligible, DecisionReason.NextHopUnreachable, -1));
        if (count == 0)
        {
            return new DecisionResult(-1, [], DecisionReason.OnlyPath, [.. verdicts]);
        }

        var best = Select(-1);
        var reason = ReasonAgainstRunnerUp(best);
        var multipath = new int[MultipathCap(best)];
        var written = WriteMultipath(candidates, best, multipath);

        // Who each loser lost to: the elimination order of the scan, or within its neighbouring-AS
        // group to the group's best and between groups to the overall best.
        if (Grouped)
        {
            Group(-1);
        }
        else
        {
            Select(-1);
        }

        var bestIndex = ranked[best].Index;
        for (var r = 0; r < count; r++)
        {
            var index = ranked[r].Index;
            if (r == best)
            {
                verdicts[index] = new PathVerdict(PathStatus.Best, reason, -1);
                continue;
            }

            int winner;
            DecisionReason lost;
            if (Grouped)
            {
                var groupWinner = groupBest[groupOf[r]];
                winner = groupWinner == r ? best : groupWinner;
                lost = DecisionSteps.Compare(ranked[winner], ranked[r], Options).Reason;
            }
            else
            {
                winner = lostTo[r];
                lost = lostReason[r];
            }

            var status = multipath.AsSpan(0, written).Contains(index) ? PathStatus.Multipath : PathStatus.Lost;
            if (status == PathStatus.Multipath)
            {
                winner = best;
                lost = DecisionSteps.Compare(ranked[best], ranked[r], Options).Reason;
            }

            verdicts[index] = new PathVerdict(status, lost, ranked[winner].Index);
        }

        return new DecisionResult(bestIndex, [.. multipath.AsSpan(0, written)], reason, [.. verdicts]);
    }

    /// <summary>True when selection groups paths by neighbouring AS (one group when MED is always compared).</summary>
    private bool Grouped => Options.DeterministicMed || Options.AlwaysCompareMed;

    private void Rank(ReadOnlySpan<PathCandidate> candidates)
    {
        if (ranked.Length < candidates.Length)
        {
            var size = Math.Max(candidates.Length, ranked.Length * 2);
            ranked = new RankedPath[size];
            groupOf = new int[size];
            groupBest = new int[size];
            groupKey = new long[size];
            order = new int[size];
            lostTo = new int[size];
            lostReason = new DecisionReason[size];
        }

        count = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (RankedPath.TryRank(candidates[i], i, Options, Resolver, out var path))
            {
                ranked[count++] = path;
            }
        }
    }

    /// <summary>The best ranked position, leaving out <paramref name="exclude"/> (-1 for none); -1 when nothing is left.</summary>
    private int Select(int exclude) => Grouped ? SelectGrouped(exclude) : SelectInArrivalOrder(exclude);

    /// <summary>Deterministic MED: each neighbouring AS's best, then the best of those.</summary>
    private int SelectGrouped(int exclude)
    {
        var groups = Group(exclude);
        var best = -1;
        for (var g = 0; g < groups; g++)
        {
            var candidate = groupBest[g];
            if (best < 0 || DecisionSteps.Compare(ranked[candidate], ranked[best], Options).FirstWins)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Sorts the ranked paths into groups by neighbouring AS and finds each group's best; returns the number of groups.</summary>
    private int Group(int exclude)
    {
        var groups = 0;
        for (var r = 0; r < count; r++)
        {
            groupOf[r] = -1;
            if (r == exclude)
            {
                continue;
            }

            var key = GroupKey(r);
            var g = 0;
            while (g < groups && groupKey[g] != key)
            {
                g++;
            }

            if (g == groups)
            {
                groupKey[g] = key;
                groupBest[g] = r;
                groups++;
            }
            else if (DecisionSteps.Compare(ranked[r], ranked[groupBest[g]], Options).FirstWins)
            {
                groupBest[g] = r;
            }

            groupOf[r] = g;
        }

        return groups;
    }

    /// <summary>One group when MED is always compared; otherwise the neighbouring AS, and a group of its own for a path whose neighbouring AS is unknown.</summary>
    private long GroupKey(int r) =>
        Options.AlwaysCompareMed ? 0 : ranked[r].NeighborAs >= 0 ? ranked[r].NeighborAs : -2 - r;

    /// <summary>
    /// Without deterministic MED: compare each path with the best so far, oldest first. MED is not
    /// transitive, so this outcome can depend on the arrival order; it is still the same for the
    /// same set of paths with the same arrival numbers.
    /// </summary>
    private int SelectInArrivalOrder(int exclude)
    {
        var n = 0;
        for (var r = 0; r < count; r++)
        {
            if (r == exclude)
            {
                continue;
            }

            var j = n++;
            while (j > 0 && Older(r, order[j - 1]))
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = r;
        }

        var best = -1;
        for (var k = 0; k < n; k++)
        {
            var r = order[k];
            lostTo[r] = -1;
            if (best < 0)
            {
                best = r;
                continue;
            }

            var comparison = DecisionSteps.Compare(ranked[r], ranked[best], Options);
            if (comparison.FirstWins)
            {
                lostTo[best] = r;
                lostReason[best] = comparison.Reason;
                best = r;
            }
            else
            {
                lostTo[r] = best;
                lostReason[r] = comparison.Reason;
            }
        }

        return best;
    }

    private bool Older(int a, int b) =>
        ranked[a].Arrival != ranked[b].Arrival ? ranked[a].Arrival < ranked[b].Arrival : ranked[a].Index < ranked[b].Index;

    private DecisionReason ReasonAgainstRunnerUp(int best)
    {
        var runnerUp = Select(best);
        return runnerUp < 0 ? DecisionReason.OnlyPath : DecisionSteps.Compare(ranked[best], ranked[runnerUp], Options).Reason;
    }

    private int MultipathCap(int best) => ranked[best].IsInternal ? Options.MaximumPathsInternal : Options.MaximumPaths;

    /// <summary>
    /// Writes the best and the paths equal to it through the IGP cost step (identical AS_PATH
    /// unless multipath-relax), in preference order, up to max-paths. With deterministic MED a path
    /// that lost to its own neighbouring AS's best before that step is left out.
    /// </summary>
    private int WriteMultipath(ReadOnlySpan<PathCandidate> candidates, int best, Span<int> multipath)
    {
        if (multipath.IsEmpty)
        {
            return 0;
        }

        multipath[0] = ranked[best].Index;
        var cap = Math.Min(MultipathCap(best), multipath.Length);
        if (cap == 1)
        {
            return 1;
        }

        if (Grouped)
        {
            Group(-1);
        }

        var bestPath = candidates[ranked[best].Index].Attributes.AsPath;
        var n = 0;
        for (var r = 0; r < count; r++)
        {
            if (r == best || DecisionSteps.CompareThrough(ranked[best], ranked[r], Options, DecisionReason.IgpCost).Order != 0)
            {
                continue;
            }

            if (!Options.MultipathRelax && !Equals(bestPath, candidates[ranked[r].Index].Attributes.AsPath))
            {
                continue;
            }

            if (Grouped)
            {
                var groupWinner = groupBest[groupOf[r]];
                if (groupWinner != r && DecisionSteps.CompareThrough(ranked[groupWinner], ranked[r], Options, DecisionReason.IgpCost).Order != 0)
                {
                    continue;
                }
            }

            // Insertion in preference order; the steps after the IGP cost are a total order.
            var j = n++;
            while (j > 0 && DecisionSteps.Compare(ranked[r], ranked[order[j - 1]], Options).FirstWins)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = r;
        }

        var written = 1;
        for (var k = 0; k < n && written < cap; k++)
        {
            multipath[written++] = ranked[order[k]].Index;
        }

        return written;
    }
}
