using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace BgpStack.Rib.Feed;

/// <summary>
/// A per-consumer outbox keyed by prefix: the producer adds items, a later item for a prefix that
/// is still pending replaces the earlier one in its slot (the latest state wins), and the pending
/// items are handed over in batches when the consumer's bounded channel has room. Batches hold at
/// most <see cref="MaxBatch"/> items, so they stay off the large object heap (whose churn costs full
/// collections), and the pending list is reused. Only the producer's thread calls the members other
/// than <see cref="Reader"/> and <see cref="Dispose"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class CoalescingOutbox<T> : IDisposable
{
    private readonly Channel<ImmutableArray<T>> channel;
    private readonly Dictionary<IpPrefix, int> pendingIndex = [];
    private readonly int maxPending;
    private readonly TaskCompletionSource<long> initial = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<T> pending = [];
    private readonly List<IpPrefix> pendingKeys = [];
    private readonly int maxQueuedBatches;
    private readonly FlushCountingReader reader;

    // The ends (in batches written) of the flushes the reader has not finished yet.
    private readonly Queue<long> unreadFlushEnds = new();
    private readonly Lock flushLock = new();
    private TaskCompletionSource? room;
    private long batchesRead;

    // Items before this index in pending have been handed over.
    private int head;
    private volatile bool disposed;
    private bool initialAdded;

    public CoalescingOutbox(int maxPending, int maxQueuedBatches)
    {
        this.maxPending = maxPending;
        this.maxQueuedBatches = maxQueuedBatches;

        // Unbounded underneath: the limit is applied per flush (a flush starts only while fewer
        // than maxQueuedBatches flushes are unread) and counted by the reader below, because one
        // flush hands its items over in several small batches.
        channel = Channel.CreateUnbounded<ImmutableArray<T>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        reader = new FlushCountingReader(this);
    }

    public ChannelReader<ImmutableArray<T>> Reader => reader;

    /// <summary>The most items in one batch: a batch array of 72-octet changes stays under the 85,000-octet large object threshold.</summary>
    public const int MaxBatch = 1024;

    public int PendingCount => pending.Count - head;

    public long CoalescedCount { get; private set; }

    public long AddedCount { get; private set; }

    /// <summary>How many batches have been handed to the channel.</summary>
    public long BatchesWritten { get; private set; }

    public bool IsDisposed => disposed;

    /// <summary>True when the pending items reached the limit: the producer must wait for the consumer.</summary>
    public bool IsFull => PendingCount >= maxPending && !disposed;

    public bool HasPending => PendingCount > 0 && !disposed;

    public void Dispose()
    {
        initial.TrySetCanceled();
        disposed = true;
        channel.Writer.TryComplete();
        WakeAll();
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
            pendingKeys.Add(prefix);
        }
    }

    /// <summary>
    /// Hands every pending item over, in batches of at most <see cref="MaxBatch"/>, if fewer than
    /// the allowed number of earlier flushes are unread; true when nothing is left pending.
    /// </summary>
    public bool TryFlush()
    {
        if (disposed || head == pending.Count)
        {
            return true;
        }

        lock (flushLock)
        {
            if (unreadFlushEnds.Count >= maxQueuedBatches)
            {
                return false;
            }

            while (head < pending.Count)
            {
                var count = Math.Min(MaxBatch, pending.Count - head);
                var batch = new T[count];
                pending.CopyTo(head, batch, 0, count);
                channel.Writer.TryWrite(ImmutableCollectionsMarshal.AsImmutableArray(batch));
                head += count;
                BatchesWritten++;
            }

            unreadFlushEnds.Enqueue(BatchesWritten);
        }

        pending.Clear();
        pendingKeys.Clear();
        pendingIndex.Clear();
        head = 0;

        // A burst grew the buffers: give the memory back rather than hold it per subscriber.
        if (pending.Capacity > 4 * MaxBatch)
        {
            pending.Capacity = MaxBatch;
            pendingKeys.Capacity = MaxBatch;
            pendingIndex.TrimExcess(MaxBatch);
        }
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
        if (initialAdded && PendingCount == 0)
        {
            initial.TrySetResult(BatchesWritten);
        }
    }

    /// <summary>Completes when a flush could start (an earlier one has been read) or the outbox is disposed.</summary>
    public ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (flushLock)
        {
            if (unreadFlushEnds.Count < maxQueuedBatches || disposed)
            {
                return new ValueTask<bool>(!disposed);
            }

            room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = room.Task;
        }

        return WaitAsync(wait, cancellationToken);

        async ValueTask<bool> WaitAsync(Task task, CancellationToken token)
        {
            await task.WaitAsync(token).ConfigureAwait(false);
            return !disposed;
        }
    }

    // The reader took a batch: flushes it has finished make room for new ones.
    private void BatchRead()
    {
        TaskCompletionSource? wake = null;
        lock (flushLock)
        {
            batchesRead++;
            while (unreadFlushEnds.Count > 0 && unreadFlushEnds.Peek() <= batchesRead)
            {
                unreadFlushEnds.Dequeue();
                wake = room;
                room = null;
            }
        }

        wake?.TrySetResult();
    }

    private void WakeAll()
    {
        TaskCompletionSource? wake;
        lock (flushLock)
        {
            wake = room;
            room = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>The consumer's view of the channel, counting what it reads so flushes know when there is room.</summary>
    private sealed class FlushCountingReader(CoalescingOutbox<T> outbox) : ChannelReader<ImmutableArray<T>>
    {
        public override Task Completion => outbox.channel.Reader.Completion;

        public override bool CanCount => true;

        public override int Count => outbox.channel.Reader.Count;

        public override bool CanPeek => true;

        public override bool TryRead(out ImmutableArray<T> item)
        {
            if (!outbox.channel.Reader.TryRead(out item))
            {
                return false;
            }

            outbox.BatchRead();
            return true;
        }

        public override bool TryPeek(out ImmutableArray<T> item) => outbox.channel.Reader.TryPeek(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => outbox.channel.Reader.WaitToReadAsync(cancellationToken);
    }

    public void Complete(Exception? error)
    {
        TryFlush();
        initial.TrySetCanceled();
        channel.Writer.TryComplete(error);
    }
}
