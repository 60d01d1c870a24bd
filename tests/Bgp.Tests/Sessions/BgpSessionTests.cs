using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Sessions;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;
using static BgpStack.Bgp.Tests.Sessions.SessionTestKit;

namespace BgpStack.Bgp.Tests.Sessions;

public sealed class BgpSessionTests
{
    [Fact]
    public async Task Two_sessions_reach_established_and_exchange_an_update()
    {
        var (handlerA, handlerB) = (new RecordingHandler(), new RecordingHandler());
        var time = new ManualTimeProvider();
        await using var b = Session(handlerB, time, IdB, 65002, 65001, port: 179, passive: true);

        // B behind the transport's listener, as the speaker runs it.
        await using var listener = new BgpListener(new IPEndPoint(IPAddress.Loopback, 0), new LoopbackFilter(), (socket, _) =>
        {
            b.Accept(socket);
            return ValueTask.CompletedTask;
        }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await listener.StartAsync(CancellationToken.None);
        await using var a = Session(handlerA, time, IdA, 65001, 65002, listener.LocalEndPoint.Port);

        b.Start();
        a.Start();
        var negotiatedA = await handlerA.Established.Task.WaitAsync(WaitTime);
        var negotiatedB = await handlerB.Established.Task.WaitAsync(WaitTime);

        Assert.Equal(SessionState.Established, a.State);
        Assert.Equal(SessionState.Established, b.State);
        Assert.Equal(TimeSpan.FromSeconds(90), negotiatedA.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(30), negotiatedA.KeepaliveTime);
        Assert.Equal(new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast }, negotiatedA.Families.ToArray());
        Assert.Equal(IdB, negotiatedA.RemoteRouterId);
        Assert.Equal(65001u, negotiatedB.RemoteAs);
        Assert.Equal(listener.LocalEndPoint.Port, negotiatedA.RemoteEndPoint.Port);
        Assert.Equal(listener.LocalEndPoint.Port, negotiatedB.LocalEndPoint.Port);
        Assert.True(negotiatedA.SendContext.ExtendedMessage);
        Assert.Same(negotiatedA, a.Negotiated);
        Assert.Equal("Established", a.Info);
        Assert.Contains(handlerA.States, s => s.From == SessionState.OpenConfirm && s.To == SessionState.Established);

        var update = Update(GoodAttributes);
        await a.SendAsync(update, CancellationToken.None);
        await WaitUntilAsync(() => !handlerB.Updates.IsEmpty, "the UPDATE at B");
        var received = Assert.Single(handlerB.Updates);
        Assert.Equal(update.Nlri, received.Nlri);
        Assert.Equal(update.Attributes, received.Attributes);

        // The other way, written straight into the transport.
        var endOfRib = UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast);
        await b.SendAsync(writer => endOfRib.Encode(writer, negotiatedB.SendContext), CancellationToken.None);
        await WaitUntilAsync(() => !handlerA.Updates.IsEmpty, "the End-of-RIB at A");
        Assert.True(Assert.Single(handlerA.Updates).IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.Ipv4Unicast, family);
    }

    [Fact]
    public async Task Hold_timer_expiry_sends_notification_4_0_and_both_go_idle()
    {
        var (handlerA, handlerB) = (new RecordingHandler(), new RecordingHandler());
        var (timeA, timeB) = (new ManualTimeProvider(), new ManualTimeProvider());
        await using var b = Session(handlerB, timeB, IdB, 65002, 65001, port: 179, passive: true);
        await using var listener = new LoopbackListener(b.Accept);
        await using var a = Session(handlerA, timeA, IdA, 65001, 65002, listener.Port);
        b.Start();
        a.Start();
        await handlerA.Established.Task.WaitAsync(WaitTime);
        await handlerB.Established.Task.WaitAsync(WaitTime);

        // B's clock stands still, so B sends nothing more; A's runs past its hold time.
        for (var second = 0; second < 95 && a.State == SessionState.Established; second += 5)
        {
            timeA.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(2);
        }

        await WaitUntilAsync(() => a.State == SessionState.Idle && b.State == SessionState.Idle, "both Idle");
        await WaitUntilAsync(() => !handlerA.Downs.IsEmpty && !handlerB.Downs.IsEmpty, "both down");
        var holdExpired = new NotificationMessage(NotificationCode.HoldTimerExpired, 0);
        var downA = Assert.Single(handlerA.Downs);
        Assert.Equal(holdExpired, downA.Sent);
        Assert.Equal("hold timer expired", downA.Reason);
        Assert.Equal(holdExpired, Assert.Single(handlerB.Downs).Received);
        Assert.Null(a.Negotiated);

        // Both set the N bit (RFC 8538): a NOTIFICATION other than Hard Reset keeps the routes as stale.
        Assert.True(downA.GracefulRestartApplies);
        Assert.True(Assert.Single(handlerB.Downs).GracefulRestartApplies);
    }

    [Fact]
    public async Task Bytes_arriving_restart_the_hold_timer()
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, time, IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB, hold: 9));
        await WaitUntilAsync(() => session.HoldTimerRemaining == TimeSpan.FromSeconds(9), "the negotiated hold timer");

        for (var i = 0; i < 4; i++)
        {
            // 6 s of silence each time, then a KEEPALIVE: 24 s in all, more than the 9 s hold time.
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.Equal(TimeSpan.FromSeconds(3), session.HoldTimerRemaining);
            await peer.SendAsync(KeepaliveMessage.Instance);
            await WaitUntilAsync(() => session.HoldTimerRemaining == TimeSpan.FromSeconds(9), "the hold timer restarted");
            Assert.Equal(SessionState.Established, session.State);
        }

        time.Advance(TimeSpan.FromSeconds(9));
        var notification = await peer.ReadAsync<NotificationMessage>();
        Assert.Equal(NotificationCode.HoldTimerExpired, notification.Code);
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "down");
        Assert.Equal(notification, Assert.Single(handler.Downs).Sent);
        Assert.Equal(SessionState.Idle, session.State);
    }

    [Theory]
    [InlineData("198.18.0.9", true)]   // our identifier is higher: keep the connection we initiated
    [InlineData("198.18.0.9", false)]
    [InlineData("198.18.0.0", true)]   // the peer's is higher: keep the one the peer initiated
    [InlineData("198.18.0.0", false)]
    public async Task Collision_keeps_the_connection_initiated_by_the_higher_identifier(string localId, bool peerOpensOnOurConnectionFirst)
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        var peerId = RouterId.Parse("198.18.0.5");
        var handlerSettings = new SessionSettings
        {
            Peer = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = 65002, Port = listener.Port },
            LocalAs = 65001,
            RouterId = RouterId.Parse(localId),
        };
        await using var session = new BgpSession(handlerSettings, handler, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new Fsm.FixedRandom(1.0));
        session.Start();

        // Our connection to the peer, then the peer's connection to us.
        await WaitUntilAsync(() => accepted is not null, "our connection");
        await using var ours = new RawPeer(accepted!);
        Assert.IsType<OpenMessage>(await ours.ReadAsync());
        var (theirs, theirAccepted) = await RawPeer.ConnectedPairAsync();
        await using var _ = theirs;
        session.Accept(theirAccepted);
        Assert.IsType<OpenMessage>(await theirs.ReadAsync());

        var open = PeerOpen(65002, peerId);
        var (first, second) = peerOpensOnOurConnectionFirst ? (ours, theirs) : (theirs, ours);
        await first.SendAsync(open);
        await second.SendAsync(open);

        var keepOurs = RouterId.Parse(localId).Value > peerId.Value;
        var (kept, closed) = keepOurs ? (ours, theirs) : (theirs, ours);
        var cease = await closed.ReadAsync<NotificationMessage>();
        Assert.Equal(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution), cease);
        Assert.True(await closed.ClosedAsync());

        Assert.IsType<KeepaliveMessage>(await kept.ReadAsync());
        await kept.SendAsync(KeepaliveMessage.Instance);
        var negotiated = await handler.Established.Task.WaitAsync(WaitTime);
        Assert.Equal(kept.LocalEndPoint, negotiated.RemoteEndPoint);
        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact]
    public async Task Missing_required_capability_sends_2_7_with_the_capability()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port,
            tweak: p => p with { RequiredCapabilities = [CapabilityCode.GracefulRestart] });
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        var ours = Assert.IsType<OpenMessage>(await peer.ReadAsync());
        await peer.SendAsync(PeerOpen(65002, IdB));

        var notification = await peer.ReadAsync<NotificationMessage>();
        Assert.Equal(NotificationCode.OpenMessageError, notification.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.UnsupportedCapability, notification.Subcode);
        Assert.Equal(OpenValidation.EncodeCapability(ours.GetCapability<GracefulRestartCapability>()!), notification.Data.AsSpan().ToArray());
        Assert.True(await peer.ClosedAsync());
        await WaitUntilAsync(() => session.State == SessionState.Idle, "Idle");
        Assert.StartsWith("OPEN refused", session.Info, StringComparison.Ordinal);
        Assert.Empty(handler.Downs);
    }

    [Fact]
    public async Task Stop_sends_cease_administrative_shutdown_with_the_message_and_stays_idle()
    {
        var (handlerA, handlerB) = (new RecordingHandler(), new RecordingHandler());
        var time = new ManualTimeProvider();
        Func<PeerOptions, PeerOptions> noGr = p => p with { GracefulRestart = null };
        await using var b = Session(handlerB, time, IdB, 65002, 65001, port: 179, passive: true, tweak: noGr);
        await using var listener = new LoopbackListener(b.Accept);
        await using var a = Session(handlerA, time, IdA, 65001, 65002, listener.Port, tweak: noGr);
        b.Start();
        a.Start();
        await handlerA.Established.Task.WaitAsync(WaitTime);
        await handlerB.Established.Task.WaitAsync(WaitTime);

        await a.StopAsync("maintenance until 03:00", CancellationToken.None);

        Assert.Equal(SessionState.Idle, a.State);
        var expected = NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, "maintenance until 03:00");
        Assert.Equal(expected, Assert.Single(handlerA.Downs).Sent);
        await WaitUntilAsync(() => !handlerB.Downs.IsEmpty, "B down");
        var downB = Assert.Single(handlerB.Downs);
        Assert.Equal(expected, downB.Received);
        Assert.Equal("maintenance until 03:00", downB.Received!.ShutdownCommunication);
        Assert.False(downB.GracefulRestartApplies);

        // A manual stop does not restart by itself.
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(20);
        Assert.Equal(SessionState.Idle, a.State);
    }

    [Fact]
    public async Task Stop_with_the_n_bit_wraps_the_cease_in_a_hard_reset()
    {
        var (handlerA, handlerB) = (new RecordingHandler(), new RecordingHandler());
        var time = new ManualTimeProvider();
        await using var b = Session(handlerB, time, IdB, 65002, 65001, port: 179, passive: true);
        await using var listener = new LoopbackListener(b.Accept);
        await using var a = Session(handlerA, time, IdA, 65001, 65002, listener.Port);
        b.Start();
        a.Start();
        Assert.True((await handlerA.Established.Task.WaitAsync(WaitTime)).GracefulRestartNotification);

        await a.StopAsync("bye", CancellationToken.None);
        await WaitUntilAsync(() => !handlerB.Downs.IsEmpty, "B down");
        var received = Assert.Single(handlerB.Downs).Received!;
        Assert.Equal((NotificationCode.Cease, (byte)CeaseSubcode.HardReset), (received.Code, received.Subcode));
        Assert.Equal("bye", received.HardResetInner!.ShutdownCommunication);
        Assert.False(Assert.Single(handlerB.Downs).GracefulRestartApplies);
    }

    [Fact]
    public async Task A_dropped_connection_without_notification_keeps_routes_under_graceful_restart()
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted ??= s);
        await using var session = Session(handler, time, IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB, gracefulRestart: true));
        Assert.True(session.Negotiated!.GracefulRestart);

        await peer.DisposeAsync();
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "down");
        var down = Assert.Single(handler.Downs);
        Assert.True(down.GracefulRestartApplies);
        Assert.Null(down.Sent);
        Assert.Null(down.Received);
        Assert.Equal(SessionState.Idle, session.State);
    }

    [Fact]
    public async Task Treat_as_withdraw_updates_reach_the_handler_and_a_fatal_update_error_resets()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));

        // ORIGIN value 3: RFC 7606 treat-as-withdraw, the session stays up.
        await peer.SendRawAsync(Wire.Hex.Message(2, Convert.ToHexString(Wire.UpdateMalformedTests.Body("40010103" + "400206020100 00FDEA" + "400304C0000201"))));
        await WaitUntilAsync(() => !handler.Updates.IsEmpty, "the UPDATE");
        Assert.True(Assert.Single(handler.Updates).TreatAsWithdraw);
        Assert.Equal(SessionState.Established, session.State);

        // Withdrawn Routes Length overruns the message: UPDATE Message Error / Malformed Attribute List.
        await peer.SendRawAsync(Wire.Hex.Message(2, "00050000180A00"));
        var notification = await peer.ReadAsync<NotificationMessage>();
        Assert.Equal((NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MalformedAttributeList), (notification.Code, notification.Subcode));
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "down");
        Assert.Equal(notification, Assert.Single(handler.Downs).Sent);
    }

    [Fact]
    public async Task A_failing_handler_sends_cease_and_the_session_goes_idle()
    {
        var handler = new RecordingHandler { UpdateHook = _ => throw new InvalidOperationException("handler bug") };
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));

        await peer.SendAsync(Update(GoodAttributes));
        var notification = await peer.ReadAsync<NotificationMessage>();
        Assert.Equal(NotificationCode.Cease, notification.Code);
        await WaitUntilAsync(() => session.State == SessionState.Idle, "Idle");
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "down");
    }

    [Fact]
    public async Task Passive_session_never_connects_and_accepts_the_peer()
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        var connections = 0;
        await using var listener = new LoopbackListener(s =>
        {
            Interlocked.Increment(ref connections);
            s.Dispose();
        });
        await using var session = Session(handler, time, IdA, 65001, 65002, listener.Port, passive: true);
        session.Start();
        await WaitUntilAsync(() => session.State == SessionState.Active, "Active");
        time.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(50);
        Assert.Equal(0, connections);
        Assert.Equal(SessionState.Active, session.State);

        var (peer, accepted) = await RawPeer.ConnectedPairAsync();
        await using var _ = peer;
        session.Accept(accepted);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));
    }

    [Fact]
    public async Task Idle_session_refuses_connections()
    {
        await using var session = Session(new RecordingHandler(), new ManualTimeProvider(), IdA, 65001, 65002, port: 179, passive: true);
        var (peer, accepted) = await RawPeer.ConnectedPairAsync();
        await using var _ = peer;
        session.Accept(accepted);
        Assert.True(await peer.ClosedAsync());
        Assert.Equal(SessionState.Idle, session.State);
    }

    [Fact]
    public async Task Wrong_peer_as_is_refused_with_2_2_and_the_session_restarts_after_the_idle_hold_time()
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        await using var listener = new LoopbackListener(accepted.Enqueue);
        await using var session = Session(handler, time, IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => !accepted.IsEmpty, "the connection");
        accepted.TryDequeue(out var first);
        await using var peer = new RawPeer(first!);
        Assert.IsType<OpenMessage>(await peer.ReadAsync());
        await peer.SendAsync(PeerOpen(65009, IdB));
        var notification = await peer.ReadAsync<NotificationMessage>();
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadPeerAs), (notification.Code, notification.Subcode));
        await WaitUntilAsync(() => session.State == SessionState.Idle, "Idle");

        // The idle hold time (1 s at first) passes: the session connects again.
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => !accepted.IsEmpty, "the second connection");
        accepted.TryDequeue(out var second);
        await using var again = new RawPeer(second!);
        Assert.IsType<OpenMessage>(await again.ReadAsync());
    }

    [Fact]
    public async Task A_new_connection_from_a_graceful_restart_peer_ends_the_old_session_and_starts_the_next()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s =>
        {
            if (Interlocked.CompareExchange(ref accepted, s, null) is not null)
            {
                s.Dispose(); // our own reconnection attempt; the peer's connection wins anyway
            }
        });
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var old = new RawPeer(accepted!);
        var open = PeerOpen(65002, IdB, gracefulRestart: true);
        await EstablishAsync(old, session, open);

        // The peer restarted: it connects again while we still think the session is up. Its OPEN on
        // the new connection, not the connection alone, ends the old session.
        var (restarted, socket) = await RawPeer.ConnectedPairAsync();
        await using var _ = restarted;
        session.Accept(socket);
        Assert.IsType<OpenMessage>(await restarted.ReadAsync());
        Assert.Equal(SessionState.Established, session.State);
        Assert.True(handler.Downs.IsEmpty);

        await restarted.SendAsync(open);
        await restarted.SendAsync(KeepaliveMessage.Instance);
        Assert.IsType<KeepaliveMessage>(await restarted.ReadAsync());
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "the old session down");
        var down = Assert.Single(handler.Downs);
        Assert.True(down.GracefulRestartApplies);
        Assert.Null(down.Sent);
        await WaitUntilAsync(() => session.State == SessionState.Established && session.Negotiated?.RemoteEndPoint.Equals(restarted.LocalEndPoint) == true, "the next session established");
    }

    [Fact]
    public async Task A_late_collision_connection_from_a_graceful_restart_peer_leaves_the_established_session_alone()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => Interlocked.CompareExchange(ref accepted, s, null));
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB, gracefulRestart: true));

        // The peer's own connection attempt arrives after the session is up; the peer resolves the
        // collision in favour of the established one and closes it (RFC 4271 §6.8).
        var (loser, socket) = await RawPeer.ConnectedPairAsync();
        await using var _ = loser;
        session.Accept(socket);
        Assert.IsType<OpenMessage>(await loser.ReadAsync());
        await loser.SendAsync(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution));
        await loser.DisposeAsync();

        await Task.Delay(200);
        Assert.Equal(SessionState.Established, session.State);
        Assert.True(handler.Downs.IsEmpty);
        Assert.Equal(accepted!.RemoteEndPoint, session.Negotiated!.LocalEndPoint);
    }

    [Fact]
    public async Task Without_graceful_restart_a_new_connection_does_not_disturb_the_established_session()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port, tweak: p => p with { GracefulRestart = null });
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB, gracefulRestart: true));

        var (intruder, socket) = await RawPeer.ConnectedPairAsync();
        await using var _ = intruder;
        session.Accept(socket);
        Assert.True(await intruder.ClosedAsync());
        Assert.Equal(SessionState.Established, session.State);
        Assert.Empty(handler.Downs);
    }

    [Fact]
    public async Task Delay_open_waits_for_the_peers_open_and_answers_with_open_and_keepalive()
    {
        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        await using var session = Session(handler, time, IdA, 65001, 65002, port: 179, passive: true,
            tweak: p => p with { DelayOpenTime = TimeSpan.FromSeconds(30) });
        session.Start();
        var (peer, socket) = await RawPeer.ConnectedPairAsync();
        await using var _ = peer;
        session.Accept(socket);
        await WaitUntilAsync(() => session.DelayOpenTimerRunning, "the connection");
        Assert.Equal(SessionState.Active, session.State);

        await peer.SendAsync(PeerOpen(65002, IdB));
        Assert.IsType<OpenMessage>(await peer.ReadAsync());
        Assert.IsType<KeepaliveMessage>(await peer.ReadAsync());
        await WaitUntilAsync(() => session.State == SessionState.OpenConfirm, "OpenConfirm");
        await peer.SendAsync(KeepaliveMessage.Instance);
        await handler.Established.Task.WaitAsync(WaitTime);
    }

    [Fact]
    public async Task Delay_open_timer_expiry_sends_our_open()
    {
        var time = new ManualTimeProvider();
        await using var session = Session(new RecordingHandler(), time, IdA, 65001, 65002, port: 179, passive: true,
            tweak: p => p with { DelayOpenTime = TimeSpan.FromSeconds(30) });
        session.Start();
        var (peer, socket) = await RawPeer.ConnectedPairAsync();
        await using var _ = peer;
        session.Accept(socket);
        await WaitUntilAsync(() => session.DelayOpenTimerRunning, "the connection");
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.IsType<OpenMessage>(await peer.ReadAsync());
        await WaitUntilAsync(() => session.State == SessionState.OpenSent, "OpenSent");
    }

    [Fact]
    public async Task A_refused_connection_shows_in_info_and_the_session_retries()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var handler = new RecordingHandler();
        var time = new ManualTimeProvider();
        await using var session = Session(handler, time, IdA, 65001, 65002, port);
        session.Start();
        await WaitUntilAsync(() => session.State == SessionState.Idle && handler.States.Count >= 2, "the refused connection");
        Assert.Equal("connect failed: ConnectionRefused", session.Info);

        // Retried after the connect retry time (5 s by default), not the 1 s idle hold time.
        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(20);
        Assert.Equal(SessionState.Idle, session.State);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => handler.States.Count(s => s.To == SessionState.Connect) >= 2, "the retry");
    }

    [Fact]
    public async Task One_message_per_turn_still_delivers_every_update_in_order()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        var peerOptions = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = 65002, Port = listener.Port };
        var settings = new SessionSettings { Peer = peerOptions, LocalAs = 65001, RouterId = IdA, MessagesPerTurn = 1 };
        await using var session = new BgpSession(settings, handler, new ManualTimeProvider(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));

        // 50 UPDATEs in one write: the session takes one per turn.
        var burst = new List<byte>();
        for (var i = 0; i < 50; i++)
        {
            burst.AddRange(Update(GoodAttributes, $"180A00{i:X2}").ToBytes(CodecContext.Default));
        }

        await peer.SendRawAsync([.. burst]);
        await WaitUntilAsync(() => handler.Updates.Count == 50, "50 UPDATEs");
        Assert.Equal(
            Enumerable.Range(0, 50).Select(i => IpPrefix.Parse($"10.0.{i}.0/24")),
            handler.Updates.Select(u => Assert.Single(u.Nlri).Prefix));
    }

    [Fact]
    public async Task Peer_events_are_logged_with_the_peer_address()
    {
        var logger = new ListLogger();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        var settings = new SessionSettings
        {
            Peer = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = 65002, Port = listener.Port },
            LocalAs = 65001,
            RouterId = IdA,
        };
        await using var session = new BgpSession(settings, new RecordingHandler(), new ManualTimeProvider(), logger);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));
        await peer.SendAsync(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.AdministrativeReset));
        await WaitUntilAsync(() => session.State == SessionState.Idle, "Idle");

        var lines = logger.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("Peer 127.0.0.1: OpenConfirm -> Established", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Peer 127.0.0.1: received NOTIFICATION Cease / Administrative Reset", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("127.0.0.1", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Route_refresh_reaches_the_handler_and_unknown_subtypes_are_ignored()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));

        // AFI 1, subtype 7 (unknown), SAFI 1; then a normal request for IPv6 unicast.
        await peer.SendRawAsync(Wire.Hex.Message(5, "0001 07 01"));
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv6Unicast));
        await WaitUntilAsync(() => !handler.Refreshes.IsEmpty, "the ROUTE-REFRESH");
        Assert.Equal(new RouteRefreshMessage(AfiSafi.Ipv6Unicast), Assert.Single(handler.Refreshes));
        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact]
    public async Task A_handler_may_tear_the_session_down_from_inside_on_update()
    {
        var handler = new RecordingHandler();
        Socket? accepted = null;
        await using var listener = new LoopbackListener(s => accepted = s);
        await using var session = Session(handler, new ManualTimeProvider(), IdA, 65001, 65002, listener.Port);
        var maxPrefix = new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.MaximumPrefixesReached, new byte[] { 0, 1, 1, 0, 0, 0, 1 });
        handler.UpdateHook = async _ => await session.TeardownAsync(maxPrefix, CancellationToken.None);
        session.Start();
        await WaitUntilAsync(() => accepted is not null, "the connection");
        await using var peer = new RawPeer(accepted!);
        await EstablishAsync(peer, session, PeerOpen(65002, IdB));

        await peer.SendAsync(Update(GoodAttributes));
        Assert.Equal(maxPrefix, await peer.ReadAsync<NotificationMessage>());
        await WaitUntilAsync(() => !handler.Downs.IsEmpty, "down");
        Assert.Equal(maxPrefix, Assert.Single(handler.Downs).Sent);
        Assert.Single(handler.Updates);
        Assert.Equal(SessionState.Idle, session.State);
    }

    [Fact]
    public async Task Two_active_sessions_started_together_agree_on_one_connection()
    {
        var (handlerA, handlerB) = (new RecordingHandler(), new RecordingHandler());
        var time = new ManualTimeProvider();
        BgpSession? a = null;
        BgpSession? b = null;
        await using var listenerA = new LoopbackListener(s => a!.Accept(s));
        await using var listenerB = new LoopbackListener(s => b!.Accept(s));
        var (logA, logB) = (new ListLogger(), new ListLogger());
        await using var sessionA = a = new BgpSession(
            new SessionSettings { Peer = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = 65002, Port = listenerB.Port }, LocalAs = 65001, RouterId = IdA },
            handlerA, time, logA, new Fsm.FixedRandom(1.0));
        await using var sessionB = b = new BgpSession(
            new SessionSettings { Peer = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = 65001, Port = listenerA.Port }, LocalAs = 65002, RouterId = IdB },
            handlerB, time, logB, new Fsm.FixedRandom(1.0));

        a.Start();
        b.Start();
        try
        {
            await Task.WhenAll(handlerA.Established.Task, handlerB.Established.Task).WaitAsync(WaitTime);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"A:\n{string.Join("\n", logA.Lines)}\nB:\n{string.Join("\n", logB.Lines)}");
        }

        var negotiatedA = await handlerA.Established.Task;
        var negotiatedB = await handlerB.Established.Task;
        await Task.Delay(50);
        var agreed = negotiatedA.LocalEndPoint.Equals(negotiatedB.RemoteEndPoint) && negotiatedA.RemoteEndPoint.Equals(negotiatedB.LocalEndPoint);
        var up = a.State == SessionState.Established && b.State == SessionState.Established && handlerA.Downs.IsEmpty && handlerB.Downs.IsEmpty;
        Assert.True(agreed && up, $"agreed {agreed}, up {up}\nA:\n{string.Join("\n", logA.Lines)}\nB:\n{string.Join("\n", logB.Lines)}");
    }

    [Fact]
    public async Task Sending_before_established_is_refused()
    {
        await using var session = Session(new RecordingHandler(), new ManualTimeProvider(), IdA, 65001, 65002, port: 179);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.SendAsync(KeepaliveMessage.Instance, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.SendAsync(_ => 0, CancellationToken.None));
    }

    [Fact]
    public void Settings_that_cannot_make_an_open_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Session(new RecordingHandler(), new ManualTimeProvider(), IdA, 65001, 65002, port: 179,
            tweak: p => p with { HoldTime = TimeSpan.FromSeconds(2) }));
    }

    private sealed class LoopbackFilter : IConnectionFilter
    {
        public TransportOptions? Admit(IPEndPoint remote, IPEndPoint local) => IPAddress.IsLoopback(remote.Address) ? new TransportOptions() : null;
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
