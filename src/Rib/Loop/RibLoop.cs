using System.Collections.Immutable;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;
using BgpStack.Rib.Tables;

namespace BgpStack.Rib;

/// <summary>
/// The single owner of the RIB: it takes update batches from a bounded channel, keeps every
/// source's paths, runs the decision process for each prefix a turn touched, keeps the Loc-RIB
/// and publishes its changes on the change feed. Sources take turns, each with a cap on routes
/// per turn. Management calls (subscribe, snapshots) are messages answered between turns; a range
/// or whole-table snapshot is built a chunk per turn and is still consistent (the state when it was
/// asked for), because the loop keeps the old state of a prefix it changes before the snapshot has
/// reached it. Nothing here takes a lock: only <see cref="RunAsync"/> touches the state.
/// </summary>
public sealed partial class RibLoop
{
    /// <summary>The stand-in source of flush markers, which carry no routes.</summary>
    private static readonly RouteSource MarkerSource = new() { Id = -1, Kind = RouteSourceKind.Local };

    private readonly RibLoopOptions options;
    private readonly Channel<RibUpdate> updates;
    private readonly Channel<RibRequest> requests;
    private readonly RouteTable table = new();
    private readonly DecisionProcess decision;
    private readonly ChangeFeed feed = new();
    // Prefixes whose selected paths changed or went in this turn, with the source of a removed best path.
    private readonly Dictionary<IpPrefix, RouteSource?> selectionChanged = [];
    private readonly List<RemovedPath> removedPaths = [];
    private readonly List<RouteKey> sourceKeys = [];
    private readonly List<Route> routes = [];
    private readonly Dictionary<int, SourceQueue> queues = [];
    private readonly Queue<SourceQueue> ready = new();
    private readonly List<IpPrefix> touched = [];
    private readonly HashSet<IpPrefix> touchedSet = [];
    private readonly int[] multipath;
    private readonly Action<IpPrefix, int, List<IpPrefix>> collectTablePrefixes;
    private PathCandidate[] candidates = new PathCandidate[8];
    private FlushMarker? waitingFlush;
    private int queuedUpdates;
    private int started;

