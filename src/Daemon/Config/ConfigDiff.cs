using System.Collections.Immutable;
using BgpStack.Bgp.Speaker;
using BgpStack.Rib;

namespace BgpStack.Daemon.Config;

/// <summary>How one configured peer changes across a reload.</summary>
/// <param name="Old">The peer's options before.</param>
/// <param name="New">The peer's options after.</param>
/// <param name="Settings">The configuration keys that changed (a global key such as <c>router-id</c> when a speaker-wide change affects the peer).</param>
internal sealed record PeerChange(PeerOptions Old, PeerOptions New, ImmutableArray<string> Settings)
{
    /// <summary>True when routes already received must be run through the import side again (import policy or allow-own-as changed): a route refresh, or a re-import from the Adj-RIB-In.</summary>
    public bool NeedsReimport => Settings.Contains("import") || Settings.Contains("allow-own-as");

    /// <summary>True when what we advertise to the peer must be computed and sent again (export policy, next-hop mode or cluster ID changed).</summary>
    public bool NeedsReexport => Settings.Contains("export") || Settings.Contains("next-hop") || Settings.Contains("cluster-id");

    /// <summary>The peer's address and the changed keys, for logs.</summary>
    public override string ToString() => $"{New.Address} ({string.Join(", ", Settings)})";
}

/// <summary>
/// What a reload changes (<see cref="DaemonConfig.Diff"/>). Peers are matched by address. A peer
/// is in <see cref="ChangedPeers"/> when its session must be reset (see <see cref="PeerSettings"/>
/// for which settings do that, plus a new router ID or a new speaker AS for peers without their
/// own local-as), and in <see cref="UpdatedPeers"/> when every change applies to the running session.
/// </summary>
internal sealed record ConfigDiff
{
    /// <summary>Peers configured now and not before.</summary>
    public ImmutableArray<PeerOptions> AddedPeers { get; init; } = [];

    /// <summary>Peers configured before and not now.</summary>
    public ImmutableArray<PeerOptions> RemovedPeers { get; init; } = [];

    /// <summary>Peers whose session must be reset to take the new settings.</summary>
    public ImmutableArray<PeerChange> ChangedPeers { get; init; } = [];

    /// <summary>Peers whose changes apply without a reset (with a route refresh or re-export where <see cref="PeerChange"/> says so).</summary>
    public ImmutableArray<PeerChange> UpdatedPeers { get; init; } = [];

    /// <summary>
    /// Speaker-wide keys that changed: <c>router-id</c>, <c>local-as</c>, <c>cluster-id</c>,
    /// <c>listen</c> (the listeners are rebound), <c>ecmp</c> (the RIB's decision options),
    /// <c>dynamic-neighbors</c> (sessions from ranges that changed are reset).
    /// </summary>
    public ImmutableArray<string> SpeakerChanges { get; init; } = [];

    /// <summary>Keys that take effect only when bgpstackd restarts: <c>control-socket</c>, <c>state-dir</c>.</summary>
    public ImmutableArray<string> RestartRequired { get; init; } = [];

    /// <summary>Static routes new or with new attributes (originate them again).</summary>
    public ImmutableArray<StaticRoute> AddedStaticRoutes { get; init; } = [];

    /// <summary>Prefixes no longer among the static routes (withdraw them).</summary>
    public ImmutableArray<IpPrefix> RemovedStaticRoutes { get; init; } = [];

    /// <summary>True when the kernel settings changed.</summary>
    public bool KernelChanged { get; init; }

    /// <summary>True when nothing changed that the running daemon acts on.</summary>
    public bool IsEmpty =>
        AddedPeers.IsEmpty && RemovedPeers.IsEmpty && ChangedPeers.IsEmpty && UpdatedPeers.IsEmpty
        && SpeakerChanges.IsEmpty && RestartRequired.IsEmpty && AddedStaticRoutes.IsEmpty
        && RemovedStaticRoutes.IsEmpty && !KernelChanged;

