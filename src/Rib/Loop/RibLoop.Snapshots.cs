using System.Collections.Immutable;

namespace BgpStack.Rib;

/// <summary>
/// Range and table snapshots built a chunk per turn. The walk goes in <see cref="IpPrefix"/> order;
/// before the loop changes a prefix the walk has not reached yet, it keeps that prefix's state as it
/// was (or that it was absent), and the walk uses the kept state — so the result is the table as it
/// was when the request was served.
/// </summary>
public sealed partial class RibLoop
{
    private readonly List<SnapshotJob> jobs = [];
    private readonly List<IpPrefix> walkScratch = [];

    /// <summary>Keeps the current state of <paramref name="prefix"/> for every snapshot that has not reached it yet.</summary>
    private void BeforeChange(IpPrefix prefix)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        PrefixSnapshot? current = null;
        var explained = false;
        foreach (var job in jobs)
        {
            if (job.IsAhead(prefix) && !job.Kept.ContainsKey(prefix))
            {
                if (!explained)
                {
                    current = Explain(prefix);
                    explained = true;
                }

                job.Kept[prefix] = current;
            }
        }
    }

    /// <summary>Moves every snapshot one chunk on and completes those that are done.</summary>
    private void AdvanceSnapshots()
    {
        for (var i = jobs.Count - 1; i >= 0; i--)
        {
            var job = jobs[i];
            if (job.IsAbandoned || Advance(job))
            {
                jobs.RemoveAt(i);
            }
        }
    }

    /// <summary>Emits up to a chunk of prefixes; true when the job is complete.</summary>
    private bool Advance(SnapshotJob job)
    {
        var budget = options.SnapshotChunkSize;
        while (budget > 0 && job.Ranges.Count > 0)
        {
            var range = job.Ranges.Pop();
            walkScratch.Clear();
            foreach (var prefix in table.MoreSpecifics(range, includeSelf: true))
            {
                walkScratch.Add(prefix);
                if (walkScratch.Count > budget)
                {
                    break;
                }
            }

            if (walkScratch.Count <= budget || range.Length == range.MaxLength)
            {
                budget -= EmitRange(job, range, walkScratch);

                // The whole range is walked: changes inside it no longer concern this snapshot.
                job.Cursor = LastOf(range);
                continue;
            }

            // Too big for this turn: emit the range's own prefix, then its halves in order.
            if (walkScratch[0] == range || job.Kept.ContainsKey(range))
            {
                Emit(job, range);
            }

            budget--;
            var (left, right) = PrefixWalk.Halves(range);
            job.Ranges.Push(right);
            job.Ranges.Push(left);
        }

        if (job.Ranges.Count > 0)
        {
            return false;
        }

        job.Complete();
        return true;
    }

    /// <summary>Emits the current and kept prefixes within <paramref name="range"/> in order; returns how many it looked at.</summary>
    private int EmitRange(SnapshotJob job, IpPrefix range, List<IpPrefix> current)
    {
        if (job.Kept.Count > 0)
        {
            foreach (var kept in job.Kept.Keys)
            {
                if (Contains(range, kept))
                {
                    current.Add(kept);
                }
            }

            current.Sort();
        }

        var previous = default(IpPrefix?);
        foreach (var prefix in current)
        {
            if (prefix != previous)
            {
                Emit(job, prefix);
                previous = prefix;
            }
        }

        return Math.Max(current.Count, 1);
    }

    private void Emit(SnapshotJob job, IpPrefix prefix)
    {
        var snapshot = job.Kept.Remove(prefix, out var kept) ? kept : Explain(prefix);
        if (snapshot is not null)
        {
            job.Results.Add(snapshot);
        }

        job.Cursor = prefix;
    }

    /// <summary>The last prefix within <paramref name="range"/> in <see cref="IpPrefix"/> order: its highest host route.</summary>
    private static IpPrefix LastOf(IpPrefix range) => range.IsIPv6
        ? IpPrefix.FromIPv6(range.Ipv6Bits | (range.Length == 0 ? UInt128.MaxValue : (UInt128.One << (128 - range.Length)) - 1), 128)
        : IpPrefix.FromIPv4(range.Ipv4Bits | (range.Length == 0 ? uint.MaxValue : (1u << (32 - range.Length)) - 1), 32);

    /// <summary>True when <paramref name="inner"/> lies within <paramref name="outer"/> (or is it).</summary>
    internal static bool Contains(IpPrefix outer, IpPrefix inner)
    {
        if (outer.IsIPv6 != inner.IsIPv6 || inner.Length < outer.Length)
        {
            return false;
        }

        return outer.IsIPv6
            ? IpPrefix.FromIPv6(inner.Ipv6Bits, outer.Length) == outer
            : IpPrefix.FromIPv4(inner.Ipv4Bits, outer.Length) == outer;
    }

    /// <summary>One range or table snapshot in progress.</summary>
    private sealed class SnapshotJob
    {
        private readonly TaskCompletionSource<ImmutableArray<PrefixSnapshot>> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly IpPrefix? scope;
        private readonly CancellationToken cancellationToken;

        public SnapshotJob(IpPrefix? scope, CancellationToken cancellationToken)
        {
            this.scope = scope;
            this.cancellationToken = cancellationToken;
            if (scope is { } range)
            {
                Ranges.Push(range);
            }
            else
            {
                Ranges.Push(IpPrefix.FromIPv6(UInt128.Zero, 0));
                Ranges.Push(IpPrefix.FromIPv4(0, 0));
            }
        }

        /// <summary>The ranges still to walk; the top is next.</summary>
        public Stack<IpPrefix> Ranges { get; } = new();

        /// <summary>The state of prefixes changed before the walk reached them (null: the prefix was absent).</summary>
        public Dictionary<IpPrefix, PrefixSnapshot?> Kept { get; } = [];

        public ImmutableArray<PrefixSnapshot>.Builder Results { get; } = ImmutableArray.CreateBuilder<PrefixSnapshot>();

        /// <summary>The last prefix the walk emitted.</summary>
        public IpPrefix? Cursor { get; set; }

        public Task<ImmutableArray<PrefixSnapshot>> Task => completion.Task;

        public bool IsAbandoned => cancellationToken.IsCancellationRequested && completion.TrySetCanceled(cancellationToken);

        /// <summary>True when the walk has yet to reach <paramref name="prefix"/> and it is in scope.</summary>
        public bool IsAhead(IpPrefix prefix) =>
            (scope is not { } range || Contains(range, prefix)) && (Cursor is not { } cursor || prefix > cursor);

        public void Complete() => completion.TrySetResult(Results.ToImmutable());

        public void Fail(Exception error) => completion.TrySetException(error);
    }
}
