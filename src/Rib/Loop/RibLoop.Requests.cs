using System.Collections.Immutable;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib;

/// <summary>Management requests: messages to the loop, answered between turns.</summary>
public sealed partial class RibLoop
{
    /// <summary>
    /// Subscribes to the change feed; the subscription sees every change the loop publishes after it
    /// is served and, with <paramref name="replayCurrentTable"/>, first the whole current Loc-RIB as
    /// announcements (sent a chunk per turn while the subscriber has room, so a late FIB writer or
    /// Adj-RIB-Out builder catches up without stalling ingest).
    /// </summary>
    /// <param name="subscriptionOptions">The subscriber's limits; <see cref="ChangeSubscriptionOptions.Default"/> when null.</param>
    /// <param name="replayCurrentTable">Whether to send the current Loc-RIB first.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ChangeSubscription> SubscribeAsync(ChangeSubscriptionOptions? subscriptionOptions = null, bool replayCurrentTable = false, CancellationToken cancellationToken = default) =>
        SendAsync(
            new Request<ChangeSubscription>(loop =>
            {
                var subscription = loop.feed.Subscribe(subscriptionOptions, replayFollows: replayCurrentTable);
                if (replayCurrentTable)
                {
                    loop.replays.Add(new ReplayJob(subscription));
                }

                return subscription;
            }),
            cancellationToken);

    /// <summary>Counts for <c>status</c>: prefixes, paths, interned attribute sets, subscribers and work in progress.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<RibStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(
            new Request<RibStatistics>(loop => new RibStatistics(
                loop.table.PrefixCount,
                loop.table.PathCount,
                loop.table.Attributes.Count,
                loop.feed.Subscribers.Count,
                loop.queuedUpdates,
                loop.jobs.Count + loop.replays.Count)),
            cancellationToken);

    /// <summary>
    /// How many paths a source has in the RIB, per address family (IPv4, IPv6). Served between
    /// updates: call <see cref="FlushAsync"/> first to count everything posted before.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<(int Ipv4, int Ipv6)> GetPathCountsAsync(RouteSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return SendAsync(new Request<(int Ipv4, int Ipv6)>(loop => (loop.table.PathCountOf(source, ipv6: false), loop.table.PathCountOf(source, ipv6: true))), cancellationToken);
    }

    /// <summary>A snapshot of one prefix: its paths, the best, the multipath set and each path's verdict.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot, or null when the RIB holds no path for the prefix.</returns>
    public Task<PrefixSnapshot?> GetPrefixAsync(IpPrefix prefix, CancellationToken cancellationToken = default) =>
        SendAsync(new Request<PrefixSnapshot?>(loop => loop.Explain(prefix)), cancellationToken);

    /// <summary>
    /// A consistent snapshot of a prefix and all its more-specifics, in <see cref="IpPrefix"/> order,
    /// as they were when the request was served; built a chunk per turn.
    /// </summary>
    /// <param name="prefix">The covering prefix.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<PrefixSnapshot>> GetRangeAsync(IpPrefix prefix, CancellationToken cancellationToken = default) =>
        StartSnapshot(prefix, cancellationToken);

    /// <summary>
    /// A consistent snapshot of the whole table (IPv4, then IPv6), as it was when the request was
    /// served; built a chunk per turn.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<PrefixSnapshot>> GetTableAsync(CancellationToken cancellationToken = default) =>
        StartSnapshot(null, cancellationToken);

    private async Task<ImmutableArray<PrefixSnapshot>> StartSnapshot(IpPrefix? scope, CancellationToken cancellationToken)
    {
        var job = new SnapshotJob(scope, cancellationToken);
        await SendAsync(new Request<bool>(loop =>
        {
            loop.jobs.Add(job);
            return true;
        }), cancellationToken).ConfigureAwait(false);
        return await job.Task.ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(Request<T> request, CancellationToken cancellationToken)
    {
        try
        {
            await requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(RibLoop), "The RIB loop has stopped.");
        }

        return await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ServeRequests()
    {
        while (requests.Reader.TryRead(out var request))
        {
            request.Execute(this);
        }
    }

    /// <summary>A management request the loop executes on its own thread.</summary>
    private abstract class RibRequest
    {
        public abstract void Execute(RibLoop loop);

        public abstract void Fail(Exception error);
    }

    private sealed class Request<T>(Func<RibLoop, T> action) : RibRequest
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => completion.Task;

        public override void Execute(RibLoop loop)
        {
            try
            {
                completion.TrySetResult(action(loop));
            }
            catch (InvalidOperationException e)
            {
                completion.TrySetException(e);
            }
            catch (ArgumentException e)
            {
                completion.TrySetException(e);
            }
        }

        public override void Fail(Exception error) => completion.TrySetException(error);
    }
}
