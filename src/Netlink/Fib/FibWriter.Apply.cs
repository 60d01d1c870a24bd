using System.Diagnostics;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

// Sending changes, resync and flush; the type is documented in FibWriter.cs.
public sealed partial class FibWriter
{
    // ESRCH: a delete found no such route, which is what it wanted.
    private const int NoSuchRoute = 3;

    // ENOENT: a dump of a table that does not exist yet.
    private const int NoSuchTable = 2;

    // Sends a request for every dirty prefix whose installed route differs from the desired one.
    private void ApplyDirty()
    {
        foreach (var prefix in dirty)
        {
            var want = desired.GetValueOrDefault(prefix);
            var have = installed.GetValueOrDefault(prefix);
            if (want is null ? have is null : have is not null && FibRouteComparer.Matches(want, have))
            {
                _ = retries.Remove(prefix);
                continue;
            }

            // Replace, never delete-then-add: a changed route is never absent in between.
            batch.Add(want is null ? new RouteRequest(RouteOperation.Delete, have!) : new RouteRequest(RouteOperation.Replace, want));
            batchPrefixes.Add(prefix);
            if (batch.Count == options.BatchSize)
            {
                SendBatch();
            }
        }

        dirty.Clear();
        SendBatch();
        Publish();
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
                Fail(batchPrefixes[i], batch[i], e.Error);
            }

            var soon = time.GetUtcNow() + options.RetryInitialDelay;
            nextResync = soon < nextResync ? soon : nextResync;
            ClearBatch();
            return;
        }

        var applied = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var prefix = batchPrefixes[i];
            var request = batch[i];
            var error = results[i];
            if (error is null || (request.Operation == RouteOperation.Delete && error.Errno == NoSuchRoute))
            {
                applied++;
                _ = retries.Remove(prefix);
                if (request.Operation == RouteOperation.Delete)
                {
                    _ = installed.Remove(prefix);
                }
                else
                {
                    installed[prefix] = request.Route;
                }
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
        batchPrefixes.Clear();
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
        onRouteError?.Invoke(new FibRouteError(prefix, request.Operation, request.Route, error, attempts, delay));
    }

    private void Publish()
    {
        Volatile.Write(ref installedCount, installed.Count);
        Volatile.Write(ref pendingCount, retries.Count);
    }

    // Takes over the routes of ours the table already holds (from before a restart), so that the
    // replayed feed sends only what differs.
    private void AdoptKernelRoutes()
    {
        foreach (var route in DumpOurRoutes())
        {
            if ((route.Metric ?? 0) == options.Metric)
            {
                _ = installed.TryAdd(route.Destination, route);
            }
        }

        Publish();
    }

    // Reads our routes back from the kernel and repairs the table: stale ones (no desired route,
    // another metric, a duplicate) are deleted, missing or altered ones replaced.
    private void Resync()
    {
        var started = time.GetTimestamp();
        var kernel = DumpOurRoutes();
        installed.Clear();
        var stale = new List<RouteRequest>();
        foreach (var route in kernel)
        {
            if (desired.TryGetValue(route.Destination, out var want)
                && FibRouteComparer.Matches(want, route)
                && installed.TryAdd(route.Destination, want))
            {
                continue;
            }

            if (desired.ContainsKey(route.Destination) && (route.Metric ?? 0) == options.Metric)
            {
                // The replace below rewrites this route in place.
                continue;
            }

            stale.Add(new RouteRequest(RouteOperation.Delete, route));
        }

        DeleteAll(stale);
        foreach (var prefix in desired.Keys)
        {
            if (!installed.ContainsKey(prefix))
            {
                _ = dirty.Add(prefix);
            }
        }

        ApplyDirty();
        metrics.Resync(time.GetElapsedTime(started));
    }

    private IReadOnlyList<Route> DumpOurRoutes()
    {
        try
        {
            return client!.GetRoutes(new RouteFilter { Table = options.Table, Protocol = options.Protocol });
        }
        catch (NetlinkException e) when (e.Errno == NoSuchTable)
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
                onRouteError?.Invoke(new FibRouteError(slice[i].Route.Destination, RouteOperation.Delete, slice[i].Route, error, 1, options.ResyncInterval ?? TimeSpan.Zero));
            }

            metrics.Applied(applied);
        }
    }

    // Flush on shutdown: every route of ours in the table goes.
    private void FlushOurRoutes()
    {
        var deletes = new List<RouteRequest>();
        foreach (var route in DumpOurRoutes())
        {
            deletes.Add(new RouteRequest(RouteOperation.Delete, route));
        }

        DeleteAll(deletes);
        installed.Clear();
        retries.Clear();
        Publish();
    }
}
