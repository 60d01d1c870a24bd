using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using BgpStack.Bgp.Transport;
using BgpStack.Rib.Export;
using BgpStack.Rib.Feed;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// An embeddable BGP speaker: sessions to the configured (and dynamically accepted) peers, a RIB
/// they feed, and the Adj-RIB-Out that sends each peer what the rules and its policy allow.
/// Add, change and remove peers at run time with <see cref="ApplyAsync"/>; originate routes with
/// <see cref="OriginateAsync"/>; read the RIB through <see cref="Rib"/> or <see cref="GetRoutesAsync"/>.
/// </summary>
public sealed partial class BgpSpeaker : IAsyncDisposable
{
    /// <summary>The RIB source id of routes the speaker originates.</summary>
    private const int OriginatedSourceId = 1;

    private const int FirstPeerSourceId = 2;

    // Every peer has a group with a RIB subscription and a member outbox, each coalescing up to
    // this many prefixes: at the feed's default (65536) twenty peers held over half a gigabyte of
    // pending changes during a route reflector's fan-out.
    private static readonly AdjRibOutOptions ExportBuffers = new()
    {
        GroupBuffer = new ChangeSubscriptionOptions { MaxPendingPrefixes = 8192 },
        MemberBuffer = new ChangeSubscriptionOptions { MaxPendingPrefixes = 8192 },
    };

    private readonly SemaphoreSlim control = new(1, 1);
    private readonly RouteSource originated;
    private readonly Stack<int> freeSourceIds = new();
    private readonly List<BgpListener> listeners = [];
    private readonly List<Channel<PeerStatus>> stateSubscribers = [];
    private readonly TaskCompletionSource deferral = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger logger;
    private volatile ImmutableDictionary<IPAddress, BgpPeer> peers = ImmutableDictionary<IPAddress, BgpPeer>.Empty;
    private volatile bool isRouteReflector;
    private int nextSourceId = FirstPeerSourceId;
    private CancellationTokenSource? running;
    private Task ribTask = Task.CompletedTask;
    private Task adjRibOutTask = Task.CompletedTask;
    private AdjRibOutBuilder? adjRibOut;
    private ITimer? deferralTimer;
    private int state; // 0 new, 1 started, 2 stopped

    /// <summary>Creates a speaker; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings.</param>
    public BgpSpeaker(BgpSpeakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        logger = options.LoggerFactory.CreateLogger<BgpSpeaker>();
        Rib = new RibLoop(options.Rib);
        Metrics = new SpeakerMetrics(this);
        originated = new RouteSource { Id = OriginatedSourceId, Kind = RouteSourceKind.Local, LocalAs = options.LocalAs };
        if (!options.Restarting)
        {
            deferral.SetResult();
        }
    }

    /// <summary>The current settings (the last applied).</summary>
    public BgpSpeakerOptions Options { get; private set; }

    /// <summary>The RIB the peers feed: subscribe to its change feed, or query it.</summary>
    public RibLoop Rib { get; }

    internal ILoggerFactory LoggerFactory => Options.LoggerFactory;

    internal SpeakerMetrics Metrics { get; }

    internal AdjRibOutBuilder AdjRibOut => adjRibOut ?? throw new InvalidOperationException("The speaker is not running.");

    internal RouterId ClusterId => Options.ClusterId ?? Options.RouterId;

    internal bool IsRouteReflector => isRouteReflector;

    internal IEnumerable<BgpPeer> Peers => peers.Values;

