using System.Diagnostics.Metrics;

namespace BgpStack.Netlink.Fib;

/// <summary>
/// The FIB writer's instruments on the meter <c>BgpStack.Fib</c>: routes installed, failed and
/// pending; batch sizes; resync durations. Every measurement carries the table and namespace.
/// </summary>
internal sealed class FibMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "BgpStack.Fib";

    private readonly Meter meter;
    private readonly KeyValuePair<string, object?>[] tags;
    private readonly Counter<long> failed;
    private readonly Counter<long> applied;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> resyncDuration;
    private readonly Counter<long> resyncFailed;

    public FibMetrics(FibWriterOptions options, Func<int> installed, Func<int> pending)
    {
        tags =
        [
            new("table", (long)options.Table),
            new("namespace", options.NamespaceName ?? string.Empty),
        ];
        meter = new Meter(MeterName);
        _ = meter.CreateObservableGauge("bgpstack.fib.routes.installed", () => new Measurement<int>(installed(), tags), "{route}", "Routes the writer holds installed in the kernel table.");
        _ = meter.CreateObservableGauge("bgpstack.fib.routes.pending", () => new Measurement<int>(pending(), tags), "{route}", "Prefixes whose kernel route differs from the RIB's (waiting for a retry).");
        failed = meter.CreateCounter<long>("bgpstack.fib.routes.failed", "{route}", "Route requests the kernel rejected.");
        applied = meter.CreateCounter<long>("bgpstack.fib.routes.applied", "{route}", "Route requests the kernel accepted (replaces and deletes).");
        batchSize = meter.CreateHistogram<int>("bgpstack.fib.batch.size", "{request}", "Route requests per batch sent to the kernel.");
        resyncDuration = meter.CreateHistogram<double>("bgpstack.fib.resync.duration", "s", "How long a dump-and-repair of the kernel table took.");
        resyncFailed = meter.CreateCounter<long>("bgpstack.fib.resync.failed", "{resync}", "Resyncs cut short by a netlink error (tried again after the first retry delay).");
    }

    public void Failed(int count) => failed.Add(count, tags);

    public void Applied(int count) => applied.Add(count, tags);

    public void Batch(int size) => batchSize.Record(size, tags);

    public void Resync(TimeSpan duration) => resyncDuration.Record(duration.TotalSeconds, tags);

    public void ResyncFailed() => resyncFailed.Add(1, tags);

    public void Dispose() => meter.Dispose();
}
