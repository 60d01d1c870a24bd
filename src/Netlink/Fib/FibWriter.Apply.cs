using BgpStack.Netlink.Nexthops;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

// Sending changes, withdrawals through nexthop objects, resync and flush; the type is documented in FibWriter.cs.
public sealed partial class FibWriter
{
    // ESRCH: a delete found no such route, which is what it wanted.
    private const int NoSuchRoute = 3;

    // ENOENT: a dump of a table that does not exist yet, or a nexthop object that is gone.
    private const int NoSuchEntry = 2;

    // The shape a mapped route is kept as: through the writer's nexthop object for its one gateway
    // when there is one, else with its next hops inline.
    private int ShapeOf(Route route)
    {
        var shape = FibShape.Of(route);
        if (objects is { } registry && route.Type == RouteType.Unicast && route.NextHops.Count == 1 && route.NextHops[0].Gateway is not null)
        {
            var hop = route.NextHops[0];
            if (registry.GetOrCreate(client!, hop, out var failure) is { } id)
            {
                shape = shape with { NextHopId = id };
            }
            else if (failure is not null)
            {
                LogNextHopObjectRefused(logger, options.Table, hop.Gateway, failure.Message);
            }
        }

        return shapes.Intern(shape);
    }

    // The shape a kernel route of ours is kept as (its own, unless it is the one we would send).
    // A route through one of our objects is kept as that object's one shape, so that the object's
    // routes are all counted in one place.
    private int KernelShapeOf(Route route) =>
        route.NextHopId is { } id && objects?.HopOf(id) is { } hop
            ? shapes.Intern(new FibShape(RouteType.Unicast, [hop], id))
            : shapes.Intern(FibShape.Of(route));

    private bool Matches(int wanted, Route kernel) =>
        shapes[wanted] is var want && FibRouteComparer.Matches(want.Type, want.NextHops, want.NextHopId, kernel);

    private bool Matches(int wanted, int held)
    {
        if (wanted == held)
        {
            return true;
        }

        var have = shapes[held];
        return Matches(wanted, have.ToRoute(default, options, forKernel: false));
    }

    // Sends a request for every dirty prefix whose installed route differs from the desired one.
    private void ApplyDirty()
    {
        var now = time.GetUtcNow();
        foreach (var prefix in dirty)
        {
            var entry = table.Get(prefix);
            if ((entry.Flags & FibPrefixTable.Held) != 0)
            {
                continue;
            }

            if (entry.Desired == 0 ? entry.Installed == 0 : entry.Installed != 0 && Matches(entry.Desired, entry.Installed))
            {
                if (entry.Installed != entry.Desired)
                {
                    // The kernel's form of what is wanted: keep the wanted shape.
                    shapes.MoveInstalled(entry.Installed, entry.Desired);
                    table.Set(prefix, entry with { Installed = entry.Desired });
                }

                _ = retries.Remove(prefix);
                continue;
            }

            if (entry.Desired == 0 && CanHold(entry.Installed))
            {
                table.Set(prefix, entry with { Flags = (byte)(entry.Flags | FibPrefixTable.Held) });
                Hold(prefix, entry.Installed, now);
                continue;
            }

            // Replace, never delete-then-add: a changed route is never absent in between.
            Queue(prefix, entry.Desired == 0 ? RouteOperation.Delete : RouteOperation.Replace, entry.Desired == 0 ? entry.Installed : entry.Desired);
        }

        dirty.Clear();
        SendBatch();
        ReleaseHeld(now, force: false);
        DeleteUnusedObjects();
        Publish();
    }

    private void Queue(IpPrefix prefix, RouteOperation operation, int shape)
    {
        batch.Add(new RouteRequest(operation, shapes[shape].ToRoute(prefix, options, forKernel: true)));
        batchItems.Add(new BatchItem(prefix, shape));
        if (batch.Count == options.BatchSize)
        {
            SendBatch();
        }
    }

    // A withdrawal of a route through one of our nexthop objects waits while more withdrawals of the
    // object's routes keep coming (see HeldWithdrawals.Due): if every route using the object goes,
    // deleting the object removes them all in one operation.
    private bool CanHold(int installed) =>
        options.WithdrawCoalescing > TimeSpan.Zero && shapes[installed].NextHopId is { } id && objects!.Owns(id);

    // The caller has set the prefix's Held flag.
    private void Hold(IpPrefix prefix, int installed, DateTimeOffset now)
    {
        if (!held.TryGetValue(installed, out var waiting))
        {
            waiting = new HeldWithdrawals(now);
            held[installed] = waiting;
        }

        waiting.Prefixes.Add(prefix);
        waiting.Count++;
        waiting.Last = now;
    }

