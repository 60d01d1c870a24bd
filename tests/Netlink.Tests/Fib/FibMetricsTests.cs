using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BgpStack.Netlink.Fib;
using static BgpStack.Netlink.Tests.Fib.FibHarness;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibMetricsTests
{
    [Fact]
    public async Task Writer_reports_installed_failed_pending_batch_sizes_and_resync_durations()
    {
        await using var fib = await StartAsync(o => o with { RetryInitialDelay = TimeSpan.FromMinutes(1), RetryMaximumDelay = TimeSpan.FromMinutes(1) });
        var seen = new ConcurrentDictionary<string, List<double>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FibWriter.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                // Other tests' writers publish on the same meter name; keep this namespace's only.
                if (tag.Key == "namespace" && (string?)tag.Value == fib.Namespace.Name)
                {
                    var values = seen.GetOrAdd(instrument.Name, _ => []);
                    lock (values)
                    {
                        values.Add(value);
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await fib.PostAsync(Announce(Peer(1), "198.18.0.11", "10.1.0.0/24", "10.2.0.0/24"), Announce(Peer(2), "203.0.113.1", "10.3.0.0/24"));
        await fib.Writer.ResyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen["bgpstack.fib.routes.installed"][^1]);
        Assert.Equal(1, seen["bgpstack.fib.routes.pending"][^1]);
        Assert.True(seen["bgpstack.fib.routes.failed"].Sum() >= 1);
        Assert.True(seen["bgpstack.fib.routes.applied"].Sum() >= 2);
        Assert.Contains(seen["bgpstack.fib.batch.size"], size => size >= 1);
        Assert.NotEmpty(seen["bgpstack.fib.resync.duration"]);
        Assert.All(seen["bgpstack.fib.resync.duration"], d => Assert.True(d >= 0));
    }
}
