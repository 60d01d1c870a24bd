using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Sessions;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Rib.Export;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// One neighbour of the speaker: its session, the route source its routes carry in the RIB, the
/// import path (rules, policy, max-prefix), the export path (its update group and sender) and its
/// graceful restart state. The session calls it from its read loop; timers call it from the pool.
/// </summary>
internal sealed partial class BgpPeer : ISessionHandler, IAsyncDisposable
{
    private readonly BgpSpeaker speaker;
    private readonly ILogger logger;
    private readonly InboundUpdate inbound = new();
    private readonly Lock gate = new();
    private readonly HashSet<AfiSafi> endOfRibReceived = [];
    private readonly Func<RibUpdate, ValueTask> post;
    private RouteSource source;
    private readonly BgpSession session;
    private PeerRules rules;
    private PolicyPeer policyPeer;
    private ImmutableArray<AfiSafi> families = [];
    private int generation;
    private UpdateGroupMember? member;
    private UpdateGroupKey? groupKey;
    private CancellationTokenSource? senderStop;
    private Task sender = Task.CompletedTask;
    private bool staleHeld;
    // RFC 7313 §4: the families the peer is refreshing (BoRR seen, EoRR not yet), each with its purge timer.
    private readonly Dictionary<AfiSafi, (ITimer Timer, long Id)> peerRefreshes = [];
    private long peerRefreshIds;
    // The first table and its End-of-RIB went out on this session: a later re-advertisement is a refresh.
    private bool initialTableSent;
    private ITimer? restartTimer;
    private ITimer? staleTimer;
    private ITimer? maxPrefixRestart;
    private int bound4;
    private int bound6;
    private bool overLimit4;
    private bool overLimit6;
    private int flaps;
    private string? lastError;
    private bool stopped;
    private NegotiatedSession? lastNegotiated;

    private readonly (uint Min, uint Max)? remoteAsRange;

    /// <param name="speaker">The speaker the peer belongs to.</param>
    /// <param name="options">The peer's settings.</param>
    /// <param name="sourceId">The RIB source id for its routes.</param>
    /// <param name="remoteAsRange">For a dynamic neighbour: the AS numbers its range allows; null for a configured peer.</param>
    public BgpPeer(BgpSpeaker speaker, PeerOptions options, int sourceId, (uint Min, uint Max)? remoteAsRange)
    {
        this.speaker = speaker;
        Options = options;
        this.remoteAsRange = remoteAsRange;
        logger = speaker.LoggerFactory.CreateLogger<BgpPeer>();
        source = new RouteSource
        {
            Id = sourceId,
            Kind = RouteSourceKind.Bgp,
            PeerAddress = options.Address,
            PeerAs = options.RemoteAs,
            LocalAs = LocalAs,
            IsRouteReflectorClient = options.RouteReflectorClient,
        };
        post = update => speaker.Rib.PostAsync(update);
        session = NewSession();
    }

    /// <summary>The peer's settings.</summary>
    public PeerOptions Options { get; private set; }

    /// <summary>True when the peer came from a dynamic neighbour range.</summary>
    public bool Dynamic => remoteAsRange is not null;

    /// <summary>The RIB source id the peer's routes carry.</summary>
    public int SourceId => source.Id;

    /// <summary>The address the peer is known by.</summary>
    public IPAddress Address => Options.Address;

    /// <summary>Our AS toward this peer.</summary>
    public uint LocalAs => Options.LocalAs ?? speaker.Options.LocalAs;

    /// <summary>The session's state.</summary>
    public SessionState State => session.State;

    /// <summary>True when the session holds End-of-RIB from the peer for every negotiated family (for the restarting speaker's deferral).</summary>
    public bool HasAllEndOfRib
    {
        get
        {
            lock (gate)
            {
                return session.State == SessionState.Established && families.All(endOfRibReceived.Contains);
            }
        }
    }

