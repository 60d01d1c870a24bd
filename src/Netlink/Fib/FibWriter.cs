using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;
using BgpStack.Rib.Feed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Netlink.Fib;

/// <summary>
/// The single owner of one kernel routing table: it reads the RIB's change feed and keeps the
/// table's routes carrying our protocol number equal to the RIB's selected routes. Changes go out
/// as many requests per send with an ACK checked per request; a changed route is replaced in place
/// (never deleted and added), a withdrawn one deleted. A request the kernel refuses is logged,
/// reported through the error callback, counted and retried with back-off, while the rest of its
/// batch stands. Routes through one gateway point at one nexthop object of the writer's, so a
/// withdrawal of every route through it is one RTM_DELNEXTHOP. At start, on a timer and
/// on request the writer dumps our routes and repairs the table (stale ones deleted, missing or
/// altered ones replaced); other protocols' routes are never touched. On shutdown our routes stay
/// (graceful restart) unless <see cref="FibWriterOptions.FlushOnShutdown"/> is set.
/// Only <see cref="RunAsync(ChannelReader{ImmutableArray{RibChange}}, CancellationToken)"/> touches the table and the writer's state; everything else is a
/// message to it.
/// </summary>
public sealed partial class FibWriter : IAsyncDisposable
{
    private readonly FibWriterOptions options;
    private readonly TimeProvider time;
    private readonly Action<FibRouteError>? onRouteError;
    private readonly Channel<FibRequest> requests = Channel.CreateUnbounded<FibRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly FibMetrics metrics;

    // Per prefix, the shape the RIB wants and the shape the kernel holds: the single source of truth for diffs.
    private readonly FibPrefixTable table = new();
    private readonly FibShapes shapes = new();

    // Prefixes whose last request failed, with when to try again.
    private readonly Dictionary<IpPrefix, RetryState> retries = [];

    // Prefixes whose desired and installed routes may differ and must be sent.
    private readonly HashSet<IpPrefix> dirty = [];

    // Withdrawals waiting for the rest of their nexthop object's routes, by installed shape.
    private readonly Dictionary<int, HeldWithdrawals> held = [];

    // Our nexthop objects that no shape names any more (deleted after the batch).
    private readonly List<uint> unusedObjects = [];

    private readonly List<RouteRequest> batch = [];
    private readonly List<BatchItem> batchItems = [];
    private readonly ILogger logger;
    private FibNextHopObjects? objects;
    private FibRouteMapper? mapper;
    private NetlinkClient? client;
    private Task? running;
    private DateTimeOffset nextResync;
    private long batchesRead;
    private int installedCount;
    private int pendingCount;
    private long failedCount;
    private int started;
    private int disposed;

    /// <summary>Creates a writer; call <see cref="RunAsync(ChannelReader{ImmutableArray{RibChange}}, CancellationToken)"/> to start it.</summary>
    /// <param name="options">The options; <see cref="FibWriterOptions.Default"/> when null.</param>
    /// <param name="onRouteError">Called on the writer's loop for every route request the kernel refuses.</param>
    /// <param name="timeProvider">The clock for resync and retry timers; the system clock when null.</param>
    /// <param name="logger">Where refused routes, failed resyncs and nexthop object events are logged; nothing is logged when null.</param>
    public FibWriter(FibWriterOptions? options = null, Action<FibRouteError>? onRouteError = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        this.options = options ?? FibWriterOptions.Default;
        this.onRouteError = onRouteError;
        this.logger = logger ?? NullLogger.Instance;
        time = timeProvider ?? TimeProvider.System;
        shapes.Released = shape =>
        {
            if (shape.NextHopId is { } id && objects is { } registry && registry.Owns(id))
            {
                unusedObjects.Add(id);
            }
        };
        metrics = new FibMetrics(this.options, () => Volatile.Read(ref installedCount), () => Volatile.Read(ref pendingCount));
    }

    /// <summary>The meter name of the writer's instruments (System.Diagnostics.Metrics).</summary>
    public static string MeterName => FibMetrics.MeterName;