    /// <summary>Creates a RIB loop; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="options">The options; <see cref="RibLoopOptions.Default"/> when null.</param>
    public RibLoop(RibLoopOptions? options = null)
    {
        this.options = options ??= RibLoopOptions.Default;
        decision = new DecisionProcess(options.Decision, options.NextHopResolver);
        collectTablePrefixes = CollectTablePrefixes;
        multipath = new int[Math.Max(options.Decision.MaximumPaths, options.Decision.MaximumPathsInternal)];
        updates = Channel.CreateBounded<RibUpdate>(new BoundedChannelOptions(options.UpdateCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        requests = Channel.CreateBounded<RibRequest>(new BoundedChannelOptions(options.RequestCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The options.</summary>
    public RibLoopOptions Options => options;

    /// <summary>Queues an update batch, waiting while the input channel is full (backpressure).</summary>
    /// <param name="update">The batch.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentOutOfRangeException">The update's source has a negative id.</exception>
    public ValueTask PostAsync(RibUpdate update, CancellationToken cancellationToken = default)
    {
        CheckUpdate(update);
        return updates.Writer.WriteAsync(update, cancellationToken);
    }

    /// <summary>Queues an update batch if the input channel has room.</summary>
    /// <param name="update">The batch.</param>
    /// <returns>False when the channel is full or completed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The update's source has a negative id.</exception>
    public bool TryPost(RibUpdate update)
    {
        CheckUpdate(update);
        return updates.Writer.TryWrite(update);
    }

    private static void CheckUpdate(RibUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentOutOfRangeException.ThrowIfNegative(update.Source.Id, nameof(update));
    }

    /// <summary>Says no more updates will come; <see cref="RunAsync"/> returns once it has processed the rest.</summary>
    public void CompleteUpdates() => updates.Writer.TryComplete();

    /// <summary>
    /// Completes once every update posted before this call has been processed and its changes
    /// published (handed to each subscriber's channel, or pending for a subscriber whose channel is full).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new FlushMarker(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await updates.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        await marker.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the loop until <see cref="CompleteUpdates"/> was called and everything is processed and
    /// handed to subscribers, or until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("The RIB loop is already running.");
        }

        Exception? error = null;
        try
        {
            var turns = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ServeRequests();
                AdvanceSnapshots();
                AdvanceReplays();
                AdvanceReevaluations();
                var inputOpen = DrainInput();
                var worked = ProcessTurn();
                feed.Flush();
                CompleteFlushIfIdle();
                while (feed.MustWait)
                {
                    // A full subscriber holds up ingest, never management requests.
                    await Task.WhenAny(feed.WaitForRoomAsync(cancellationToken), requests.Reader.WaitToReadAsync(cancellationToken).AsTask()).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    ServeRequests();
                    feed.Flush();
                }

                if (worked || jobs.Count > 0 || ReplaysCanAdvance || reevaluations.Count > 0 || queuedUpdates > 0 || waitingFlush is not null)
                {
                    if (++turns % 64 == 0)
                    {
                        await Task.Yield();
                    }

                    continue;
                }

                if (!inputOpen)
                {
                    while (!feed.Flush())
                    {
                        await feed.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                var waits = new List<Task>(3)
                {
                    updates.Reader.WaitToReadAsync(cancellationToken).AsTask(),
                    requests.Reader.WaitToReadAsync(cancellationToken).AsTask(),
                };
                if (feed.HasPending)
                {
                    waits.Add(feed.WaitForRoomAsync(cancellationToken));
                }

                await Task.WhenAny(waits).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = null;
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            Shutdown(error);
        }
    }

    private void Shutdown(Exception? error)
    {
        feed.Complete(error);
        requests.Writer.TryComplete();
        updates.Writer.TryComplete();
        var stopped = new ObjectDisposedException(nameof(RibLoop), "The RIB loop has stopped.");
        while (requests.Reader.TryRead(out var request))
        {
            request.Fail(stopped);
        }

        foreach (var job in jobs)
        {
            job.Fail(stopped);
        }

        jobs.Clear();
        foreach (var job in reevaluations)
        {
            job.Done.TrySetException(stopped);
        }

        reevaluations.Clear();
        waitingFlush?.Done.TrySetException(stopped);
        while (updates.Reader.TryRead(out var update))
        {
            (update as FlushMarker)?.Done.TrySetException(stopped);
        }
    }

    /// <summary>Moves update batches from the input channel into per-source queues; false once the channel is completed and empty.</summary>
    private bool DrainInput()
    {
        while (waitingFlush is null && queuedUpdates < options.MaxQueuedUpdates && updates.Reader.TryRead(out var update))
        {
            if (update is FlushMarker marker)
            {
                // Nothing posted after the marker is taken until everything before it is done.
                waitingFlush = marker;
                break;
            }

            if (!queues.TryGetValue(update.Source.Id, out var queue))
            {
                queue = new SourceQueue();
                queues[update.Source.Id] = queue;
            }

            queue.Updates.Enqueue(update);
            queuedUpdates++;
            if (!queue.IsReady)
            {
                queue.IsReady = true;
                ready.Enqueue(queue);
            }
        }

        return !updates.Reader.Completion.IsCompleted;
    }

    private void CompleteFlushIfIdle()
    {
        if (waitingFlush is not null && queuedUpdates == 0)
        {
            waitingFlush.Done.TrySetResult();
            waitingFlush = null;
        }
    }

    /// <summary>Gives every source with queued updates one turn of at most <see cref="RibLoopOptions.RoutesPerSourcePerTurn"/> routes, then decides the touched prefixes.</summary>
    private bool ProcessTurn()
    {
        var rounds = ready.Count;
        for (var i = 0; i < rounds; i++)
        {
            var queue = ready.Dequeue();
            var budget = options.RoutesPerSourcePerTurn;
            while (budget > 0 && queue.Updates.Count > 0)
            {
                var head = queue.Updates.Peek();
                budget -= Apply(head, ref queue.Cursor, budget, out var done);
                if (done)
                {
                    queue.Updates.Dequeue();
                    queue.Cursor = 0;
                    queuedUpdates--;
                }
            }

            if (queue.Updates.Count > 0)
            {
                ready.Enqueue(queue);
            }
            else
            {
                queue.IsReady = false;
            }

            DecideTouched();

            // A subscriber's buffer is full: stop ingest here, so its pending changes never grow by
            // more than one source's turn beyond its limit.
            if (feed.MustWait)
            {
                feed.Flush();
                if (feed.MustWait)
                {
                    break;
                }
            }
        }

        return rounds > 0;
    }

    private void DecideTouched()
    {
        foreach (var prefix in touched)
        {
            Decide(prefix);
        }

        touched.Clear();
        touchedSet.Clear();
    }

    /// <summary>Applies part of an update, from <paramref name="cursor"/>, within <paramref name="budget"/> routes; returns the routes used.</summary>
    private int Apply(RibUpdate update, ref int cursor, int budget, out bool done)
    {
        var used = 0;
        switch (update)
        {
            case RouteAnnouncement announcement:
                for (; cursor < announcement.Routes.Length && used < budget; cursor++, used++)
                {
                    Announce(announcement.Source, announcement.Routes[cursor], announcement.Attributes);
                }

                done = cursor >= announcement.Routes.Length;
                return Math.Max(used, 1);

            case RouteWithdrawal withdrawal:
                for (; cursor < withdrawal.Routes.Length && used < budget; cursor++, used++)
                {
                    var key = withdrawal.Routes[cursor];
                    BeforeChange(key.Prefix);
                    if (table.Withdraw(key.Prefix, withdrawal.Source, key.PathId, out var removed))
                    {
                        Removed(removed);
                    }
                }

                done = cursor >= withdrawal.Routes.Length;
                return Math.Max(used, 1);

            case SourceRemoval removal:
                done = true;
                return RemoveSourcePaths(removal.Source, staleOnly: false, family: null);

            case StaleSweep sweep:
                done = true;
                return RemoveSourcePaths(sweep.Source, staleOnly: true, sweep.Family);

            case EndOfRib endOfRib:
                done = true;
                return RemoveSourcePaths(endOfRib.Source, staleOnly: true, endOfRib.Family);

            case StaleMark mark:
                done = true;
                KeepSourcePrefixes(mark.Source, staleOnly: false, mark.Family);
                if (mark.Family is { } family)
                {
                    table.MarkStale(mark.Source, family == AddressFamily.InterNetworkV6);
                }
                else
                {
                    table.MarkStale(mark.Source);
                }

                return 1;

            default:
                done = true;
                return 1;
        }
    }

    private void Announce(RouteSource source, RouteKey key, PathAttributes attributes)
    {
        BeforeChange(key.Prefix);
        switch (table.Upsert(key.Prefix, source, key.PathId, attributes))
        {
            case PathChange.Added:
                Touch(key.Prefix);
                break;
            case PathChange.Replaced:
                Touch(key.Prefix);
                if (IsSelected(key.Prefix, source, key.PathId))
                {
                    // A selected path's attributes changed: the published state is out of date even
                    // if the same paths stay selected.
                    selectionChanged.TryAdd(key.Prefix, null);
                }

                break;
            default:
                break;
        }
    }

    private bool IsSelected(IpPrefix prefix, RouteSource source, uint pathId)
    {
        foreach (var route in table.GetPaths(prefix))
        {
            if (route.Source.Id == source.Id && route.PathId == pathId)
            {
                return route.IsMultipath;
            }
        }

        return false;
    }

    private void Removed(in RemovedPath removed)
    {
        Touch(removed.Prefix);
        if (removed.WasBest)
        {
            selectionChanged[removed.Prefix] = removed.Source;
        }
        else if (removed.WasMultipath)
        {
            selectionChanged.TryAdd(removed.Prefix, null);
        }
    }

    /// <summary>Removes a source's paths (or its stale ones, of one family or all) in one operation proportional to its paths.</summary>
    private int RemoveSourcePaths(RouteSource source, bool staleOnly, AddressFamily? family)
    {
        KeepSourcePrefixes(source, staleOnly, family);
        removedPaths.Clear();
        if (family is null)
        {
            if (staleOnly)
            {
                table.SweepStale(source, removedPaths);
            }
            else
            {
                table.RemoveSource(source, removedPaths);
            }
        }
        else
        {
            sourceKeys.Clear();
            foreach (var route in table.GetPathsOf(source))
            {
                var prefix = table.GetPrefix(route.Id);
                if (prefix.Family == family && (!staleOnly || route.IsStale))
                {
                    sourceKeys.Add(new RouteKey(prefix, route.PathId));
                }
            }

            foreach (var key in sourceKeys)
            {
                if (table.Withdraw(key.Prefix, source, key.PathId, out var removed))
                {
                    removedPaths.Add(removed);
                }
            }
        }

        foreach (var removed in removedPaths)
        {
            Removed(removed);
        }

        return Math.Max(removedPaths.Count, 1);
    }

    /// <summary>Before a bulk change to a source's paths, keeps the state of its prefixes for snapshots in progress.</summary>
    private void KeepSourcePrefixes(RouteSource source, bool staleOnly, AddressFamily? family)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        sourceKeys.Clear();
        foreach (var route in table.GetPathsOf(source))
        {
            var prefix = table.GetPrefix(route.Id);
            if ((family is null || prefix.Family == family) && (!staleOnly || route.IsStale))
            {
                sourceKeys.Add(new RouteKey(prefix, route.PathId));
            }
        }

        foreach (var key in sourceKeys)
        {
            BeforeChange(key.Prefix);
        }
    }

    private void Touch(IpPrefix prefix)
    {
        if (touchedSet.Add(prefix))
        {
            touched.Add(prefix);
        }
    }

    /// <summary>
    /// Runs the decision process for a prefix, records the selection in the table, and publishes a
    /// change when the best path or the multipath set changed.
    /// </summary>
    private void Decide(IpPrefix prefix)
    {
        var span = LoadCandidates(prefix);
        var summary = decision.Decide(span, multipath);
        // The best path published last: still a candidate, or removed in this turn.
        var changed = selectionChanged.Remove(prefix, out var previousBest);
        foreach (var route in routes)
        {
            if (route.IsBest)
            {
                previousBest = route.Source;
            }
        }

        if (!summary.HasBest)
        {
            changed |= previousBest is not null;
            if (changed)
            {
                table.ClearSelection(prefix);
                feed.Publish(RibChange.Withdrawn(prefix), previousBest);
            }

            return;
        }

        var selectedBefore = 0;
        foreach (var route in routes)
        {
            selectedBefore += route.IsMultipath ? 1 : 0;
        }

        var best = routes[multipath[0]];
        changed |= !best.IsBest || selectedBefore != summary.MultipathCount;
        Span<RouteId> ids = stackalloc RouteId[summary.MultipathCount];
        for (var i = 0; i < ids.Length; i++)
        {
            var route = routes[multipath[i]];
            changed |= !route.IsMultipath;
            ids[i] = route.Id;
        }

        if (!changed)
        {
            return;
        }

        table.SetSelection(prefix, best.Id, ids[1..]);
        feed.Publish(Announcement(prefix, summary), previousBest);
    }

    /// <summary>The change that announces a decided prefix's selection, from <see cref="routes"/> and <see cref="multipath"/>.</summary>
    private RibChange Announcement(IpPrefix prefix, DecisionSummary summary)
    {
        if (summary.MultipathCount == 1)
        {
            var only = routes[multipath[0]];
            return RibChange.Announced(prefix, new RoutePath(only.Source, only.Attributes, only.PathId), summary.Reason);
        }

        var set = new RoutePath[summary.MultipathCount];
        for (var i = 0; i < set.Length; i++)
        {
            var route = routes[multipath[i]];
            set[i] = new RoutePath(route.Source, route.Attributes, route.PathId);
        }

        return RibChange.Announced(prefix, ImmutableCollectionsMarshal.AsImmutableArray(set), summary.Reason);
    }

    /// <summary>Loads a prefix's paths into <see cref="routes"/> and the matching candidates.</summary>
    private ReadOnlySpan<PathCandidate> LoadCandidates(IpPrefix prefix)
    {
        routes.Clear();
        foreach (var route in table.GetPaths(prefix))
        {
            routes.Add(route);
        }

        if (candidates.Length < routes.Count)
        {
            candidates = new PathCandidate[Math.Max(routes.Count, candidates.Length * 2)];
        }

        for (var i = 0; i < routes.Count; i++)
        {
            // The table's arrival counter wraps; relative to one path of the prefix it orders correctly.
            var route = routes[i];
            var arrival = (int)(route.ArrivalOrder - routes[0].ArrivalOrder);
            candidates[i] = new PathCandidate(route.Source, route.Attributes, route.PathId, arrival);
        }

        return candidates.AsSpan(0, routes.Count);
    }

    /// <summary>The prefix's paths and the decision over them now, or null when it has no paths.</summary>
    private PrefixSnapshot? Explain(IpPrefix prefix)
    {
        var span = LoadCandidates(prefix);
        if (span.IsEmpty)
        {
            return null;
        }

        var result = decision.Explain(span);
        var snapshots = new PathSnapshot[span.Length];
        for (var i = 0; i < snapshots.Length; i++)
        {
            var route = routes[i];
            snapshots[i] = new PathSnapshot(new RoutePath(route.Source, route.Attributes, route.PathId), route.ArrivalOrder, route.IsStale, result.Verdicts[i]);
        }

        return new PrefixSnapshot(prefix, ImmutableCollectionsMarshal.AsImmutableArray(snapshots), result.BestIndex, result.Multipath, result.Reason);
    }

    /// <summary>A source's queued update batches and how far into the first one the loop got.</summary>
    private sealed class SourceQueue
    {
        public Queue<RibUpdate> Updates { get; } = new();

        public int Cursor;

        public bool IsReady;
    }

    /// <summary>A barrier in the input: completed once everything before it is processed.</summary>
    private sealed record FlushMarker(TaskCompletionSource Done) : RibUpdate(MarkerSource);
}
