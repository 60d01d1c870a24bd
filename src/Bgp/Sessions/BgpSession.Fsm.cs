using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

// Running the FSM and carrying out its actions. Everything here runs under _gate.
public sealed partial class BgpSession
{
    private async Task DispatchAsync(BgpEvent fsmEvent)
    {
        var before = _fsm;
        var negotiatedBefore = _negotiated;
        var (next, actions) = BgpFsm.Next(before, fsmEvent, _fsmSettings, _random);
        _fsm = next;
        if (next.State == SessionState.Established && before.State != SessionState.Established)
        {
            // Visible before the state is, so OnStateChanged and readers of State see it.
            Volatile.Write(ref _negotiated, _primary?.Negotiated);
        }

        if (next.State != before.State)
        {
            ChangeState(before.State, next.State, Describe(fsmEvent, next.State, _connectError));
        }

        _connectError = null;
        foreach (var action in actions)
        {
            await ApplyAsync(action, negotiatedBefore).ConfigureAwait(false);
        }
    }

    private void ChangeState(SessionState from, SessionState to, string info)
    {
        _state = to;
        _info = info;
        Interlocked.Exchange(ref _sinceTicks, _time.GetUtcNow().UtcTicks);
        SessionLog.StateChanged(_logger, PeerAddress, from, to, info);
        try
        {
            _handler.OnStateChanged(this, from, to, info);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SessionLog.HandlerFailed(_logger, PeerAddress, e);
        }
    }

    private async Task ApplyAsync(FsmAction action, NegotiatedSession? negotiatedBefore)
    {
        switch (action)
        {
            case FsmAction.SendOpen:
                if (_primary is { } withOpen)
                {
                    withOpen.OpenSent = true;
                    await SendQuietlyAsync(withOpen, _localOpen).ConfigureAwait(false);
                }

                break;
            case FsmAction.SendKeepalive:
                if (_primary is { } withKeepalive)
                {
                    await SendQuietlyAsync(withKeepalive, KeepaliveMessage.Instance).ConfigureAwait(false);
                }

                break;
            case FsmAction.SendNotification send:
                if (_primary is { } withNotification)
                {
                    var notification = HardResetIfNeeded(send.Notification, negotiatedBefore);
                    _sentNotification = notification;
                    SessionLog.NotificationSent(_logger, PeerAddress, notification);
                    await SendQuietlyAsync(withNotification, notification).ConfigureAwait(false);
                }

                break;
            case FsmAction.StartTimer start:
                _timers[(int)start.Timer].Start(start.Duration);
                break;
            case FsmAction.StopTimer stop:
                _timers[(int)stop.Timer].Stop();
                break;
            case FsmAction.InitiateConnection:
                InitiateConnection();
                break;
            case FsmAction.DropConnection:
                CancelConnectAttempt();
                Close(ref _candidate);
                Close(ref _primary);
                break;
            case FsmAction.ReleaseResources:
                Volatile.Write(ref _negotiated, null);
                break;
            case FsmAction.SessionEstablished:
                OnEstablished();
                break;
            case FsmAction.DeleteRoutes:
                var down = Down(negotiatedBefore);
                Enqueue((session, ct) => session._handler.OnDownAsync(session, down, ct));
                break;
            case FsmAction.ProcessUpdate update:
                Enqueue((session, ct) => session._handler.OnUpdateAsync(session, update.Update, ct));
                break;
            case FsmAction.ProcessRouteRefresh refresh:
                Enqueue((session, ct) => session._handler.OnRouteRefreshAsync(session, refresh.Message, ct));
                break;
            default:
                throw new InvalidOperationException($"The session does not know the FSM action {action}.");
        }
    }

    private void OnEstablished()
    {
        var primary = _primary ?? throw new InvalidOperationException("Established without a connection.");
        var negotiated = primary.Negotiated ?? throw new InvalidOperationException("Established without a negotiated OPEN.");

        // §6.8: a second connection still waiting for its OPEN loses to an established session.
        if (_candidate is { } candidate)
        {
            _candidate = null;
            CloseWithCollisionCease(candidate);
        }

        _sentNotification = null;
        _receivedNotification = null;
        Volatile.Write(ref _negotiated, negotiated);
        SessionLog.Established(_logger, PeerAddress, negotiated.RemoteAs, negotiated.RemoteRouterId, negotiated.HoldTime);
        Enqueue((session, ct) => session._handler.OnEstablishedAsync(session, negotiated, ct));
    }

    // RFC 4724 §4.2 and RFC 8538 §4: when the peer's routes are kept as stale.
    private SessionDown Down(NegotiatedSession? negotiated)
    {
        var notification = _sentNotification ?? _receivedNotification;
        var applies = negotiated is { GracefulRestart: true }
            && (notification is null
                || (negotiated.GracefulRestartNotification
                    && !(notification.Code == NotificationCode.Cease && notification.Subcode == (byte)CeaseSubcode.HardReset)));
        return new SessionDown(_info, _sentNotification, _receivedNotification, applies);
    }

