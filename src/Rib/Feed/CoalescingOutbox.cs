using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace BgpStack.Rib.Feed;

/// <summary>
/// A per-consumer outbox keyed by prefix: the producer adds items, a later item for a prefix that
/// is still pending replaces the earlier one in its slot (the latest state wins), and the pending
/// items are handed over as one batch when the consumer's bounded channel has room. Only the
/// producer's thread calls the members other than <see cref="Reader"/> and <see cref="Dispose"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class CoalescingOutbox<T> : IDisposable
{
    private readonly Channel<ImmutableArray<T>> channel;
    private readonly Dictionary<IpPrefix, int> pendingIndex = [];
    private readonly int maxPending;
    private readonly TaskCompletionSource<long> initial = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<T> pending = [];
    private volatile bool disposed;
    private bool initialAdded;

    public CoalescingOutbox(int maxPending, int maxQueuedBatches)
    {
        this.maxPending = maxPending;
        channel = Channel.CreateBounded<ImmutableArray<T>>(new BoundedChannelOptions(maxQueuedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<ImmutableArray<T>> Reader => channel.Reader;

    public int PendingCount => pending.Count;

    public long CoalescedCount { get; private set; }

    public long AddedCount { get; private set; }

    /// <summary>How many batches have been handed to the channel.</summary>
    public long BatchesWritten { get; private set; }

    public bool IsDisposed => disposed;

    /// <summary>True when the pending items reached the limit: the producer must wait for the consumer.</summary>
    public bool IsFull => pending.Count >= maxPending && !disposed;

    public bool HasPending => pending.Count > 0 && !disposed;

    public void Dispose()
    {
        initial.TrySetCanceled();
        disposed = true;
        channel.Writer.TryComplete();
    }

    public void Add(IpPrefix prefix, in T item)
    {
        if (disposed)
        {
            return;
        }

        AddedCount++;
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(pendingIndex, prefix, out var exists);
        if (exists)
        {
            pending[slot] = item;
            CoalescedCount++;
        }
        else
        {
            slot = pending.Count;
            pending.Add(item);
        }
    }

    /// <summary>Hands the pending items over as one batch if the channel has room; true when nothing is left pending.</summary>
    public bool TryFlush()
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

        pending = new List<T>(Math.Min(pending.Count, 1024));
        pendingIndex.Clear();
        BatchesWritten++;
        CompleteInitialIfFlushed();
        return true;
    }

    /// <summary>
    /// Completes when everything added before <see cref="MarkInitialAdded"/> (a replay or dump of
    /// a whole table) has been handed over, with the number of batches that hold it: a reader that
    /// has read that many batches has had the whole initial table (and can send End-of-RIB).
    /// </summary>
    public Task<long> InitialBatches => initial.Task;

    /// <summary>Marks the initial content as added.</summary>
    public void MarkInitialAdded()
    {
        initialAdded = true;
        CompleteInitialIfFlushed();
    }

    private void CompleteInitialIfFlushed()
    {
        if (initialAdded && pending.Count == 0)
        {
            initial.TrySetResult(BatchesWritten);
        }
    }

    public ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) => channel.Writer.WaitToWriteAsync(cancellationToken);

    public void Complete(Exception? error)
    {
        TryFlush();
        initial.TrySetCanceled();
        channel.Writer.TryComplete(error);
    }
}
