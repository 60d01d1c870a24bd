using System.Net.Sockets;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Sessions.Negotiation;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

// Connections: connecting out, accepting, reading, collision detection (RFC 4271 §6.8).
public sealed partial class BgpSession
{
    private void InitiateConnection()
    {
        CancelConnectAttempt();
        var attempt = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _connectAttempt = attempt;
        Track(ConnectAsync(attempt));
    }

    private void CancelConnectAttempt()
    {
        var attempt = _connectAttempt;
        _connectAttempt = null;
        attempt?.Cancel();
    }

    private async Task ConnectAsync(CancellationTokenSource attempt)
    {
        Socket? socket = null;
        string? failure = null;
        try
        {
            socket = await BgpConnector.ConnectAsync(_remote, _transport, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            attempt.Dispose();
            return;
        }
        catch (SocketException e)
        {
            failure = e.SocketErrorCode.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A configuration the kernel refuses (a source address of the wrong family, an MD5 key): retried with back-off.
            failure = e.Message;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = ReferenceEquals(attempt, _connectAttempt) && !attempt.IsCancellationRequested && !_disposed;
            if (current)
            {
                _connectAttempt = null;
            }

            if (failure is not null)
            {
                SessionLog.ConnectFailed(_logger, PeerAddress, _remote, failure);
                if (current && _primary is null)
                {
                    _connectError = $"connect failed: {failure}";
                    await DispatchAsync(new BgpEvent.TcpConnectionFails()).ConfigureAwait(false);
                }

                return;
            }

            if (!current)
            {
                socket!.Dispose();
                return;
            }

            BgpConnection connection;
            try
            {
                connection = new BgpConnection(socket!, _transport);
            }
            catch (ArgumentException)
            {
                socket!.Dispose();
                return;
            }

            var session = new SessionConnection(connection, outbound: true);
            SessionLog.Connected(_logger, PeerAddress, connection.LocalEndPoint, connection.RemoteEndPoint);
            await OnConnectionAsync(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SessionLog.Unexpected(_logger, PeerAddress, e);
        }
        finally
        {
            _gate.Release();
            attempt.Dispose();
        }

        await DrainHandlerWorkAsync().ConfigureAwait(false);
    }

    private async Task AcceptAsync(BgpConnection connection)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var session = new SessionConnection(connection, outbound: false);
            if (_disposed || _fsm.State == SessionState.Idle)
            {
                // §8.2.2: Idle refuses connections.
                SessionLog.ConnectionRefused(_logger, PeerAddress, connection.RemoteEndPoint, _fsm.State);
                TrackClose(session.CloseAsync());
                return;
            }

            if (_fsm.State == SessionState.Established)
            {
                if (_negotiated is { GracefulRestart: true })
                {
                    // RFC 4724 §4.2: a peer with graceful restart that reconnects has restarted, but only
                    // its OPEN on the new connection says so: until then the connection waits beside the
                    // established session (a late collision loser gets closed by the peer and is dropped).
                    if (_candidate is { } older)
                    {
                        _candidate = null;
                        TrackClose(older.CloseAsync());
                    }

                    SessionLog.ConnectionAccepted(_logger, PeerAddress, connection.LocalEndPoint, connection.RemoteEndPoint, "second");
                    _candidate = session;
                    session.OpenSent = true;
                    await SendQuietlyAsync(session, _localOpen).ConfigureAwait(false);
                    StartReading(session);
                    return;
                }
                else
                {
                    // §6.8: CollisionDetectEstablishedState is off; the established session stays.
                    SessionLog.ConnectionRefused(_logger, PeerAddress, connection.RemoteEndPoint, _fsm.State);
                    TrackClose(session.CloseAsync());
                    return;
                }
            }

            await OnConnectionAsync(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SessionLog.Unexpected(_logger, PeerAddress, e);
        }
        finally
        {
            _gate.Release();
        }

        await DrainHandlerWorkAsync().ConfigureAwait(false);
    }

    // A new connection, ours or the peer's: the session's own when it has none, else a second one for collision detection.
    private async Task OnConnectionAsync(SessionConnection connection)
    {
        var remote = connection.Connection.RemoteEndPoint;
        if (_primary is null && _fsm.State is SessionState.Connect or SessionState.Active)
        {
            SessionLog.ConnectionAccepted(_logger, PeerAddress, connection.Connection.LocalEndPoint, remote, connection.Outbound ? "outbound" : "inbound");
            Adopt(connection);
            await DispatchAsync(connection.Outbound ? new BgpEvent.TcpConnectionRequestAcked() : new BgpEvent.TcpConnectionConfirmed()).ConfigureAwait(false);
            return;
        }

        if (_fsm.State is SessionState.Connect or SessionState.Active or SessionState.OpenSent or SessionState.OpenConfirm)
        {
            if (_candidate is { } stale)
            {
                // Only one second connection is tracked: the newer one replaces it.
                _candidate = null;
                TrackClose(stale.CloseAsync());
            }

            SessionLog.ConnectionAccepted(_logger, PeerAddress, connection.Connection.LocalEndPoint, remote, "second");
            _candidate = connection;
            connection.OpenSent = true;
            await SendQuietlyAsync(connection, _localOpen).ConfigureAwait(false);
            StartReading(connection);
            return;
        }

        SessionLog.ConnectionRefused(_logger, PeerAddress, remote, _fsm.State);
        TrackClose(connection.CloseAsync());
    }

    private void Adopt(SessionConnection connection)
    {
        var hold = _timers[(int)FsmTimer.Hold];
        connection.Connection.BytesReceived = hold.Extend;
        Volatile.Write(ref _primary, connection);
        StartReading(connection);
    }

    private void StartReading(SessionConnection connection)
    {
        if (connection.ReadLoop is null)
        {
            connection.ReadLoop = ReadLoopAsync(connection);
            Track(connection.ReadLoop);
        }
    }

    private void Close(ref SessionConnection? connection)
    {
        if (connection is { } closing)
        {
            connection = null;
            closing.Connection.BytesReceived = null;
            TrackClose(closing.CloseAsync());
        }
    }

    private void CloseWithCollisionCease(SessionConnection connection)
    {
        var cease = new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution);
        connection.Connection.BytesReceived = null;
        TrackClose(SendThenCloseAsync(connection, connection.OpenSent ? cease : null));
    }

