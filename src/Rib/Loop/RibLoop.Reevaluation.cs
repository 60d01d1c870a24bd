namespace BgpStack.Rib;

/// <summary>
/// Running the decision process again over prefixes whose paths did not change, because what the
/// next-hop resolver answers did (an IGP cost moved, a next hop became reachable or not).
/// </summary>
public sealed partial class RibLoop
{
    private readonly List<ReevaluationJob> reevaluations = [];

    /// <summary>
    /// Runs the decision process again for <paramref name="scope"/> and its more-specifics (or the
    /// whole table), a chunk per turn, publishing the changes; call it after the next-hop resolver's
    /// answers changed.
    /// </summary>
    /// <param name="scope">The covering prefix, or null for the whole table.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Completes when every prefix in scope was decided again.</returns>
    public async Task ReevaluateAsync(IpPrefix? scope = null, CancellationToken cancellationToken = default)
    {
        var job = new ReevaluationJob(scope);
        await SendAsync(
            new Request<bool>(loop =>
            {
                loop.reevaluations.Add(job);
                return true;
            }),
            cancellationToken).ConfigureAwait(false);
        await job.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void AdvanceReevaluations()
    {
        for (var i = reevaluations.Count - 1; i >= 0; i--)
        {
            var job = reevaluations[i];
            if (job.Walk.Advance(options.SnapshotChunkSize, collectTablePrefixes, () => !feed.MustWait, Decide))
            {
                reevaluations.RemoveAt(i);
                job.Done.TrySetResult();
            }
        }
    }

    /// <summary>A re-run of the decision process over a range in progress.</summary>
    private sealed class ReevaluationJob(IpPrefix? scope)
    {
        public PrefixWalk Walk { get; } = new(scope);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