    // A held prefix the RIB wants again: its withdrawal is off.
    private void Unhold(FibEntry entry)
    {
        if (held.TryGetValue(entry.Installed, out var waiting))
        {
            waiting.Count--;
        }

    }

    // Held withdrawals go out when they cover every route of their object (one RTM_DELNEXTHOP),
    // else once they have waited WithdrawCoalescing (or at once when forced) as one delete per route.
    private void ReleaseHeld(DateTimeOffset now, bool force)
    {
        if (held.Count == 0)
        {
            return;
        }

        List<int>? done = null;
        foreach (var (shape, waiting) in held)
        {
            if (waiting.Count == 0)
            {
                (done ??= []).Add(shape);
                continue;
            }

            var whole = shapes.DesiredReferences(shape) == 0 && shapes.InstalledReferences(shape) == waiting.Count;
            if (whole && DeleteObjectWithRoutes(shape, waiting))
            {
                (done ??= []).Add(shape);
                continue;
            }

            if (force || whole || now >= waiting.Due(options.WithdrawCoalescing))
            {
                foreach (var prefix in waiting.Prefixes)
                {
                    var entry = table.Get(prefix);
                    if ((entry.Flags & FibPrefixTable.Held) != 0 && entry.Installed == shape)
                    {
                        table.Set(prefix, entry with { Flags = (byte)(entry.Flags & ~FibPrefixTable.Held) });
                        Queue(prefix, RouteOperation.Delete, shape);
                    }
                }

                (done ??= []).Add(shape);
            }
        }

        if (done is not null)
        {
            foreach (var shape in done)
            {
                _ = held.Remove(shape);
            }

            SendBatch();
        }
    }

    // Deletes the nexthop object every held withdrawal of the shape uses; the kernel drops its routes with it.
    private bool DeleteObjectWithRoutes(int shape, HeldWithdrawals waiting)
    {
        var id = shapes[shape].NextHopId!.Value;
        metrics.Batch(1);
        try
        {
            client!.DeleteNextHop(id);
        }
        catch (NetlinkException e) when (e.Errno != NoSuchEntry)
        {
            // Each route then goes on its own, and any refusal is reported for that route.
            LogNextHopObjectDeleteFailed(logger, options.Table, id, e.Error);
            return false;
        }

        objects!.Forget(id);
        if (retries.Count > 0)
        {
            foreach (var prefix in waiting.Prefixes)
            {
                _ = retries.Remove(prefix);
            }
        }

        // Every route of the shape is held (the caller checked): one pass over the table clears them.
        var removed = table.ClearInstalled(shape);
        shapes.RemoveInstalled(shape, removed);
        metrics.Applied(removed);
        LogNextHopObjectDeleted(logger, options.Table, removed, id);
        return true;
    }

    // Objects whose last route went another way (replaced, or deleted one by one) are deleted.
    private void DeleteUnusedObjects()
    {
        if (unusedObjects.Count == 0)
        {
            return;
        }

        foreach (var id in unusedObjects)
        {
            if (!objects!.Owns(id) || shapes.NamesObject(id))
            {
                continue;
            }

            try
            {
                client!.DeleteNextHop(id);
            }
            catch (NetlinkException e) when (e.Errno != NoSuchEntry)
            {
                LogNextHopObjectDeleteFailed(logger, options.Table, id, e.Error);
                continue;
            }
            catch (NetlinkException)
            {
                // Already gone.
            }

            objects.Forget(id);
        }

        unusedObjects.Clear();
    }

    private void SendBatch()
    {
        if (batch.Count == 0)
        {
            return;
        }

        metrics.Batch(batch.Count);
        IReadOnlyList<NetlinkError?> results;
        try
        {
            results = client!.ApplyRoutes(batch);
        }
        catch (NetlinkException e)
        {
            // ACKs were lost (ENOBUFS): which requests took is unknown, so every one is retried
            // and a resync soon reads the truth back from the kernel.
            for (var i = 0; i < batch.Count; i++)
            {
                Fail(batchItems[i].Prefix, batch[i], e.Error);
            }

            var soon = time.GetUtcNow() + options.RetryInitialDelay;
            nextResync = soon < nextResync ? soon : nextResync;
            ClearBatch();
            return;
        }

        var applied = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var (prefix, shape) = batchItems[i];
            var request = batch[i];
            var error = results[i];
            if (error is null || (request.Operation == RouteOperation.Delete && error.Errno == NoSuchRoute))
            {
                applied++;
                _ = retries.Remove(prefix);
                var entry = table.Get(prefix);
                var now = request.Operation == RouteOperation.Delete ? 0 : shape;
                shapes.MoveInstalled(entry.Installed, now);
                table.Set(prefix, entry with { Installed = now });
            }
            else
            {
                Fail(prefix, request, error);
            }
        }