    /// <summary>Computes the difference between two configurations.</summary>
    /// <param name="old">The running configuration.</param>
    /// <param name="next">The new one.</param>
    internal static ConfigDiff Compute(DaemonConfig old, DaemonConfig next)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        var a = old.Speaker;
        var b = next.Speaker;

        var speaker = ImmutableArray.CreateBuilder<string>();
        if (a.RouterId != b.RouterId)
        {
            speaker.Add("router-id");
        }

        if (a.LocalAs != b.LocalAs)
        {
            speaker.Add("local-as");
        }

        if (a.ClusterId != b.ClusterId)
        {
            speaker.Add("cluster-id");
        }

        if (!a.Listen.SequenceEqual(b.Listen))
        {
            speaker.Add("listen");
        }

        if (a.Rib.Decision != b.Rib.Decision)
        {
            speaker.Add("ecmp");
        }

        if (a.DynamicNeighbors.Length != b.DynamicNeighbors.Length
            || !a.DynamicNeighbors.Zip(b.DynamicNeighbors).All(d => DaemonConfig.DynamicNeighborsEqual(d.First, d.Second)))
        {
            speaker.Add("dynamic-neighbors");
        }

        var restart = ImmutableArray.CreateBuilder<string>();
        if (!string.Equals(old.ControlSocket, next.ControlSocket, StringComparison.Ordinal))
        {
            restart.Add("control-socket");
        }

        if (!string.Equals(old.StateDirectory, next.StateDirectory, StringComparison.Ordinal))
        {
            restart.Add("state-dir");
        }

        var oldPeers = a.Peers.ToDictionary(p => p.Address);
        var newPeers = b.Peers.ToDictionary(p => p.Address);
        var changed = ImmutableArray.CreateBuilder<PeerChange>();
        var updated = ImmutableArray.CreateBuilder<PeerChange>();
        foreach (var peer in b.Peers)
        {
            if (!oldPeers.TryGetValue(peer.Address, out var before))
            {
                continue;
            }

            var (reset, inPlace) = PeerSettings.Differences(before, peer);
            var global = ImmutableArray.CreateBuilder<string>();
            if (a.RouterId != b.RouterId)
            {
                // Our BGP identifier is in the OPEN.
                global.Add("router-id");
            }

            if (a.LocalAs != b.LocalAs && peer.LocalAs is null && before.LocalAs is null)
            {
                global.Add("local-as");
            }

            if (!reset.IsEmpty || global.Count > 0)
            {
                changed.Add(new PeerChange(before, peer, [.. global, .. reset, .. inPlace]));
                continue;
            }

            // RFC 4456 §8: reflected routes carry our cluster ID in CLUSTER_LIST.
            var clusterChanged = a.ClusterId != b.ClusterId && peer.RemoteAs == (peer.LocalAs ?? b.LocalAs);
            if (!inPlace.IsEmpty || clusterChanged)
            {
                updated.Add(new PeerChange(before, peer, clusterChanged ? [.. inPlace, "cluster-id"] : inPlace));
            }
        }

        var oldRoutes = old.StaticRoutes.ToDictionary(r => r.Prefix);
        var newRoutes = next.StaticRoutes.ToDictionary(r => r.Prefix);
        return new ConfigDiff
        {
            AddedPeers = [.. b.Peers.Where(p => !oldPeers.ContainsKey(p.Address))],
            RemovedPeers = [.. a.Peers.Where(p => !newPeers.ContainsKey(p.Address))],
            ChangedPeers = changed.ToImmutable(),
            UpdatedPeers = updated.ToImmutable(),
            SpeakerChanges = speaker.ToImmutable(),
            RestartRequired = restart.ToImmutable(),
            AddedStaticRoutes = [.. next.StaticRoutes.Where(r => !oldRoutes.TryGetValue(r.Prefix, out var before) || before != r)],
            RemovedStaticRoutes = [.. old.StaticRoutes.Where(r => !newRoutes.ContainsKey(r.Prefix)).Select(r => r.Prefix)],
            KernelChanged = !Equals(old.Kernel, next.Kernel),
        };
    }
}