    /// <summary>The transport settings for an inbound connection from this peer.</summary>
    public Transport.TransportOptions TransportOptions => SessionTransport.Options(session.Settings);

    public void Start()
    {
        if (Options.Shutdown)
        {
            // Administratively down: the session stays Idle, which also refuses inbound connections.
            return;
        }

        stopped = false;
        session.Start();
    }

    /// <summary>Hands an inbound connection the listener matched to this peer to the session.</summary>
    public void Accept(Socket socket) => session.Accept(socket);

    /// <summary>Applies the settings <see cref="PeerSettings"/> lets a running session take: policies, allow-own-as, next-hop mode, limits, description.</summary>
    public async Task UpdateInPlaceAsync(PeerOptions options)
    {
        var old = Options;
        Options = options;
        rules = rules with { AllowOwnAs = options.AllowOwnAs };
        if (!Equals(old.ExportPolicy, options.ExportPolicy) || old.NextHop != options.NextHop)
        {
            // The export side is rebuilt: a new update group with the new policy re-sends everything.
            await RestartExportAsync().ConfigureAwait(false);
        }

        if ((!Equals(old.ImportPolicy, options.ImportPolicy) || old.AllowOwnAs != options.AllowOwnAs) && session.Negotiated is { RouteRefresh: true } negotiated)
        {
            // RFC 2918: ask the peer to send its routes again so they pass the new import checks.
            foreach (var family in negotiated.Families)
            {
                await session.SendAsync(new RouteRefreshMessage(family), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops the session with a Cease / Administrative Shutdown (inside a Hard Reset when the peer
    /// set the N bit, so it drops our routes at once, RFC 8538) and removes the peer's routes.
    /// </summary>
    public async Task StopAsync(string? reason, CancellationToken cancellationToken)
    {
        stopped = true;
        await session.StopAsync(reason, cancellationToken).ConfigureAwait(false);
        await StopExportAsync().ConfigureAwait(false);
        DisposeTimers();
        await speaker.Rib.PostAsync(new SourceRemoval(source), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the session without a NOTIFICATION for a restart; the peer's routes stay in our (stopping) RIB.</summary>
    public async Task CloseForRestartAsync()
    {
        stopped = true;
        await StopExportAsync().ConfigureAwait(false);
        DisposeTimers();
        await session.CloseForRestartAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        stopped = true;
        DisposeTimers();
        await StopExportAsync().ConfigureAwait(false);
        await session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A snapshot for status displays, with the RIB's count of the peer's paths and the Adj-RIB-Out's count of what we advertise.</summary>
    public async Task<PeerStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var status = GetBasicStatus();
        var (ipv4, ipv6) = await speaker.Rib.GetPathCountsAsync(source, cancellationToken).ConfigureAwait(false);
        var (sent4, sent6) = groupKey is { } key ? await speaker.AdjRibOut.GetAdjRibOutCountsAsync(key, cancellationToken).ConfigureAwait(false) : (0, 0);
        return status with { PrefixesReceived = Counts(ipv4, ipv6), PrefixesSent = Counts(sent4, sent6) };

        static ImmutableDictionary<AfiSafi, int> Counts(int ipv4, int ipv6)
        {
            var counts = ImmutableDictionary.CreateBuilder<AfiSafi, int>();
            if (ipv4 > 0)
            {
                counts[AfiSafi.Ipv4Unicast] = ipv4;
            }

            if (ipv6 > 0)
            {
                counts[AfiSafi.Ipv6Unicast] = ipv6;
            }

            return counts.ToImmutable();
        }
    }

    /// <summary>A snapshot for status displays without prefix counts.</summary>
    public PeerStatus GetBasicStatus()
    {
        var negotiated = session.Negotiated;
        var state = session.State;
        return new PeerStatus
        {
            Address = Options.Address,
            RemoteAs = negotiated?.RemoteAs ?? Options.RemoteAs,
            LocalAs = LocalAs,
            Type = Options.RemoteAs != LocalAs ? PeerType.External : Options.RouteReflectorClient ? PeerType.RouteReflectorClient : PeerType.Internal,
            Dynamic = Dynamic,
            State = state,
            Since = session.Since,
            Info = Options.Shutdown ? "Administratively down" : session.Info,
            Shutdown = Options.Shutdown,
            RemoteRouterId = negotiated?.RemoteRouterId,
            HoldTime = state == SessionState.Established ? negotiated?.HoldTime : null,
            Families = state == SessionState.Established ? negotiated?.Families ?? [] : [],
            Flaps = Volatile.Read(ref flaps),
            LastError = Volatile.Read(ref lastError),
            Description = Options.Description,
        };
    }

    // ---- ISessionHandler ----

    public void OnStateChanged(BgpSession changed, SessionState from, SessionState to, string info)
    {
        if (to == SessionState.Idle && from != SessionState.Idle)
        {
            Volatile.Write(ref lastError, info);

            // A dynamic neighbour exists only while it is connected.
            if (Dynamic && !stopped)
            {
                _ = Task.Run(() => speaker.DynamicPeerDownAsync(this));
            }
        }

        speaker.PublishState(this);
    }

    public async ValueTask OnEstablishedAsync(BgpSession established, NegotiatedSession negotiated, CancellationToken cancellationToken)
    {
        lastNegotiated = negotiated;
        var localAddress = InboundUpdate.Normalize(negotiated.LocalEndPoint.Address);
        var peerAddress = InboundUpdate.Normalize(Options.Address);
        if (source.PeerRouterId != negotiated.RemoteRouterId || source.PeerAs != negotiated.RemoteAs)
        {
            // A peer with a new identity is a new source: its old routes (kept for graceful restart) go.
            if (source.PeerRouterId != default)
            {
                await post(new SourceRemoval(source)).ConfigureAwait(false);
                lock (gate)
                {
                    staleHeld = false;
                }
            }

            source = source with { PeerRouterId = negotiated.RemoteRouterId, PeerAs = negotiated.RemoteAs, LocalAs = LocalAs };
        }

        rules = new PeerRules(
            negotiated.RemoteAs,
            LocalAs,
            speaker.Options.RouterId,
            speaker.ClusterId,
            Options.RouteReflectorClient,
            speaker.IsRouteReflector,
            Options.NextHop,
            Options.AllowOwnAs,
            localAddress,
            peerAddress);
        policyPeer = new PolicyPeer(peerAddress, negotiated.RemoteAs, LocalAs, negotiated.RemoteAs == LocalAs, localAddress);
        bool sweepNow;
        lock (gate)
        {
            families = negotiated.Families;
            endOfRibReceived.Clear();
            restartTimer?.Dispose();
            restartTimer = null;
            sweepNow = staleHeld;
            EndPeerRefreshes();
        }

        Volatile.Write(ref initialTableSent, false);

        if (sweepNow)
        {
            // RFC 4724 §4.2: families the peer no longer preserves forwarding for lose their stale
            // routes now; the rest wait for End-of-RIB or the stale timer.
            foreach (var family in new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast })
            {
                var preserved = negotiated.PeerGracefulRestart?.Families.AsSpan().ToArray().Any(f => f.Family == family && f.ForwardingPreserved) == true;
                if (!preserved || !families.Contains(family))
                {
                    await post(new StaleSweep(source, ToAddressFamily(family))).ConfigureAwait(false);
                }
            }

            var staleTime = (Options.GracefulRestart ?? GracefulRestartOptions.Default).StalePathTime;
            lock (gate)
            {
                staleTimer?.Dispose();
                staleTimer = speaker.Options.Time.CreateTimer(_ => _ = SweepAllStaleAsync(), null, staleTime, Timeout.InfiniteTimeSpan);
            }
        }

        speaker.Metrics.Established(Options.Address);
        await StartExportAsync(negotiated).ConfigureAwait(false);
    }

    public async ValueTask OnUpdateAsync(BgpSession receiving, UpdateMessage update, CancellationToken cancellationToken)
    {
        speaker.Metrics.UpdateReceived(Options.Address);
        if (update.IsEndOfRib(out var family))
        {
            await OnEndOfRibAsync(family).ConfigureAwait(false);
            return;
        }

        await inbound.ApplyAsync(update, families, source, rules, Options.ImportPolicy, policyPeer, post).ConfigureAwait(false);
        var (announced4, announced6) = inbound.Announced;
        speaker.Metrics.PrefixesReceived(Options.Address, announced4 + announced6);
        if (Options.MaxPrefix.IsEmpty || announced4 + announced6 == 0)
        {
            return;
        }

        bound4 += announced4;
        bound6 += announced6;
        await CheckMaxPrefixAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnRouteRefreshAsync(BgpSession receiving, RouteRefreshMessage message, CancellationToken cancellationToken)
    {
        if (session.Negotiated is not { } negotiated || !negotiated.Families.Contains(message.Family))
        {
            // RFC 2918 §4 (and RFC 7313 §4 for BoRR/EoRR): a family not negotiated on this session is ignored.
            LogRouteRefreshIgnored(Options.Address, message);
            return;
        }

        switch (message.Subtype)
        {
            case RouteRefreshSubtype.BeginningOfRouteRefresh when negotiated.EnhancedRouteRefresh:
                await OnBeginningOfRouteRefreshAsync(message.Family).ConfigureAwait(false);
                return;
            case RouteRefreshSubtype.EndOfRouteRefresh when negotiated.EnhancedRouteRefresh:
                await OnEndOfRouteRefreshAsync(message.Family).ConfigureAwait(false);
                return;
            case RouteRefreshSubtype.Normal:
                // RFC 2918: send the Adj-RIB-Out again. A fresh update group member replays every
                // family, not only the one asked for: it cannot replay one alone, and repeating a
                // route is harmless. With enhanced route refresh each family gets its BoRR/EoRR (SendLoopAsync).
                LogRouteRefresh(Options.Address, message);
                await RestartExportAsync().ConfigureAwait(false);
                return;
            default:
                // BoRR/EoRR from a peer that did not negotiate enhanced route refresh.
                LogRouteRefreshIgnored(Options.Address, message);
                return;
        }
    }

    public async ValueTask OnDownAsync(BgpSession down, SessionDown reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref flaps);
        Volatile.Write(ref lastError, reason.Reason);
        speaker.Metrics.Flap(Options.Address);
        await StopExportAsync().ConfigureAwait(false);
        lock (gate)
        {
            // A refresh cut short: its stale routes now follow the graceful restart or removal rules below.
            EndPeerRefreshes();
        }

        var restartTime = lastNegotiated?.PeerGracefulRestart is { } peerRestart && reason.GracefulRestartApplies && !stopped
            ? TimeSpan.FromSeconds(peerRestart.RestartTime)
            : TimeSpan.Zero;
        if (restartTime > TimeSpan.Zero)
        {
            // RFC 4724 §4.2 (helper): keep the routes as stale for the peer's restart time.
            LogGracefulRestartHelper(Options.Address, restartTime.TotalSeconds);
            await post(new StaleMark(source)).ConfigureAwait(false);
            lock (gate)
            {
                staleHeld = true;
                restartTimer?.Dispose();
                restartTimer = speaker.Options.Time.CreateTimer(_ => _ = RestartTimerExpiredAsync(), null, restartTime, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        lock (gate)
        {
            staleHeld = false;
        }

        await post(new SourceRemoval(source)).ConfigureAwait(false);
    }

    // ---- graceful restart ----

    private async Task OnEndOfRibAsync(AfiSafi family)
    {
        bool sweep;
        lock (gate)
        {
            endOfRibReceived.Add(family);
            sweep = staleHeld;
            if (staleHeld && families.All(endOfRibReceived.Contains))
            {
                staleHeld = false;
                staleTimer?.Dispose();
                staleTimer = null;
            }
        }

        LogEndOfRib(Options.Address, family);
        if (sweep && (family == AfiSafi.Ipv4Unicast || family == AfiSafi.Ipv6Unicast))
        {
            await post(new StaleSweep(source, ToAddressFamily(family))).ConfigureAwait(false);
        }

        await post(new EndOfRib(source, ToAddressFamily(family))).ConfigureAwait(false);
        speaker.EndOfRibReceived();
    }

    private async Task RestartTimerExpiredAsync()
    {
        lock (gate)
        {
            if (!staleHeld || session.State == SessionState.Established)
            {
                return;
            }

            staleHeld = false;
        }

        LogRestartTimerExpired(Options.Address);
        await post(new SourceRemoval(source)).ConfigureAwait(false);
    }

    private async Task SweepAllStaleAsync()
    {
        lock (gate)
        {
            if (!staleHeld)
            {
                return;
            }

            staleHeld = false;
        }

        await post(new StaleSweep(source)).ConfigureAwait(false);
    }

    /// <summary>Packs a batch of Adj-RIB-Out changes into UPDATEs and sends them.</summary>
    private async Task SendAsync(OutboundWriter writer, ImmutableArray<ExportChange> batch, CancellationToken cancellationToken)
    {
        var requests = writer.Build(batch, out var announced, out var withdrawn);
        if (requests.Count == 0)
        {
            return;
        }

        var messages = 0;
        await session.SendAsync(
            output =>
            {
                messages = writer.Write(requests, output);
                return messages;
            },
            cancellationToken).ConfigureAwait(false);
        speaker.Metrics.UpdatesSent(Options.Address, messages, announced + withdrawn);
    }

    // ---- enhanced route refresh from the peer (RFC 7313 §4) ----

    private async Task OnBeginningOfRouteRefreshAsync(AfiSafi family)
    {
        // The family's routes go stale; what the peer re-advertises before its EoRR is fresh again.
        // A second BoRR before the EoRR marks them again and restarts the timer.
        LogBeginningOfRouteRefresh(Options.Address, family);
        await post(new StaleMark(source, ToAddressFamily(family))).ConfigureAwait(false);

        // RFC 7313 §4 lets the receiver purge the stale routes after a time of its choosing when no
        // EoRR comes; the graceful restart stale-path time bounds it, as FRR's stalepath-time does.
        var purgeAfter = (Options.GracefulRestart ?? GracefulRestartOptions.Default).StalePathTime;
        lock (gate)
        {
            if (peerRefreshes.Remove(family, out var previous))
            {
                previous.Timer.Dispose();
            }

            var id = ++peerRefreshIds;
            var timer = speaker.Options.Time.CreateTimer(_ => _ = PeerRefreshTimerExpiredAsync(family, id), null, purgeAfter, Timeout.InfiniteTimeSpan);
            peerRefreshes[family] = (timer, id);
        }
    }

    private async Task OnEndOfRouteRefreshAsync(AfiSafi family)
    {
        bool refreshing;
        lock (gate)
        {
            refreshing = peerRefreshes.Remove(family, out var refresh);
            if (refreshing)
            {
                refresh.Timer.Dispose();
            }
        }

        if (!refreshing)
        {
            // RFC 7313 §4: an EoRR without a BoRR before it is ignored.
            LogEndOfRouteRefreshIgnored(Options.Address, family);
            return;
        }

        LogEndOfRouteRefresh(Options.Address, family);
        await post(new StaleSweep(source, ToAddressFamily(family))).ConfigureAwait(false);
    }

    private async Task PeerRefreshTimerExpiredAsync(AfiSafi family, long id)
    {
        lock (gate)
        {
            if (!peerRefreshes.TryGetValue(family, out var refresh) || refresh.Id != id)
            {
                return;
            }

            peerRefreshes.Remove(family);
            refresh.Timer.Dispose();
        }

        LogPeerRefreshTimerExpired(Options.Address, family);
        await post(new StaleSweep(source, ToAddressFamily(family))).ConfigureAwait(false);
    }

    // Called under the gate.
    private void EndPeerRefreshes()
    {
        foreach (var (timer, _) in peerRefreshes.Values)
        {
            timer.Dispose();
        }

        peerRefreshes.Clear();
    }

    // ---- max-prefix ----

    private async Task CheckMaxPrefixAsync(CancellationToken cancellationToken)
    {
        var limit4 = Options.MaxPrefix.GetValueOrDefault(AfiSafi.Ipv4Unicast);
        var limit6 = Options.MaxPrefix.GetValueOrDefault(AfiSafi.Ipv6Unicast);
        if ((limit4 is null || bound4 <= limit4.Limit) && (limit6 is null || bound6 <= limit6.Limit))
        {
            return;
        }

        // The announced counts only bound the real ones (announcements may replace); ask the RIB.
        await speaker.Rib.FlushAsync(cancellationToken).ConfigureAwait(false);
        (bound4, bound6) = await speaker.Rib.GetPathCountsAsync(source, cancellationToken).ConfigureAwait(false);
        if (limit4 is not null && await EnforceAsync(AfiSafi.Ipv4Unicast, limit4, bound4, overLimit4).ConfigureAwait(false) is var over4)
        {
            overLimit4 = over4;
        }

        if (limit6 is not null && await EnforceAsync(AfiSafi.Ipv6Unicast, limit6, bound6, overLimit6).ConfigureAwait(false) is var over6)
        {
            overLimit6 = over6;
        }
    }

    private async Task<bool> EnforceAsync(AfiSafi family, MaxPrefixLimit limit, int count, bool wasOver)
    {
        if (count <= limit.Limit)
        {
            return false;
        }

        if (limit.Action == MaxPrefixAction.Warn)
        {
            if (!wasOver)
            {
                LogMaxPrefixWarning(Options.Address, family, count, limit.Limit);
            }

            return true;
        }

        LogMaxPrefixTeardown(Options.Address, family, count, limit.Limit);
        Volatile.Write(ref lastError, $"maximum prefixes reached for {family} ({count} > {limit.Limit})");

        // RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, data AFI (2), SAFI (1), limit (4).
        var data = new byte[7];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)family.Afi);
        data[2] = (byte)family.Safi;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3), (uint)limit.Limit);
        var notification = new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.MaximumPrefixesReached, [.. data]);
        stopped = true;
        await session.TeardownAsync(notification, CancellationToken.None).ConfigureAwait(false);

        // The session stays down (no automatic restart after the idle hold) until the restart
        // timer, or until reconfigured when there is none.
        await session.StopAsync(null, CancellationToken.None).ConfigureAwait(false);
        if (limit.RestartAfter is { } after)
        {
            lock (gate)
            {
                maxPrefixRestart?.Dispose();
                maxPrefixRestart = speaker.Options.Time.CreateTimer(_ => Start(), null, after, Timeout.InfiniteTimeSpan);
            }
        }

        return true;
    }

    // ---- export ----

    private Task StartExportAsync(NegotiatedSession negotiated, ImmutableArray<IpPrefix> previouslyAdvertised = default)
    {
        var stop = new CancellationTokenSource();
        var exportRules = rules;
        var exportPeer = policyPeer;
        lock (gate)
        {
            senderStop = stop;
            sender = Task.Run(() => ExportAsync(negotiated, exportRules, exportPeer, previouslyAdvertised, stop.Token));
        }

        return Task.CompletedTask;
    }

    // Runs apart from the session's read loop: a restarting speaker defers its first advertisement
    // until End-of-RIB arrives, and that comes through the read loop.
    private async Task ExportAsync(NegotiatedSession negotiated, PeerRules exportRules, PolicyPeer exportPeer, ImmutableArray<IpPrefix> previouslyAdvertised, CancellationToken cancellationToken)
    {
        await speaker.WaitForDeferralAsync(cancellationToken).ConfigureAwait(false);
        var key = new UpdateGroupKey($"{Options.Address}#{Interlocked.Increment(ref generation)}");
        var export = new PeerExport(exportRules, negotiated.Families, Options.ExportPolicy, exportPeer);
        var joined = await speaker.AdjRibOut.JoinAsync(key, export, Options.Address.ToString(), cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                joined.Dispose();
                return;
            }

            member = joined;
            groupKey = key;
        }

        var writer = new OutboundWriter(negotiated.SendContext, negotiated.ExtendedNextHopFamilies.Contains(AfiSafi.Ipv4Unicast));

        // RFC 7313 §4: once the first table is out (never before its End-of-RIB), a re-advertisement
        // is demarcated by BoRR/EoRR when both sides have enhanced route refresh.
        var refresh = negotiated.EnhancedRouteRefresh && Volatile.Read(ref initialTableSent);
        await SendLoopAsync(joined, key, writer, negotiated.Families, refresh, previouslyAdvertised, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds the export side (a new update group re-sends everything) with the current rules, after a change of reflector role or cluster ID.</summary>
    public async Task RestartExportAsync()
    {
        if (session.Negotiated is not { } negotiated || session.State != SessionState.Established)
        {
            return;
        }

        // The new group starts from nothing: what the old one advertised is kept to withdraw what the
        // new rules no longer send (a peer without enhanced route refresh would keep it otherwise).
        var advertised = groupKey is { } oldKey ? await speaker.AdjRibOut.GetAdvertisedPrefixesAsync(oldKey).ConfigureAwait(false) : [];
        await StopExportAsync().ConfigureAwait(false);
        rules = rules with { NextHopMode = Options.NextHop, IsRouteReflector = speaker.IsRouteReflector, ClusterId = speaker.ClusterId };
        await StartExportAsync(negotiated, advertised).ConfigureAwait(false);
    }

    private async Task StopExportAsync()
    {
        UpdateGroupMember? old;
        CancellationTokenSource? stop;
        Task running;
        lock (gate)
        {
            old = member;
            stop = senderStop;
            running = sender;
            member = null;
            groupKey = null;
            senderStop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        old?.Dispose();
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task SendLoopAsync(
        UpdateGroupMember updates,
        UpdateGroupKey key,
        OutboundWriter writer,
        ImmutableArray<AfiSafi> sendFamilies,
        bool refresh,
        ImmutableArray<IpPrefix> previouslyAdvertised,
        CancellationToken cancellationToken)
    {
        long batchesRead = 0;
        var endOfRibSent = false;
        var dump = updates.InitialDumpBatches;
        try
        {
            if (refresh)
            {
                // RFC 7313 §4: BoRR before the family's routes are sent again. The fresh member starts
                // from nothing and cannot withdraw what it never sent, so every family it re-sends is
                // demarcated: the peer's sweep at EoRR drops what we no longer advertise.
                foreach (var family in sendFamilies)
                {
                    await session.SendAsync(new RouteRefreshMessage(family, RouteRefreshSubtype.BeginningOfRouteRefresh), cancellationToken).ConfigureAwait(false);
                }
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                if (!endOfRibSent && dump.IsCompletedSuccessfully && batchesRead >= dump.Result)
                {
                    if (!previouslyAdvertised.IsDefaultOrEmpty)
                    {
                        // The whole new table is out: withdraw what the previous group sent and this one
                        // does not. Later changes of those prefixes follow in order from the member.
                        var gone = await speaker.AdjRibOut.GetNotAdvertisedAsync(key, previouslyAdvertised, cancellationToken).ConfigureAwait(false);
                        foreach (var chunk in gone.Chunk(1024))
                        {
                            await SendAsync(writer, [.. chunk.Select(prefix => new ExportChange(prefix, null))], cancellationToken).ConfigureAwait(false);
                        }
                    }

                    // RFC 4724 §2: End-of-RIB after the initial table, per family; RFC 7313 §4: EoRR
                    // after a demarcated re-advertisement instead.
                    foreach (var family in sendFamilies)
                    {
                        BgpMessage marker = refresh ? new RouteRefreshMessage(family, RouteRefreshSubtype.EndOfRouteRefresh) : UpdateMessage.EndOfRib(family);
                        await session.SendAsync(marker, cancellationToken).ConfigureAwait(false);
                    }

                    endOfRibSent = true;
                    Volatile.Write(ref initialTableSent, true);
                }

                if (updates.Updates.TryRead(out var batch))
                {
                    batchesRead++;
                    await SendAsync(writer, batch, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var more = updates.Updates.WaitToReadAsync(cancellationToken).AsTask();
                if (!endOfRibSent && !dump.IsCompleted)
                {
                    await Task.WhenAny(more, dump).ConfigureAwait(false);
                    continue;
                }

                if (!await more.ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session went down under us; OnDownAsync cleans up.
            LogSendFailed(Options.Address, e.Message);
        }
    }

    // ---- helpers ----

    private BgpSession NewSession() => new(
        new SessionSettings
        {
            Peer = Options,
            LocalAs = LocalAs,
            RouterId = speaker.Options.RouterId,
            Restarting = speaker.Options.Restarting,
            IsDynamic = Dynamic,
            RemoteAsRange = remoteAsRange,
            MessagesPerTurn = speaker.Options.MessagesPerTurn,
        },
        this,
        speaker.Options.Time,
        speaker.LoggerFactory.CreateLogger<BgpSession>());

    private void DisposeTimers()
    {
        lock (gate)
        {
            restartTimer?.Dispose();
            staleTimer?.Dispose();
            maxPrefixRestart?.Dispose();
            restartTimer = staleTimer = maxPrefixRestart = null;
            EndPeerRefreshes();
        }
    }

    private static AddressFamily ToAddressFamily(AfiSafi family) =>
        family.Afi == Afi.Ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: route refresh requested ({Request})")]
    private partial void LogRouteRefresh(IPAddress peer, RouteRefreshMessage request);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: {Request} ignored (family or enhanced route refresh not negotiated)")]
    private partial void LogRouteRefreshIgnored(IPAddress peer, RouteRefreshMessage request);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: Beginning of Route Refresh for {Family}; its routes of that family are stale until End of Route Refresh")]
    private partial void LogBeginningOfRouteRefresh(IPAddress peer, AfiSafi family);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: End of Route Refresh for {Family}; removing what was not re-advertised")]
    private partial void LogEndOfRouteRefresh(IPAddress peer, AfiSafi family);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: End of Route Refresh for {Family} without a Beginning; ignored")]
    private partial void LogEndOfRouteRefreshIgnored(IPAddress peer, AfiSafi family);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer}: no End of Route Refresh for {Family} within the stale-path time; removing its stale routes")]
    private partial void LogPeerRefreshTimerExpired(IPAddress peer, AfiSafi family);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: session down with graceful restart; keeping its routes as stale for {Seconds} s")]
    private partial void LogGracefulRestartHelper(IPAddress peer, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer}: End-of-RIB for {Family}")]
    private partial void LogEndOfRib(IPAddress peer, AfiSafi family);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer}: restart timer expired before the session returned; removing its stale routes")]
    private partial void LogRestartTimerExpired(IPAddress peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer}: {Family} prefixes {Count} exceed the limit {Limit}")]
    private partial void LogMaxPrefixWarning(IPAddress peer, AfiSafi family, int count, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Peer {Peer}: {Family} prefixes {Count} exceed the limit {Limit}; tearing the session down")]
    private partial void LogMaxPrefixTeardown(IPAddress peer, AfiSafi family, int count, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer {Peer}: sending stopped: {Error}")]
    private partial void LogSendFailed(IPAddress peer, string error);
}