        metrics.Applied(applied);
        ClearBatch();
    }

    private void ClearBatch()
    {
        batch.Clear();
        batchItems.Clear();
    }

    // Records a refusal, schedules the retry with exponential back-off and reports it.
    private void Fail(IpPrefix prefix, RouteRequest request, NetlinkError error)
    {
        var attempts = retries.TryGetValue(prefix, out var retry) ? retry.Attempts + 1 : 1;
        var delay = options.RetryInitialDelay * Math.Pow(2, Math.Min(attempts - 1, 30));
        if (delay > options.RetryMaximumDelay)
        {
            delay = options.RetryMaximumDelay;
        }

        retries[prefix] = new RetryState(attempts, time.GetUtcNow() + delay);
        _ = Interlocked.Increment(ref failedCount);
        metrics.Failed(1);
        LogRouteRefused(logger, options.Table, request.Operation, prefix, attempts, delay, error);
        onRouteError?.Invoke(new FibRouteError(prefix, request.Operation, request.Route, error, attempts, delay));
    }

    private void Publish()
    {
        Volatile.Write(ref installedCount, shapes.InstalledTotal);
        Volatile.Write(ref pendingCount, retries.Count);
    }

    // Takes over our nexthop objects and the routes of ours the table already holds (from before a
    // restart), so that the replayed feed sends only what differs.
    private void AdoptKernelRoutes(int tunnelIndex)
    {
        if (objects is { } registry)
        {
            registry.Adopt(client!.GetNextHops(), tunnelIndex);
        }

        foreach (var route in DumpOurRoutes())
        {
            var entry = table.Get(route.Destination);
            if ((route.Metric ?? 0) == options.Metric && entry.Installed == 0)
            {
                var shape = KernelShapeOf(route);
                shapes.MoveInstalled(0, shape);
                table.Set(route.Destination, entry with { Installed = shape });
            }
        }

        Publish();
    }

    // Reads our routes back from the kernel and repairs the table: stale ones (no desired route,
    // another metric, a duplicate) are deleted, missing or altered ones replaced.
    private void Resync()
    {
        var started = time.GetTimestamp();
        ReleaseHeld(time.GetUtcNow(), force: true);
        if (objects is { } registry)
        {
            registry.ForgetRefusals();
            var gone = registry.Restore(client!, client!.GetNextHops());
            foreach (var id in gone)
            {
                LogNextHopObjectDeleteFailed(logger, options.Table, id, new NetlinkError(NoSuchEntry, "nexthop object lost and not made again", null, $"nexthop {id}"));
            }

            if (gone.Count > 0)
            {
                RemapDesired(gone);
            }
        }

        var kernel = DumpOurRoutes();
        table.ClearFlags(FibPrefixTable.Seen);
        var stale = new List<RouteRequest>();
        foreach (var route in kernel)
        {
            var entry = table.Get(route.Destination);
            if (entry.Desired != 0 && (entry.Flags & FibPrefixTable.Seen) == 0 && (route.Metric ?? 0) == options.Metric)
            {
                if (Matches(entry.Desired, route))
                {
                    shapes.MoveInstalled(entry.Installed, entry.Desired);
                    table.Set(route.Destination, entry with { Installed = entry.Desired, Flags = (byte)(entry.Flags | FibPrefixTable.Seen) });
                    continue;
                }

                // The replace below rewrites this route in place.
                continue;
            }

            stale.Add(new RouteRequest(RouteOperation.Delete, route));
        }

        DeleteAll(stale);

        // What the kernel lacks (or holds altered) is sent again; what it lost is no longer installed.
        var lost = new List<IpPrefix>();
        var missing = new List<IpPrefix>();
        table.ForEach((prefix, entry) =>
        {
            if ((entry.Flags & FibPrefixTable.Seen) != 0)
            {
                return;
            }

            if (entry.Installed != 0)
            {
                lost.Add(prefix);
            }

            if (entry.Desired != 0)
            {
                missing.Add(prefix);
            }
        });

        foreach (var prefix in lost)
        {
            var entry = table.Get(prefix);
            shapes.MoveInstalled(entry.Installed, 0);
            table.Set(prefix, entry with { Installed = 0 });
        }

        foreach (var prefix in missing)
        {
            _ = dirty.Add(prefix);
        }

        table.ClearFlags(FibPrefixTable.Seen);
        ApplyDirty();
        var duration = time.GetElapsedTime(started);
        metrics.Resync(duration);
        LogResynced(logger, options.Table, duration, stale.Count, missing.Count);
    }

    // Prefixes that want a route through an object that is gone for good are mapped again: through
    // a new object for the gateway, or with the next hop inline.
    private void RemapDesired(List<uint> lost)
    {
        var stranded = new List<IpPrefix>();
        table.ForEach((prefix, entry) =>
        {
            if (entry.Desired != 0 && shapes[entry.Desired].NextHopId is { } id && lost.Contains(id))
            {
                stranded.Add(prefix);
            }
        });

        foreach (var prefix in stranded)
        {
            var entry = table.Get(prefix);
            var inline = shapes[entry.Desired].ToRoute(prefix, options, forKernel: false) with { NextHopId = null };
            var want = ShapeOf(inline);
            shapes.MoveDesired(entry.Desired, want);
            table.Set(prefix, entry with { Desired = want });
        }
    }

    private IReadOnlyList<Route> DumpOurRoutes()
    {
        try
        {
            return client!.GetRoutes(new RouteFilter { Table = options.Table, Protocol = options.Protocol });
        }
        catch (NetlinkException e) when (e.Errno == NoSuchEntry)
        {
            // A table the kernel has not made yet (no route in it) holds none of ours.
            return [];
        }
    }

    // Deletes routes outside the per-prefix model (stale ones, or all at shutdown); the next resync retries failures.
    private void DeleteAll(List<RouteRequest> deletes)
    {
        for (var first = 0; first < deletes.Count; first += options.BatchSize)
        {
            var slice = deletes.GetRange(first, Math.Min(options.BatchSize, deletes.Count - first));
            metrics.Batch(slice.Count);
            var results = client!.ApplyRoutes(slice);
            var applied = 0;
            for (var i = 0; i < slice.Count; i++)
            {
                if (results[i] is not { } error || error.Errno == NoSuchRoute)
                {
                    applied++;
                    continue;
                }

                _ = Interlocked.Increment(ref failedCount);
                metrics.Failed(1);
                LogStaleDeleteFailed(logger, options.Table, slice[i].Route.Destination, error);
                onRouteError?.Invoke(new FibRouteError(slice[i].Route.Destination, RouteOperation.Delete, slice[i].Route, error, 1, options.ResyncInterval ?? TimeSpan.Zero));
            }

            metrics.Applied(applied);
        }
    }

    // Flush on shutdown: every route of ours in the table goes; our nexthop objects first, which
    // takes their routes with them in one operation each.
    private void FlushOurRoutes()
    {
        if (objects is { } registry)
        {
            foreach (var id in registry.Ids.ToList())
            {
                try
                {
                    client!.DeleteNextHop(id);
                }
                catch (NetlinkException e) when (e.Errno != NoSuchEntry)
                {
                    LogNextHopObjectDeleteFailed(logger, options.Table, id, e.Error);
                }
                catch (NetlinkException)
                {
                    // Already gone.
                }
            }
        }

        var deletes = new List<RouteRequest>();
        foreach (var route in DumpOurRoutes())
        {
            deletes.Add(new RouteRequest(RouteOperation.Delete, route));
        }

        DeleteAll(deletes);
        retries.Clear();
        Volatile.Write(ref installedCount, 0);
        Volatile.Write(ref pendingCount, 0);
    }

    /// <summary>Withdrawals of one shape waiting for the rest of its nexthop object's routes.</summary>
    /// <param name="since">When the first one was held.</param>
    private sealed class HeldWithdrawals(DateTimeOffset since)
    {
        // However long withdrawals keep coming, the first waits at most this many quiet periods.
        private const int MostQuietPeriods = 10;

        public DateTimeOffset Since { get; } = since;

        /// <summary>When the last withdrawal joined.</summary>
        public DateTimeOffset Last { get; set; } = since;

        /// <summary>The prefixes (some may have been wanted again since: their Held flag says).</summary>
        public List<IpPrefix> Prefixes { get; } = [];

        /// <summary>How many of <see cref="Prefixes"/> are still held.</summary>
        public int Count { get; set; }

        /// <summary>
        /// When the held withdrawals go one by one: once no withdrawal has joined for
        /// <paramref name="quiet"/> (a peer's withdrawals still streaming in keep them waiting), and
        /// at the latest <see cref="MostQuietPeriods"/> quiet periods after the first.
        /// </summary>
        /// <param name="quiet">The writer's <see cref="FibWriterOptions.WithdrawCoalescing"/>.</param>
        public DateTimeOffset Due(TimeSpan quiet)
        {
            var settled = Last + quiet;
            var latest = Since + (quiet * MostQuietPeriods);
            return settled < latest ? settled : latest;
        }
    }

    /// <summary>A queued request's prefix and the shape it sends (or deletes).</summary>
    private readonly record struct BatchItem(IpPrefix Prefix, int Shape);
}