    // RFC 8538 §5: with the N bit exchanged these Cease subcodes go inside a Hard Reset.
    private static NotificationMessage HardResetIfNeeded(NotificationMessage notification, NegotiatedSession? negotiated) =>
        negotiated is { GracefulRestartNotification: true }
        && notification.Code == NotificationCode.Cease
        && notification.Subcode is (byte)CeaseSubcode.MaximumPrefixesReached or (byte)CeaseSubcode.AdministrativeShutdown or (byte)CeaseSubcode.PeerDeconfigured
            ? NotificationMessage.HardReset(notification)
            : notification;

    private static string Describe(BgpEvent fsmEvent, SessionState to, string? connectionError) => to switch
    {
        SessionState.Established => "Established",
        _ => fsmEvent switch
        {
            BgpEvent.ManualStart or BgpEvent.ManualStartWithPassiveTcpEstablishment => "started",
            BgpEvent.ManualStop stop => $"stopped: {stop.Cease}",
            BgpEvent.AutomaticStop stop => $"torn down: {stop.Cease}",
            BgpEvent.AutomaticStart or BgpEvent.AutomaticStartWithPassiveTcpEstablishment
                or BgpEvent.IdleHoldTimerExpires => "restarting",
            BgpEvent.ConnectRetryTimerExpires => "connect retry",
            BgpEvent.HoldTimerExpires => "hold timer expired",
            BgpEvent.DelayOpenTimerExpires => "delay open expired",
            BgpEvent.TcpConnectionRequestAcked => "connected",
            BgpEvent.TcpConnectionConfirmed => "connection accepted",
            BgpEvent.TcpConnectionFails => connectionError ?? "connection closed",
            BgpEvent.OpenReceived or BgpEvent.OpenReceivedWithDelayOpenTimerRunning => "OPEN received",
            BgpEvent.HeaderError error => $"message error: {error.Error}",
            BgpEvent.OpenMessageError error => $"OPEN refused: {error.Error}",
            BgpEvent.UpdateMessageError error => $"UPDATE error: {error.Error}",
            BgpEvent.OpenCollisionDump => "connection collision",
            BgpEvent.NotificationVersionError notification => $"NOTIFICATION received: {notification.Notification}",
            BgpEvent.NotificationReceived notification => $"NOTIFICATION received: {notification.Notification}",
            _ => $"unexpected event {fsmEvent.GetType().Name} in state",
        },
    };

    // A timer expired: turn it into its FSM event unless it was stopped or restarted meanwhile.
    private async Task OnTimerAsync(TimerSlot slot)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed || !slot.TryExpire())
            {
                return;
            }

            BgpEvent fsmEvent = slot.Timer switch
            {
                FsmTimer.ConnectRetry => new BgpEvent.ConnectRetryTimerExpires(),
                FsmTimer.Hold => new BgpEvent.HoldTimerExpires(),
                FsmTimer.Keepalive => new BgpEvent.KeepaliveTimerExpires(),
                FsmTimer.DelayOpen => new BgpEvent.DelayOpenTimerExpires(),
                FsmTimer.IdleHold => new BgpEvent.IdleHoldTimerExpires(),
                _ => new BgpEvent.StableTimerExpires(),
            };
            await DispatchAsync(fsmEvent).ConfigureAwait(false);
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

    // One of the session's timers over the injected TimeProvider. Restarts are cheap (ITimer.Change);
    // an expiry counts only if the timer still runs and its deadline has passed.
    private sealed class TimerSlot(BgpSession session, FsmTimer timer) : IDisposable
    {
        private ITimer? _timer;
        private long _dueTicks;
        private long _durationTicks;
        private volatile bool _running;

        public BgpSession Session { get; } = session;

        public FsmTimer Timer { get; } = timer;

        public TimeSpan Remaining => _running ? TimeSpan.FromTicks(Volatile.Read(ref _dueTicks) - Session._time.GetUtcNow().UtcTicks) : TimeSpan.Zero;

        public void Start(TimeSpan duration)
        {
            Volatile.Write(ref _durationTicks, duration.Ticks);
            Arm(duration);
            _running = true;
        }

        public void Stop()
        {
            _running = false;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        // Restarts a running timer with its last duration (octets arrived, a KEEPALIVE went out). Any thread.
        public void Extend()
        {
            if (_running)
            {
                Arm(TimeSpan.FromTicks(Volatile.Read(ref _durationTicks)));
            }
        }

        public bool TryExpire()
        {
            if (!_running)
            {
                return false;
            }

            var left = Volatile.Read(ref _dueTicks) - Session._time.GetUtcNow().UtcTicks;
            if (left > 0)
            {
                // Restarted after this expiry was scheduled, or fired early: wait for the real deadline.
                _timer?.Change(TimeSpan.FromTicks(left), Timeout.InfiniteTimeSpan);
                return false;
            }

            _running = false;
            return true;
        }

        public void Dispose()
        {
            _running = false;
            _timer?.Dispose();
        }

        private void Arm(TimeSpan duration)
        {
            Volatile.Write(ref _dueTicks, Session._time.GetUtcNow().UtcTicks + duration.Ticks);
            if (_timer is null)
            {
                _timer = Session._time.CreateTimer(TimerFired, this, duration, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timer.Change(duration, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
