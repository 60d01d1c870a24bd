using System.Diagnostics.Metrics;
using BgpStack.Daemon.Hosting;

namespace BgpStack.Daemon.Tests.Hosting;

public sealed class DaemonMetricsTests
{
    [Fact]
    public void Reloads_and_requests_are_counted_with_their_tags()
    {
        using var metrics = new DaemonMetrics();
        var seen = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        metrics.Reload("applied");
        metrics.Reload("rejected");
        metrics.Request("status", ok: true);

        Assert.Equal(
            [
                ("bgpstack.daemon.reloads", 1L, "outcome=applied"),
                ("bgpstack.daemon.reloads", 1L, "outcome=rejected"),
                ("bgpstack.daemon.control.requests", 1L, "command=status,ok=True"),
            ],
            seen);
    }
}
