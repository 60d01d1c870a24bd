using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
    private readonly Channel<ImmutableArray<RibChange>> channel;
    private readonly Dictionary<IpPrefix, int> pendingIndex = [];
    private List<RibChange> pending = [];
    private volatile bool disposed;

    internal ChangeSubscription(ChangeSubscriptionOptions options)
    {
        Options = options;
        channel = Channel.CreateBounded<ImmutableArray<RibChange>>(new BoundedChannelOptions(options.MaxQueuedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The subscription's limits.</summary>
    public ChangeSubscriptionOptions Options { get; }

    /// <summary>The batches of changes, in order. Completes when the feed completes or the subscription is disposed.</summary>
    public ChannelReader<ImmutableArray<RibChange>> Batches => channel.Reader;

    /// <summary>How many distinct prefixes are pending (not yet handed over). Read on the publisher's thread.</summary>
    public int PendingCount => pending.Count;

    /// <summary>How many changes were folded into an already pending change of the same prefix.</summary>
    public long CoalescedCount { get; private set; }

    /// <summary>How many changes were published to this subscriber.</summary>
    public long PublishedCount { get; private set; }

    /// <summary>True once the consumer has disposed the subscription.</summary>
    public bool IsDisposed => disposed;

    /// <summary>True when the pending buffer is full and the channel has no room: the publisher must wait.</summary>
    internal bool IsFull => pending.Count >= Options.MaxPendingPrefixes && !disposed;

    /// <summary>True when changes are pending.</summary>
    internal bool HasPending => pending.Count > 0 && !disposed;

    /// <summary>Stops the subscription; the publisher drops it at its next flush.</summary>
    public void Dispose()
    {
        disposed = true;
        channel.Writer.TryComplete();
    }

    /// <summary>Adds a change, replacing a pending change of the same prefix in its slot.</summary>
    internal void Add(in RibChange change)
    {
        if (disposed)
        {
            return;
        }

        PublishedCount++;
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(pendingIndex, change.Prefix, out var exists);
        if (exists)
        {
            pending[slot] = change;
            CoalescedCount++;
        }
        else
        {
            slot = pending.Count;
            pending.Add(change);
        }
    }

    /// <summary>Hands the pending changes over as one batch if the channel has room.</summary>
    /// <returns>True when nothing is left pending.</returns>
    internal bool TryFlush()
    {
        if (disposed || pending.Count == 0)
        {
            return true;
        }

        var batch = ImmutableCollectionsMarshal.AsImmutableArray(pending.ToArray());
        if (!channel.Writer.TryWrite(batch))
        {
            return false;
        }

        pending = new List<RibChange>(Math.Min(pending.Count, 1024));
        pendingIndex.Clear();
        return true;
    }

    /// <summary>Completes when the channel may have room for a batch (or the subscription ended).</summary>
    internal ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) =>
        channel.Writer.WaitToWriteAsync(cancellationToken);

    /// <summary>Hands over what is pending if it can, then completes the channel.</summary>
    internal void Complete(Exception? error)
    {
        TryFlush();
        channel.Writer.TryComplete(error);
    }
}
