using System.Diagnostics.Metrics;
using System.Net;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// The speaker's instruments (meter "BgpStack.Bgp"): sessions per state, UPDATEs and prefixes in
/// and out per peer, session flaps per peer.
/// </summary>
internal sealed class SpeakerMetrics : IDisposable
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "BgpStack.Bgp";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> updatesReceived;
    private readonly Counter<long> updatesSent;
    private readonly Counter<long> prefixesReceived;
    private readonly Counter<long> prefixesSent;
    private readonly Counter<long> flaps;
    private readonly Counter<long> established;

    public SpeakerMetrics(BgpSpeaker speaker)
    {
        meter.CreateObservableGauge(
            "bgpstack.bgp.sessions",
            () => speaker.Peers.GroupBy(p => p.State).Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("state", g.Key.ToString()))),
            unit: "{session}",
            description: "Sessions per state.");
        updatesReceived = meter.CreateCounter<long>("bgpstack.bgp.updates.received", "{message}", "UPDATE messages received.");
        updatesSent = meter.CreateCounter<long>("bgpstack.bgp.updates.sent", "{message}", "UPDATE messages sent.");
        prefixesReceived = meter.CreateCounter<long>("bgpstack.bgp.prefixes.received", "{prefix}", "Prefixes announced by peers.");
        prefixesSent = meter.CreateCounter<long>("bgpstack.bgp.prefixes.sent", "{prefix}", "Prefixes announced or withdrawn toward peers.");
        flaps = meter.CreateCounter<long>("bgpstack.bgp.session.flaps", "{flap}", "Sessions that left Established.");
        established = meter.CreateCounter<long>("bgpstack.bgp.session.established", "{session}", "Sessions that reached Established.");
    }

    public void Established(IPAddress peer) => established.Add(1, Tag(peer));

    public void UpdateReceived(IPAddress peer) => updatesReceived.Add(1, Tag(peer));

    public void PrefixesReceived(IPAddress peer, int count) => prefixesReceived.Add(count, Tag(peer));

    public void UpdatesSent(IPAddress peer, int messages, int prefixes)
    {
        updatesSent.Add(messages, Tag(peer));
        prefixesSent.Add(prefixes, Tag(peer));
    }

    public void Flap(IPAddress peer) => flaps.Add(1, Tag(peer));

    public void Dispose() => meter.Dispose();

    private static KeyValuePair<string, object?> Tag(IPAddress peer) => new("peer", peer.ToString());
}
