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
            if (job.Subscription.IsDisposed)
            {
                replays.RemoveAt(i);
            }
            else if (Advance(job))
            {
                job.Subscription.MarkReplayed();
                replays.RemoveAt(i);
            }
        }
    }

    /// <summary>Sends up to a chunk of the Loc-RIB; true when the replay is complete.</summary>
    private bool Advance(ReplayJob job) =>
        job.Walk.Advance(options.SnapshotChunkSize, collectTablePrefixes, () => !job.Subscription.IsFull, prefix => Replay(job.Subscription, prefix));

    /// <summary>Adds the table's prefixes within a range, in order, stopping after <paramref name="limit"/>.</summary>
    private void CollectTablePrefixes(IpPrefix range, int limit, List<IpPrefix> prefixes)
    {
        foreach (var prefix in table.MoreSpecifics(range, includeSelf: true))
        {
            prefixes.Add(prefix);
            if (prefixes.Count >= limit)
            {
                return;
            }
        }
    }

    private void Replay(ChangeSubscription subscription, IpPrefix prefix)
    {
        var span = LoadCandidates(prefix);
        var summary = decision.Decide(span, multipath);
        if (!summary.HasBest)
        {
            return;
        }

        subscription.Add(Announcement(prefix, summary), previousBest: null);
    }

    /// <summary>A replay of the Loc-RIB to one subscriber in progress.</summary>
    private sealed class ReplayJob(ChangeSubscription subscription)
    {
        public ChangeSubscription Subscription { get; } = subscription;

        public PrefixWalk Walk { get; } = new();
    }
}