    /// <summary>The options.</summary>
    public FibWriterOptions Options => options;

    /// <summary>How many routes the writer holds installed (as of its last turn).</summary>
    public int InstalledCount => Volatile.Read(ref installedCount);

    /// <summary>How many prefixes wait for a retry because the kernel refused their last request.</summary>
    public int PendingCount => Volatile.Read(ref pendingCount);

    /// <summary>How many route requests the kernel has refused since the writer started.</summary>
    public long FailedCount => Interlocked.Read(ref failedCount);

    /// <summary>
    /// Runs the writer: opens a netlink socket in the configured namespace, takes over the routes
    /// of ours already in the table, and applies the change feed until it completes or
    /// <paramref name="cancellationToken"/> is cancelled (then it returns normally). Feed it a
    /// subscription that replays the current table, so the first resync knows the whole desired state.
    /// </summary>
    /// <param name="changes">The RIB's change feed (a <see cref="ChangeSubscription.Batches"/>).</param>
    /// <param name="cancellationToken">Stops the writer.</param>
    /// <exception cref="InvalidOperationException">The writer was already started, or the tunnel device does not exist.</exception>
    public Task RunAsync(ChannelReader<ImmutableArray<RibChange>> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("The FIB writer is already running.");
        }

        running = Task.Run(() => RunCoreAsync(changes, null, cancellationToken), CancellationToken.None);
        return running;
    }

    /// <summary>
    /// Runs the writer on a RIB subscription that replays the current table: as <see cref="RunAsync(ChannelReader{ImmutableArray{RibChange}}, CancellationToken)"/>,
    /// but the first resync runs as soon as the replay (<see cref="ChangeSubscription.ReplayBatches"/>
    /// batches) has been read, instead of after <see cref="FibWriterOptions.InitialSyncDelay"/>;
    /// an infinite delay still waits for the first <see cref="ResyncAsync"/>.
    /// </summary>
    /// <param name="subscription">The subscription (made with the replay of the current table).</param>
    /// <param name="cancellationToken">Stops the writer.</param>
    /// <exception cref="InvalidOperationException">The writer was already started, or the tunnel device does not exist.</exception>
    public Task RunAsync(ChangeSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("The FIB writer is already running.");
        }

        var replay = options.InitialSyncDelay == Timeout.InfiniteTimeSpan ? null : subscription.ReplayBatches;
        running = Task.Run(() => RunCoreAsync(subscription.Batches, replay, cancellationToken), CancellationToken.None);
        return running;
    }

    /// <summary>
    /// Applies every change readable now, then dumps our routes from the kernel and repairs the
    /// table; completes when that is done.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the resync).</param>
    /// <returns>A task that fails with <see cref="InvalidOperationException"/> once the writer has stopped.</returns>
    public Task ResyncAsync(CancellationToken cancellationToken = default) =>
        PostAsync<bool>(FibRequestKind.Resync, cancellationToken);

    /// <summary>Completes once every change readable now has been sent to the kernel and acknowledged.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        PostAsync<bool>(FibRequestKind.Flush, cancellationToken);

    /// <summary>The routes the writer holds installed, by prefix (after applying every change readable now).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<ImmutableDictionary<IpPrefix, Route>> GetInstalledAsync(CancellationToken cancellationToken = default) =>
        PostAsync<ImmutableDictionary<IpPrefix, Route>>(FibRequestKind.Installed, cancellationToken);

    /// <summary>Stops the writer (leaving or flushing routes as configured) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (running is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping is what was asked for.
            }
        }

        _ = requests.Writer.TryComplete();
        FailRequests(new ObjectDisposedException(nameof(FibWriter)));
        metrics.Dispose();
        stopping.Dispose();
    }

    private Task<T> PostAsync<T>(FibRequestKind kind, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        return requests.Writer.TryWrite(new FibRequest(kind, completion))
            ? WaitAsync<T>(completion.Task, cancellationToken)
            : Task.FromException<T>(new InvalidOperationException("The FIB writer has stopped."));
    }

    private static async Task<T> WaitAsync<T>(Task<object> task, CancellationToken cancellationToken) =>
        (T)await task.WaitAsync(cancellationToken).ConfigureAwait(false);

    private void FailRequests(Exception error)
    {
        while (requests.Reader.TryRead(out var request))
        {
            _ = request.Completion.TrySetException(error);
        }
    }

    private async Task RunCoreAsync(ChannelReader<ImmutableArray<RibChange>> changes, Task<long>? replay, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        var token = linked.Token;
        client = options.NamespaceName is { } name ? NetlinkClient.OpenInNamespace(name) : NetlinkClient.Open();
        try
        {
            var tunnelIndex = 0;
            if (options.TunnelDevice is { } device)
            {
                tunnelIndex = client.GetLink(device)?.Index
                    ?? throw new InvalidOperationException($"The FIB writer's tunnel device '{device}' does not exist.");
            }

            mapper = new FibRouteMapper(options, tunnelIndex);
            objects = options.UseNextHopObjects ? new FibNextHopObjects(options) : null;
            AdoptKernelRoutes(tunnelIndex);
            await LoopAsync(changes, replay, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: fall through to shutdown.
        }
        finally
        {
            try
            {
                if (options.FlushOnShutdown)
                {
                    FlushOurRoutes();
                }
            }
            finally
            {
                // Nothing answers requests any more: later ones fail at once instead of waiting forever.
                _ = requests.Writer.TryComplete();
                FailRequests(new OperationCanceledException("The FIB writer stopped."));
                client.Dispose();
                client = null;
            }
        }
    }

    private async Task LoopAsync(ChannelReader<ImmutableArray<RibChange>> changes, Task<long>? replay, CancellationToken token)
    {
        // With a subscription's replay, the first resync waits for the replay to be read; else for the delay.
        nextResync = replay is not null || options.InitialSyncDelay == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : time.GetUtcNow() + options.InitialSyncDelay;
        Task<bool>? readWait = null;
        Task<bool>? requestWait = null;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            var feedOpen = DrainChanges(changes);
            if (replay is { IsCompleted: true } && (!replay.IsCompletedSuccessfully || batchesRead >= replay.Result))
            {
                // The replay is read (or the subscription failed to say how long it is): resync now.
                replay = null;
                nextResync = time.GetUtcNow();
            }

            var now = time.GetUtcNow();
            QueueDueRetries(now);
            ApplyDirty();
            if (now >= nextResync)
            {
                _ = TryResync();
            }

            while (requests.Reader.TryRead(out var request))
            {
                // Changes that arrived before the request are applied before it is answered.
                feedOpen &= DrainChanges(changes);
                if (request.Kind == FibRequestKind.Resync && TryResync() is { } error)
                {
                    _ = request.Completion.TrySetException(error);
                    continue;
                }

                if (request.Kind == FibRequestKind.Flush)
                {
                    // Every change readable now is in the kernel: held withdrawals go too.
                    ApplyDirty();
                    ReleaseHeld(time.GetUtcNow(), force: true);
                    DeleteUnusedObjects();
                    Publish();
                }

                _ = request.Completion.TrySetResult(request.Kind == FibRequestKind.Installed ? InstalledRoutes() : true);
            }

            if (!feedOpen)
            {
                return;
            }

            var wakeAt = nextResync;
            foreach (var waiting in held.Values)
            {
                var due = waiting.Due(options.WithdrawCoalescing);
                wakeAt = due < wakeAt ? due : wakeAt;
            }

            foreach (var retry in retries.Values)
            {
                if (retry.Due < wakeAt)
                {
                    wakeAt = retry.Due;
                }
            }

            var delay = wakeAt - time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                continue;
            }

            if (replay is { IsCompleted: false })
            {
                // The replay's length is not known yet: wake when it is.
                _ = await Task.WhenAny(replay, Task.Delay(TimeSpan.FromMilliseconds(50), time, token)).ConfigureAwait(false);
                continue;
            }

            readWait ??= changes.WaitToReadAsync(token).AsTask();
            requestWait ??= requests.Reader.WaitToReadAsync(token).AsTask();
            using (var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                var timer = Task.Delay(delay > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : delay, time, delayCancel.Token);
                _ = await Task.WhenAny(readWait, requestWait, timer).ConfigureAwait(false);
                await delayCancel.CancelAsync().ConfigureAwait(false);
            }

            if (readWait.IsCompleted)
            {
                readWait = null;
            }

            if (requestWait.IsCompleted)
            {
                requestWait = null;
            }
        }
    }

    // Resyncs; a dump cut short or lost ACKs do not stop the writer: it tries again soon.
    private NetlinkException? TryResync()
    {
        var now = time.GetUtcNow();
        nextResync = NextResync(now);
        try
        {
            Resync();
            return null;
        }
        catch (NetlinkException e)
        {
            metrics.ResyncFailed();
            var soon = now + options.RetryInitialDelay;
            nextResync = soon < nextResync ? soon : nextResync;
            return e;
        }
    }

    private DateTimeOffset NextResync(DateTimeOffset now) =>
        options.ResyncInterval is { } interval && interval > TimeSpan.Zero ? now + interval : DateTimeOffset.MaxValue;

    // Folds every readable batch into the desired state; false once the feed has completed.
    private bool DrainChanges(ChannelReader<ImmutableArray<RibChange>> changes)
    {
        while (changes.TryRead(out var changeBatch))
        {
            batchesRead++;
            var now = time.GetUtcNow();
            foreach (var change in changeBatch)
            {
                var route = mapper!.Map(change);
                var want = route is null ? 0 : ShapeOf(route);
                var entry = table.Get(change.Prefix, out var slot);
                if (want != entry.Desired)
                {
                    shapes.MoveDesired(entry.Desired, want);
                    entry = entry with { Desired = want };
                }
                else
                {
                    shapes.ReleaseIfUnused(want);
                }

                if (want != 0 && (entry.Flags & FibPrefixTable.Held) != 0)
                {
                    Unhold(entry);
                    entry = entry with { Flags = (byte)(entry.Flags & ~FibPrefixTable.Held) };
                }

                _ = retries.Remove(change.Prefix);
                if (want == 0 && entry.Installed != 0 && (entry.Flags & FibPrefixTable.Held) == 0 && CanHold(entry.Installed))
                {
                    // Straight to the held withdrawals: no diff to compute.
                    table.SetAt(change.Prefix, slot, entry with { Flags = (byte)(entry.Flags | FibPrefixTable.Held) });
                    Hold(change.Prefix, entry.Installed, now);
                    continue;
                }

                table.SetAt(change.Prefix, slot, entry);

                // A new change starts the prefix's back-off afresh.
                _ = dirty.Add(change.Prefix);
            }

            if (dirty.Count >= options.BatchSize)
            {
                ApplyDirty();
            }
        }

        return !changes.Completion.IsCompleted;
    }

    // The installed routes as the kernel holds them (through nexthop objects: with the object's next hop too).
    private ImmutableDictionary<IpPrefix, Route> InstalledRoutes()
    {
        var routes = ImmutableDictionary.CreateBuilder<IpPrefix, Route>();
        table.ForEach((prefix, entry) =>
        {
            if (entry.Installed != 0)
            {
                routes[prefix] = shapes[entry.Installed].ToRoute(prefix, options, forKernel: false);
            }
        });
        return routes.ToImmutable();
    }

    private void QueueDueRetries(DateTimeOffset now)
    {
        foreach (var (prefix, retry) in retries)
        {
            if (retry.Due <= now)
            {
                _ = dirty.Add(prefix);
            }
        }
    }

    /// <summary>The state of a prefix whose request the kernel refused.</summary>
    /// <param name="Attempts">Failures in a row.</param>
    /// <param name="Due">When to try again.</param>
    private readonly record struct RetryState(int Attempts, DateTimeOffset Due);

    private enum FibRequestKind
    {
        Resync,
        Flush,
        Installed,
    }

    private sealed record FibRequest(FibRequestKind Kind, TaskCompletionSource<object> Completion);
}
