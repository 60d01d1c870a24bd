using System.Diagnostics.Metrics;

namespace BgpStack.Daemon.Hosting;

/// <summary>The daemon's own instruments (meter "BgpStack.Daemon"): reloads by outcome and control requests by command.</summary>
internal sealed class DaemonMetrics : IDisposable
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "BgpStack.Daemon";

    private readonly Counter<long> reloads;
    private readonly Counter<long> requests;

    /// <summary>Creates the instruments.</summary>
    public DaemonMetrics()
    {
        reloads = Meter.CreateCounter<long>("bgpstack.daemon.reloads", "{reload}", "Configuration reloads, by outcome: applied, unchanged, rejected (errors in the file), failed.");
        requests = Meter.CreateCounter<long>("bgpstack.daemon.control.requests", "{request}", "Control socket requests, by command and whether they succeeded.");
    }

    /// <summary>The meter (tests listen to this instance).</summary>
    public Meter Meter { get; } = new(MeterName);

    /// <summary>Counts a reload.</summary>
    /// <param name="outcome"><c>applied</c>, <c>unchanged</c>, <c>rejected</c> or <c>failed</c>.</param>
    public void Reload(string outcome) => reloads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts a control request.</summary>
    /// <param name="command">The command (<c>invalid</c> for a request that could not be read).</param>
    /// <param name="ok">Whether it succeeded.</param>
    public void Request(string command, bool ok) =>
        requests.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("ok", ok));

    /// <inheritdoc/>
    public void Dispose() => Meter.Dispose();
}