    /// <summary>Starts the RIB, the listeners and every configured peer's session.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The speaker was already started.");
        }

        running = new CancellationTokenSource();
        ribTask = Task.Run(() => Rib.RunAsync(running.Token), CancellationToken.None);
        adjRibOut = new AdjRibOutBuilder(Rib, ExportBuffers);
        adjRibOutTask = Task.Run(() => adjRibOut.RunAsync(running.Token), CancellationToken.None);

        await control.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var options in Options.Peers)
            {
                AddPeer(options, dynamic: false);
            }

            UpdateReflectorRole();
            await StartListenersAsync(Options.Listen, cancellationToken).ConfigureAwait(false);
            foreach (var peer in peers.Values)
            {
                peer.Start();
            }

            if (Options.Restarting)
            {
                // RFC 4724 §4.1: wait for End-of-RIB from every peer, but no longer than the deferral time.
                var deferralTime = Options.Peers.Select(p => p.GracefulRestart?.SelectionDeferralTime ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();
                deferralTimer = Options.Time.CreateTimer(_ => EndDeferral("deferral timer expired"), null, deferralTime, Timeout.InfiniteTimeSpan);
                EndOfRibReceived();
            }
        }
        finally
        {
            control.Release();
        }

        LogStarted(Options.RouterId, Options.LocalAs, Options.Peers.Length);
    }

    /// <summary>Stops every session with a Cease (administrative shutdown), the listeners and the RIB.</summary>
    /// <param name="cancellationToken">Cancels the wait for a clean stop.</param>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync(forRestart: false, cancellationToken);

    /// <summary>
    /// Stops for a restart (RFC 4724 §4.1): every session is closed without a NOTIFICATION, so
    /// peers that help with graceful restart keep our routes (and their forwarding) as stale until
    /// the restarted speaker (with <see cref="BgpSpeakerOptions.Restarting"/> set) has sent them
    /// again; then the listeners and the RIB stop.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for a clean stop.</param>
    public Task StopForRestartAsync(CancellationToken cancellationToken = default) => StopAsync(forRestart: true, cancellationToken);

    private async Task StopAsync(bool forRestart, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref state, 2) != 1)
        {
            return;
        }

        await control.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopListenersAsync().ConfigureAwait(false);
            foreach (var peer in peers.Values)
            {
                try
                {
                    if (forRestart)
                    {
                        await peer.CloseForRestartAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        await peer.StopAsync("bgpstack shutting down", cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    LogPeerStopFailed(peer.Address, e.Message);
                }

                await peer.DisposeAsync().ConfigureAwait(false);
            }

            peers = ImmutableDictionary<IPAddress, BgpPeer>.Empty;
            deferralTimer?.Dispose();
        }
        finally
        {
            control.Release();
        }

        await (running?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        await WhenStoppedAsync(ribTask).ConfigureAwait(false);
        await WhenStoppedAsync(adjRibOutTask).ConfigureAwait(false);
        lock (stateSubscribers)
        {
            foreach (var subscriber in stateSubscribers)
            {
                subscriber.Writer.TryComplete();
            }

            stateSubscribers.Clear();
        }
    }

    /// <summary>Stops the speaker if it runs and releases its resources.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        running?.Dispose();
        Metrics.Dispose();
        control.Dispose();
    }

    /// <summary>
    /// Applies new settings: peers added are started, peers removed are stopped (their routes
    /// withdrawn), peers whose session-relevant settings changed are reset, and peers whose other
    /// settings (policies, limits, description, next-hop mode, route reflector client) changed are
    /// updated in place without a reset. The router ID and local AS cannot change while running.
    /// </summary>
    /// <param name="options">The new settings.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task ApplyAsync(BgpSpeakerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (options.RouterId != Options.RouterId || options.LocalAs != Options.LocalAs)
        {
            throw new ArgumentException("The router ID and local AS cannot change while the speaker runs; restart it.", nameof(options));
        }

        await control.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = Options;
            Options = options;
            var wanted = options.Peers.ToDictionary(p => InboundUpdate.Normalize(p.Address));
            foreach (var (address, peer) in peers)
            {
                if (peer.Dynamic ? !options.DynamicNeighbors.Any(r => r.Prefix.ToIPNetwork().Contains(address)) : !wanted.ContainsKey(address))
                {
                    await RemovePeerAsync(peer, "peer removed from configuration", cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var (address, next) in wanted)
            {
                if (!peers.TryGetValue(address, out var current) || current.Dynamic)
                {
                    if (current is not null)
                    {
                        await RemovePeerAsync(current, "peer now configured", cancellationToken).ConfigureAwait(false);
                    }

                    AddPeer(next, dynamic: false).Start();
                    continue;
                }

                if (PeerSettings.NeedsReset(current.Options, next))
                {
                    LogPeerReset(address);
                    var reason = next.Shutdown && !current.Options.Shutdown ? "administratively shut down" : "peer settings changed";
                    await RemovePeerAsync(current, reason, cancellationToken).ConfigureAwait(false);
                    AddPeer(next, dynamic: false).Start();
                }
                else if (!PeerSettings.Equal(current.Options, next))
                {
                    await current.UpdateInPlaceAsync(next).ConfigureAwait(false);
                }
            }

            var wasReflector = isRouteReflector;
            UpdateReflectorRole();
            if (wasReflector != isRouteReflector || old.ClusterId != options.ClusterId)
            {
                // Reflection changes what every iBGP peer gets.
                foreach (var peer in peers.Values)
                {
                    await peer.RestartExportAsync().ConfigureAwait(false);
                }
            }

            if (!old.Listen.SequenceEqual(options.Listen))
            {
                await StopListenersAsync().ConfigureAwait(false);
                await StartListenersAsync(options.Listen, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                ConfigureListenerPasswords();
            }
        }
        finally
        {
            control.Release();
        }
    }

    /// <summary>Originates a route (announced to peers as the rules and policies allow).</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="attributes">Its attributes; null for origin IGP and nothing else (the next hop becomes ours when sent).</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    public async Task OriginateAsync(IpPrefix prefix, PathAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        attributes ??= new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty };
        if (attributes.Origin is null || attributes.AsPath is null)
        {
            attributes = attributes with { Origin = attributes.Origin ?? Origin.Igp, AsPath = attributes.AsPath ?? AsPath.Empty };
        }

        await Rib.PostAsync(new RouteAnnouncement(originated, attributes, [new RouteKey(prefix)]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws a route originated with <see cref="OriginateAsync"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    public async Task WithdrawAsync(IpPrefix prefix, CancellationToken cancellationToken = default) =>
        await Rib.PostAsync(new RouteWithdrawal(originated, [new RouteKey(prefix)]), cancellationToken).ConfigureAwait(false);

    /// <summary>The status of every peer, in address order.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ImmutableArray<PeerStatus>> GetPeersAsync(CancellationToken cancellationToken = default)
    {
        var current = peers.Values.OrderBy(p => p.Address.AddressFamily).ThenBy(p => p.Address, AddressComparer.Instance).ToArray();
        var result = ImmutableArray.CreateBuilder<PeerStatus>(current.Length);
        foreach (var peer in current)
        {
            result.Add(await peer.GetStatusAsync(cancellationToken).ConfigureAwait(false));
        }

        return result.MoveToImmutable();
    }

    /// <summary>The Loc-RIB: every prefix (or a prefix and its more-specifics) with its paths, best path, multipath set and the reason.</summary>
    /// <param name="prefix">A covering prefix; null for the whole table.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<PrefixSnapshot>> GetRoutesAsync(IpPrefix? prefix = null, CancellationToken cancellationToken = default) =>
        prefix is { } p ? Rib.GetRangeAsync(p, cancellationToken) : Rib.GetTableAsync(cancellationToken);

    /// <summary>
    /// A feed of peer state changes (each change as the peer's status, without prefix counts). The
    /// feed keeps the latest 1024 changes when the reader falls behind; it completes when the speaker stops.
    /// </summary>
    public ChannelReader<PeerStatus> SubscribePeerStates()
    {
        var channel = Channel.CreateBounded<PeerStatus>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (stateSubscribers)
        {
            stateSubscribers.Add(channel);
        }

        return channel.Reader;
    }

    // ---- internals the peers use ----

    internal void PublishState(BgpPeer peer)
    {
        lock (stateSubscribers)
        {
            if (stateSubscribers.Count == 0)
            {
                return;
            }

            var status = peer.GetBasicStatus();
            foreach (var subscriber in stateSubscribers)
            {
                subscriber.Writer.TryWrite(status);
            }
        }
    }

    internal Task WaitForDeferralAsync(CancellationToken cancellationToken) => deferral.Task.WaitAsync(cancellationToken);

    /// <summary>Ends the restarting speaker's deferral once every configured peer sent End-of-RIB for all its families.</summary>
    internal void EndOfRibReceived()
    {
        if (deferral.Task.IsCompleted)
        {
            return;
        }

        if (peers.Values.Where(p => !p.Dynamic).All(p => p.HasAllEndOfRib))
        {
            EndDeferral("End-of-RIB from every peer");
        }
    }

    /// <summary>A dynamic peer whose session ended leaves the speaker.</summary>
    internal async Task DynamicPeerDownAsync(BgpPeer peer)
    {
        await control.WaitAsync().ConfigureAwait(false);
        try
        {
            if (peers.TryGetValue(peer.Address, out var current) && current == peer)
            {
                await RemovePeerAsync(peer, "dynamic peer down", CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            control.Release();
        }
    }

    private void EndDeferral(string why)
    {
        if (deferral.TrySetResult())
        {
            LogDeferralEnded(why);
        }
    }

    private BgpPeer AddPeer(PeerOptions options, bool dynamic, (uint Min, uint Max)? remoteAsRange = null)
    {
        var id = freeSourceIds.Count > 0 ? freeSourceIds.Pop() : nextSourceId++;
        var normalized = options with { Address = InboundUpdate.Normalize(options.Address) };
        var peer = new BgpPeer(this, normalized, id, remoteAsRange);
        peers = peers.SetItem(normalized.Address, peer);
        ConfigureListenerPasswords();
        return peer;
    }

    private async Task RemovePeerAsync(BgpPeer peer, string reason, CancellationToken cancellationToken)
    {
        peers = peers.Remove(peer.Address);
        try
        {
            await peer.StopAsync(reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }

        // The source id is free once the RIB has removed the peer's routes.
        await Rib.FlushAsync(cancellationToken).ConfigureAwait(false);
        freeSourceIds.Push(peer.SourceId);
        ConfigureListenerPasswords();
    }

    private void UpdateReflectorRole() => isRouteReflector = peers.Values.Any(p => p.Options.RouteReflectorClient);

    private static async Task WhenStoppedAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Validate(BgpSpeakerOptions options)
    {
        if (options.RouterId.Value == 0)
        {
            throw new ArgumentException("The router ID must not be 0.0.0.0 (RFC 6286).", nameof(options));
        }

        if (options.LocalAs == 0)
        {
            throw new ArgumentException("The local AS must not be 0 (RFC 7607).", nameof(options));
        }

        var seen = new HashSet<IPAddress>();
        foreach (var peer in options.Peers)
        {
            if (!seen.Add(InboundUpdate.Normalize(peer.Address)))
            {
                throw new ArgumentException($"Peer {peer.Address} is configured twice.", nameof(options));
            }

            if (peer.RemoteAs == 0)
            {
                throw new ArgumentException($"Peer {peer.Address}: AS 0 is not a valid peer AS (RFC 7607).", nameof(options));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "BGP speaker started: router ID {RouterId}, AS {LocalAs}, {Peers} configured peers")]
    private partial void LogStarted(RouterId routerId, uint localAs, int peers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer}: stopping failed: {Error}")]
    private partial void LogPeerStopFailed(IPAddress peer, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: settings changed; resetting the session")]
    private partial void LogPeerReset(IPAddress peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graceful restart: advertisement deferral ended ({Why})")]
    private partial void LogDeferralEnded(string why);

    /// <summary>Orders addresses by their bytes.</summary>
    private sealed class AddressComparer : IComparer<IPAddress>
    {
        public static AddressComparer Instance { get; } = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            Span<byte> a = stackalloc byte[16];
            Span<byte> b = stackalloc byte[16];
            x.TryWriteBytes(a, out var la);
            y.TryWriteBytes(b, out var lb);
            var c = la.CompareTo(lb);
            return c != 0 ? c : a[..la].SequenceCompareTo(b[..lb]);
        }
    }
}
