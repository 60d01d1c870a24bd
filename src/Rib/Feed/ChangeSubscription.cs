using System.Collections.Immutable;
using System.Threading.Channels;

namespace BgpStack.Rib.Feed;

/// <summary>
/// One consumer's end of the change feed: batches of changes arrive on <see cref="Batches"/>.
/// While the consumer is slow, the publisher keeps its changes pending here, coalesced per prefix
/// (the latest state wins; a prefix takes one slot however often it changes), and hands them over
/// as one batch when the channel has room. Within a batch a prefix appears at most once; across
/// batches a prefix's changes arrive in order.
/// </summary>
public sealed class ChangeSubscription : IDisposable
{
    private readonly CoalescingOutbox<RibChange> outbox;

    internal ChangeSubscription(ChangeSubscriptionOptions options)
    {
        Options = options;
        outbox = new CoalescingOutbox<RibChange>(options.MaxPendingPrefixes, options.MaxQueuedBatches);
    }

    /// <summary>The subscription's limits.</summary>
    public ChangeSubscriptionOptions Options { get; }

    /// <summary>The batches of changes, in order. Completes when the feed completes or the subscription is disposed.</summary>
    public ChannelReader<ImmutableArray<RibChange>> Batches => outbox.Reader;

    /// <summary>How many distinct prefixes are pending (not yet handed over). Read on the publisher's thread.</summary>
    public int PendingCount => outbox.PendingCount;

    /// <summary>How many changes were folded into an already pending change of the same prefix.</summary>
    public long CoalescedCount => outbox.CoalescedCount;

    /// <summary>How many changes were published to this subscriber.</summary>
    public long PublishedCount => outbox.AddedCount;

    /// <summary>True once the consumer has disposed the subscription.</summary>
    public bool IsDisposed => outbox.IsDisposed;

    /// <summary>True when the pending buffer is full: the publisher must wait.</summary>
    /// <summary>
    /// Completes once the replay of the table asked for at subscription has been handed over, with
    /// the number of <see cref="Batches"/> that hold it (zero without a replay): a reader that has
    /// read that many batches holds the whole Loc-RIB as it was, plus what changed since.
    /// </summary>
    public Task<long> ReplayBatches => outbox.InitialBatches;

    internal bool IsFull => outbox.IsFull;

    /// <summary>True when changes are pending.</summary>
    internal bool HasPending => outbox.HasPending;

    /// <summary>Stops the subscription; the publisher drops it at its next flush.</summary>
    public void Dispose() => outbox.Dispose();

    /// <summary>Adds a change, replacing a pending change of the same prefix in its slot.</summary>
    /// <param name="change">The change.</param>
    internal void Add(in RibChange change) => outbox.Add(change.Prefix, change);

    /// <summary>
    /// Adds a change unless it only moves the best path among
    /// the split-horizon peer's own paths (this subscriber sent none of them, so has nothing to do).
    /// </summary>
    /// <param name="change">The change.</param>
    /// <param name="previousBest">The source of the prefix's best path before the change, null when it had none.</param>
    internal void Add(in RibChange change, RouteSource? previousBest)
    {
        // Skipped when both the new and the previous best path (where there is one) are the peer's own.
        if (Options.SplitHorizonPeer is { } peer && change.Best?.Source.IsBgpPeer(peer) != false && previousBest?.IsBgpPeer(peer) != false)
        {
            return;
        }

        outbox.Add(change.Prefix, change);
    }

    /// <summary>Hands the pending changes over as one batch if the channel has room; true when nothing is left pending.</summary>
    internal bool TryFlush() => outbox.TryFlush();

    /// <summary>Marks the replay as added.</summary>
    internal void MarkReplayed() => outbox.MarkInitialAdded();

    /// <summary>Completes when the channel may have room for a batch (or the subscription ended).</summary>
    internal ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) => outbox.WaitForRoomAsync(cancellationToken);

    /// <summary>Hands over what is pending if it can, then completes the channel.</summary>
    internal void Complete(Exception? error) => outbox.Complete(error);
}
