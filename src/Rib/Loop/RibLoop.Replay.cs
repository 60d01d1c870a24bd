using System.Collections.Immutable;
using System.Runtime.InteropServices;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib;

/// <summary>
/// Replaying the current Loc-RIB to a new subscriber, a chunk per turn in prefix order. A prefix
/// that changes meanwhile reaches the subscriber as a live change; if the replay reaches it later,
/// it sends the then-current state again, so the subscriber still ends with the Loc-RIB.
/// </summary>
public sealed partial class RibLoop
{
    private readonly List<ReplayJob> replays = [];
    private readonly List<IpPrefix> replayScratch = [];

    /// <summary>True when some replay has a subscriber with room for more.</summary>
    private bool ReplaysCanAdvance
    {
        get
        {
            foreach (var job in replays)
            {
                if (!job.Subscription.IsFull || job.Subscription.IsDisposed)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void AdvanceReplays()
    {
        for (var i = replays.Count - 1; i >= 0; i--)
        {
            var job = replays[i];
            if (job.Subscription.IsDisposed || Advance(job))
            {
                replays.RemoveAt(i);
            }
        }
    }

    /// <summary>Sends up to a chunk of the Loc-RIB; true when the replay is complete.</summary>
    private bool Advance(ReplayJob job) =>
        WalkRanges(job.Ranges, () => !job.Subscription.IsFull, prefix => Replay(job.Subscription, prefix));

    /// <summary>
    /// Visits up to a chunk of prefixes in <see cref="IpPrefix"/> order from a stack of ranges,
    /// splitting a range too big for the chunk into its own prefix and its two halves.
    /// </summary>
    /// <returns>True when every range is walked.</returns>
    private bool WalkRanges(Stack<IpPrefix> ranges, Func<bool> canContinue, Action<IpPrefix> visit)
    {
        var budget = options.SnapshotChunkSize;
        while (budget > 0 && ranges.Count > 0 && canContinue())
        {
            var range = ranges.Pop();
            replayScratch.Clear();
            foreach (var prefix in table.MoreSpecifics(range, includeSelf: true))
            {
                replayScratch.Add(prefix);
                if (replayScratch.Count > budget)
                {
                    break;
                }
            }

            if (replayScratch.Count <= budget || range.Length == range.MaxLength)
            {
                foreach (var prefix in replayScratch)
                {
                    visit(prefix);
                }

                budget -= Math.Max(replayScratch.Count, 1);
                continue;
            }

            if (replayScratch[0] == range)
            {
                visit(range);
            }

            budget--;
            var (left, right) = Halves(range);
            ranges.Push(right);
            ranges.Push(left);
        }

        return ranges.Count == 0;
    }

    private void Replay(ChangeSubscription subscription, IpPrefix prefix)
    {
        var span = LoadCandidates(prefix);
        var summary = decision.Decide(span, multipath);
        if (!summary.HasBest)
        {
            return;
        }

        var set = new RoutePath[summary.MultipathCount];
        for (var i = 0; i < set.Length; i++)
        {
            var route = routes[multipath[i]];
            set[i] = new RoutePath(route.Source, route.Attributes, route.PathId);
        }

        subscription.Add(RibChange.Announced(prefix, ImmutableCollectionsMarshal.AsImmutableArray(set), summary.Reason));
    }

    /// <summary>A replay of the Loc-RIB to one subscriber in progress.</summary>
    private sealed class ReplayJob
    {
        public ReplayJob(ChangeSubscription subscription)
        {
            Subscription = subscription;
            Ranges.Push(IpPrefix.FromIPv6(UInt128.Zero, 0));
            Ranges.Push(IpPrefix.FromIPv4(0, 0));
        }

        public ChangeSubscription Subscription { get; }

        /// <summary>The ranges still to walk; the top is next.</summary>
        public Stack<IpPrefix> Ranges { get; } = new();
    }
}