    private async Task SendThenCloseAsync(SessionConnection connection, NotificationMessage? notification)
    {
        if (notification is not null)
        {
            SessionLog.NotificationSent(_logger, PeerAddress, notification);
            await SendQuietlyAsync(connection, notification).ConfigureAwait(false);
        }

        await connection.CloseAsync().ConfigureAwait(false);
    }

    private static async Task SendQuietlyAsync(SessionConnection connection, BgpMessage message)
    {
        try
        {
            await connection.Connection.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The read loop sees the broken connection and reports it.
        }
    }

    // One loop per connection: a batch of whole messages per turn, then other peers get a turn.
    private async Task ReadLoopAsync(SessionConnection connection)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                MessageBatch batch;
                try
                {
                    batch = await connection.Connection.ReadAsync(_settings.MessagesPerTurn, _lifetime.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }

                bool done;
                using (batch)
                {
                    await _gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        done = _disposed || await ProcessBatchAsync(connection, batch).ConfigureAwait(false);
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }

                // The handler gets the batch's UPDATEs outside the FSM lock; we read on once it took them.
                await DrainHandlerWorkAsync().ConfigureAwait(false);
                if (done)
                {
                    return;
                }

                await Task.Yield();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SessionLog.Unexpected(_logger, PeerAddress, e);
        }
    }

    // Returns true when the connection is finished with.
    private async Task<bool> ProcessBatchAsync(SessionConnection connection, MessageBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (connection.Closed)
            {
                return true;
            }

            var result = BgpMessage.Decode(batch[i].Span, connection.Connection.Context);
            if (result.TryGetValue(out var message, out var error))
            {
                await OnMessageAsync(connection, message).ConfigureAwait(false);
            }
            else
            {
                await OnMessageErrorAsync(connection, error).ConfigureAwait(false);
            }
        }

        if (connection.Closed)
        {
            return true;
        }

        if (batch.FramingError is { } framing)
        {
            await OnMessageErrorAsync(connection, framing).ConfigureAwait(false);
            return true;
        }

        if (batch.Completed)
        {
            await OnConnectionLostAsync(connection).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task OnConnectionLostAsync(SessionConnection connection)
    {
        if (connection.Closed)
        {
            return;
        }

        if (ReferenceEquals(connection, _candidate))
        {
            _candidate = null;
            TrackClose(connection.CloseAsync());
            return;
        }

        if (ReferenceEquals(connection, _primary) && _candidate is { } survivor && _fsm.State is SessionState.OpenSent or SessionState.OpenConfirm)
        {
            // The peer closed (or refused) this connection while its other one is alive: carry on with that.
            HandOver(connection);
            await PromoteAsync(survivor).ConfigureAwait(false);
            return;
        }

        if (ReferenceEquals(connection, _primary))
        {
            var error = connection.Connection.ReceiveError;
            _connectError = error == SocketError.Success ? "connection closed by the peer" : $"connection lost: {error}";
            await DispatchAsync(new BgpEvent.TcpConnectionFails()).ConfigureAwait(false);
        }
    }

    private async Task OnMessageErrorAsync(SessionConnection connection, BgpError error)
    {
        SessionLog.MessageError(_logger, PeerAddress, error);
        if (!ReferenceEquals(connection, _primary))
        {
            if (ReferenceEquals(connection, _candidate))
            {
                _candidate = null;
            }

            TrackClose(SendThenCloseAsync(connection, connection.OpenSent ? error.ToNotification() : null));
            return;
        }

        BgpEvent fsmEvent = error.Code switch
        {
            NotificationCode.OpenMessageError => new BgpEvent.OpenMessageError(error),
            NotificationCode.UpdateMessageError => new BgpEvent.UpdateMessageError(error),
            _ => new BgpEvent.HeaderError(error),
        };
        await DispatchAsync(fsmEvent).ConfigureAwait(false);
    }

    private async Task OnMessageAsync(SessionConnection connection, BgpMessage message)
    {
        if (!ReferenceEquals(connection, _primary))
        {
            await OnSecondConnectionMessageAsync(connection, message).ConfigureAwait(false);
            return;
        }

        switch (message)
        {
            case OpenMessage open:
                await OnOpenAsync(connection, open).ConfigureAwait(false);
                break;
            case KeepaliveMessage:
                await DispatchAsync(new BgpEvent.KeepaliveReceived()).ConfigureAwait(false);
                break;
            case UpdateMessage update:
                if (!update.AttributeErrors.IsEmpty && _logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning))
                {
                    // RFC 7606 §3: errors handled without a reset are still logged.
                    SessionLog.AttributeErrors(_logger, PeerAddress, string.Join("; ", update.AttributeErrors));
                }

                await DispatchAsync(new BgpEvent.UpdateReceived(update)).ConfigureAwait(false);
                break;
            case NotificationMessage { Code: NotificationCode.Cease, Subcode: (byte)CeaseSubcode.ConnectionCollisionResolution or (byte)CeaseSubcode.ConnectionRejected } dump
                when _candidate is { } survivor && _fsm.State is SessionState.OpenSent or SessionState.OpenConfirm:
                // The peer resolved the collision first and closed this connection: carry on with the other one.
                SessionLog.NotificationReceived(_logger, PeerAddress, dump);
                HandOver(connection);
                await PromoteAsync(survivor).ConfigureAwait(false);
                break;
            case NotificationMessage notification:
                _receivedNotification = notification;
                SessionLog.NotificationReceived(_logger, PeerAddress, notification);
                var versionError = notification.Code == NotificationCode.OpenMessageError
                    && notification.Subcode == (byte)OpenMessageErrorSubcode.UnsupportedVersionNumber;
                await DispatchAsync(versionError ? new BgpEvent.NotificationVersionError(notification) : new BgpEvent.NotificationReceived(notification)).ConfigureAwait(false);
                break;
            case RouteRefreshMessage { IsKnownSubtype: false }:
                // RFC 7313 §5: a subtype other than 0, 1 or 2 is ignored.
                break;
            case RouteRefreshMessage refresh:
                await DispatchAsync(new BgpEvent.RouteRefreshReceived(refresh)).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"The codec returned a message the session does not know: {message.GetType().Name}.");
        }
    }

    private async Task OnOpenAsync(SessionConnection connection, OpenMessage open)
    {
        var expecting = _fsm.State == SessionState.OpenSent
            || (_fsm.State is SessionState.Connect or SessionState.Active && _fsm.DelayOpenTimerRunning);
        if (!expecting)
        {
            // A second OPEN on this connection: the FSM answers it as an unexpected message.
            await DispatchAsync(new BgpEvent.OpenReceived(TimeSpan.Zero, TimeSpan.Zero)).ConfigureAwait(false);
            return;
        }

        var result = OpenNegotiation.Negotiate(_settings, _localOpen, open, connection.Connection.LocalEndPoint, connection.Connection.RemoteEndPoint);
        if (!result.TryGetValue(out var negotiated, out var error))
        {
            SessionLog.OpenRefused(_logger, PeerAddress, error);
            await DispatchAsync(new BgpEvent.OpenMessageError(error)).ConfigureAwait(false);
            return;
        }

        connection.ReceivedOpen = open;
        if (_candidate is { ReceivedOpen: not null } candidate && !ResolveCollision(open))
        {
            // §6.8: both connections carry the peer's OPEN and the second one wins.
            await PromoteAsync(candidate).ConfigureAwait(false);
            return;
        }

        connection.Negotiated = negotiated;
        connection.Connection.Context = negotiated.ReceiveContext;
        connection.Connection.SendContext = negotiated.SendContext;
        await DispatchAsync(_fsm.DelayOpenTimerRunning
            ? new BgpEvent.OpenReceivedWithDelayOpenTimerRunning(negotiated.HoldTime, negotiated.KeepaliveTime)
            : new BgpEvent.OpenReceived(negotiated.HoldTime, negotiated.KeepaliveTime)).ConfigureAwait(false);
        if (connection.KeepaliveReceived && ReferenceEquals(connection, _primary))
        {
            // The peer confirmed our OPEN on this connection while it was the second one.
            await DispatchAsync(new BgpEvent.KeepaliveReceived()).ConfigureAwait(false);
        }
    }

    // The second connection: its OPEN is kept until collision detection can compare (§6.8: a
    // collision is between connections that both received the peer's OPEN).
    private async Task OnSecondConnectionMessageAsync(SessionConnection connection, BgpMessage message)
    {
        if (!ReferenceEquals(connection, _candidate))
        {
            return;
        }

        switch (message)
        {
            case OpenMessage open when connection.ReceivedOpen is null && _fsm.State == SessionState.Established:
                // RFC 4724 §4.2: the peer restarted. The old session ends (its routes kept as stale) and
                // this connection, which already has our OPEN and the peer's, carries the next one
                // (started passive: there is nothing to connect to, we hold the peer's connection).
                _candidate = null;
                _connectError = "the peer reconnected (graceful restart)";
                await DispatchAsync(new BgpEvent.TcpConnectionFails()).ConfigureAwait(false);
                await DispatchAsync(new BgpEvent.AutomaticStartWithPassiveTcpEstablishment()).ConfigureAwait(false);
                connection.ReceivedOpen = open;
                await PromoteAsync(connection, "the peer restarted (graceful restart)").ConfigureAwait(false);
                return;
            case OpenMessage open when connection.ReceivedOpen is null:
                connection.ReceivedOpen = open;
                if (_primary is null)
                {
                    await PromoteAsync(connection).ConfigureAwait(false);
                }
                else if (_primary.ReceivedOpen is not null && !ResolveCollision(open))
                {
                    await PromoteAsync(connection).ConfigureAwait(false);
                }

                return;
            case KeepaliveMessage when connection.ReceivedOpen is not null:
                connection.KeepaliveReceived = true;
                return;
            case NotificationMessage notification:
                SessionLog.NotificationReceived(_logger, PeerAddress, notification);
                break;
        }

        // Anything else ends the second connection; the session's own carries on.
        _candidate = null;
        TrackClose(connection.CloseAsync());
    }

    // §6.8: keeps the connection initiated by the side with the higher BGP Identifier (RFC 6286 §2.3:
    // the higher AS when the identifiers are equal). Closes the loser; returns true when the session's
    // own connection stays.
    private bool ResolveCollision(OpenMessage peerOpen)
    {
        var primary = _primary!;
        var candidate = _candidate!;
        bool keepPrimary;
        if (primary.Outbound == candidate.Outbound)
        {
            // Both from the same side: the peer gave up on the older one.
            keepPrimary = false;
        }
        else
        {
            var local = _settings.RouterId.Value;
            var remote = peerOpen.BgpIdentifier.Value;
            var keepOutbound = local != remote ? local > remote : _settings.EffectiveLocalAs > peerOpen.AutonomousSystem;
            keepPrimary = primary.Outbound == keepOutbound;
        }

        var keep = keepPrimary ? primary : candidate;
        var loser = keepPrimary ? candidate : primary;
        SessionLog.Collision(_logger, PeerAddress, _settings.RouterId, peerOpen.BgpIdentifier, keep.Connection.RemoteEndPoint, loser.Connection.RemoteEndPoint);
        _candidate = null;
        if (!keepPrimary)
        {
            _primary = null;
        }

        CloseWithCollisionCease(loser);
        return keepPrimary;
    }

    // Gives up the session's own connection before the second one takes over.
    private void HandOver(SessionConnection connection)
    {
        _primary = null;
        connection.Connection.BytesReceived = null;
        TrackClose(connection.CloseAsync());
    }

    // The second connection becomes the session's own: back to OpenSent on it (our OPEN is out on it).
    private async Task PromoteAsync(SessionConnection connection, string reason = "connection collision resolved")
    {
        _candidate = null;
        Adopt(connection);
        var before = _fsm.State;
        _fsm = _fsm with { State = SessionState.OpenSent, DelayOpenTimerRunning = false, HoldTime = TimeSpan.Zero, KeepaliveTime = TimeSpan.Zero };
        _timers[(int)FsmTimer.DelayOpen].Stop();
        _timers[(int)FsmTimer.Keepalive].Stop();
        _timers[(int)FsmTimer.ConnectRetry].Stop();
        _timers[(int)FsmTimer.Hold].Start(_fsmSettings.LargeHoldTime);
        if (!connection.OpenSent)
        {
            connection.OpenSent = true;
            await SendQuietlyAsync(connection, _localOpen).ConfigureAwait(false);
        }

        if (before != SessionState.OpenSent)
        {
            ChangeState(before, SessionState.OpenSent, reason);
        }

        if (connection.ReceivedOpen is { } open)
        {
            await OnOpenAsync(connection, open).ConfigureAwait(false);
        }
    }
}
