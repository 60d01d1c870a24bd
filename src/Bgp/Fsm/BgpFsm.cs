using System.Collections.Immutable;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Fsm;

/// <summary>The outcome of one FSM step: the next state and what the session must do, in order.</summary>
/// <param name="Next">The next state.</param>
/// <param name="Actions">The actions.</param>
internal readonly record struct FsmTransition(FsmState Next, ImmutableArray<FsmAction> Actions);

/// <summary>
/// The BGP finite state machine of RFC 4271 §8.2.2 as a pure function: <c>(state, event) → (state,
/// actions)</c>. It never reads a clock and does no I/O; timers are started and stopped through
/// actions, and the connect retry jitter comes from the random source passed in.
/// </summary>
/// <remarks>
/// Departures from the RFC text, each for a reason:
/// <list type="bullet">
/// <item>Sessions restart by themselves: every drop to Idle other than a manual stop starts the
/// IdleHoldTimer, whose expiry (event 13) starts the session again. Drops the RFC marks for peer
/// oscillation damping double the next idle hold time up to the maximum; the back-off starts over
/// once the session has been Established for <see cref="FsmSettings.StableTime"/>. Drops it does
/// not mark (a refused connection, a version error) wait the jittered connect retry time instead.</item>
/// <item>A passive session never starts the ConnectRetryTimer, so it never connects out.</item>
/// <item>A NOTIFICATION received in OpenSent closes the session without an FSM error in reply
/// (the peer has already closed), as in OpenConfirm.</item>
/// <item>Connection collisions (§6.8) are resolved by the session across its connections before an
/// OPEN reaches the FSM, so an OPEN in OpenConfirm or Established here is a second OPEN on the same
/// connection: an unexpected message (RFC 6608).</item>
/// </list>
/// </remarks>
internal static class BgpFsm
{
    private enum IdleEntry
    {
        // ManualStop: stay down, counter and back-off start over.
        Stop,

        // Come back after the connect retry time (or the idle hold time if longer), without growing it.
        Restart,

        // Peer oscillation damping: come back after the current idle hold time and double it.
        Damp,
    }

    /// <summary>The connect retry time jittered to 75–100 % (RFC 4271 §10).</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="random">The random source.</param>
    public static TimeSpan JitteredConnectRetryTime(FsmSettings settings, Random random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        return settings.ConnectRetryTime * (0.75 + (0.25 * random.NextDouble()));
    }

    /// <summary>The FSM error subcode for an unexpected message in <paramref name="state"/> (RFC 6608 §3).</summary>
    /// <param name="state">The state.</param>
    public static FsmErrorSubcode UnexpectedMessageSubcode(SessionState state) => state switch
    {
        SessionState.OpenSent => FsmErrorSubcode.UnexpectedMessageInOpenSent,
        SessionState.OpenConfirm => FsmErrorSubcode.UnexpectedMessageInOpenConfirm,
        SessionState.Established => FsmErrorSubcode.UnexpectedMessageInEstablished,
        _ => FsmErrorSubcode.Unspecified,
    };

    /// <summary>One step of the state machine.</summary>
    /// <param name="state">The current state.</param>
    /// <param name="fsmEvent">The event.</param>
    /// <param name="settings">The session's settings.</param>
    /// <param name="random">The source of the connect retry jitter.</param>
    public static FsmTransition Next(FsmState state, BgpEvent fsmEvent, FsmSettings settings, Random random)
    {
        ArgumentNullException.ThrowIfNull(fsmEvent);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        var step = new Step(state, settings, random);
        switch (state.State)
        {
            case SessionState.Idle:
                Idle(ref step, fsmEvent);
                break;
            case SessionState.Connect:
                Connect(ref step, fsmEvent);
                break;
            case SessionState.Active:
                Active(ref step, fsmEvent);
                break;
            case SessionState.OpenSent:
                OpenSent(ref step, fsmEvent);
                break;
            case SessionState.OpenConfirm:
                OpenConfirm(ref step, fsmEvent);
                break;
            case SessionState.Established:
                Established(ref step, fsmEvent);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state.State, "not an RFC 4271 state");
        }

        return step.Result();
    }

    // §8.2.2 Idle: refuses connections; start events begin a session.
    private static void Idle(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart:
                step.State = step.State with { ConnectRetryCounter = 0, IdleHoldTime = step.Settings.IdleHoldTime };
                StartSession(ref step, step.Settings.Passive);
                break;
            case BgpEvent.ManualStartWithPassiveTcpEstablishment:
                step.State = step.State with { ConnectRetryCounter = 0, IdleHoldTime = step.Settings.IdleHoldTime };
                StartSession(ref step, passive: true);
                break;
            case BgpEvent.AutomaticStart:
                step.State = step.State with { ConnectRetryCounter = 0 };
                StartSession(ref step, step.Settings.Passive);
                break;
            case BgpEvent.AutomaticStartWithPassiveTcpEstablishment:
                step.State = step.State with { ConnectRetryCounter = 0 };
                StartSession(ref step, passive: true);
                break;
            case BgpEvent.AutomaticStartWithDampPeerOscillations:
                // The start waits out the idle hold time; event 13 then starts the session.
                step.State = step.State with { Passive = step.Settings.Passive };
                step.Add(new FsmAction.StartTimer(FsmTimer.IdleHold, step.State.IdleHoldTime));
                break;
            case BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                step.State = step.State with { Passive = true };
                step.Add(new FsmAction.StartTimer(FsmTimer.IdleHold, step.State.IdleHoldTime));
                break;
            case BgpEvent.IdleHoldTimerExpires:
                StartSession(ref step, step.State.Passive);
                break;
            case BgpEvent.ManualStop:
                // The RFC ignores it; here it also cancels the automatic restart.
                step.State = step.State with { ConnectRetryCounter = 0, IdleHoldTime = step.Settings.IdleHoldTime };
                step.Add(new FsmAction.StopTimer(FsmTimer.IdleHold));
                break;
            default:
                // Events 8-12 and 14-28 do not change the Idle state.
                break;
        }
    }

    private static void StartSession(ref Step step, bool passive)
    {
        step.State = step.State with { Passive = passive };
        if (passive)
        {
            // Events 4, 5: listen only; a passive session has no reason to retry connecting.
            step.ChangeTo(SessionState.Active);
            return;
        }

        // Events 1, 3: connect out and listen.
        step.StartConnectRetryTimer();
        step.Add(FsmAction.InitiateConnection.Instance);
        step.ChangeTo(SessionState.Connect);
    }

    // §8.2.2 Connect: waiting for our TCP connection to complete.
    private static void Connect(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
                or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithDampPeerOscillations
                or BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                break;
            case BgpEvent.ManualStop stop:
                if (step.State.DelayOpenTimerRunning && step.Settings.SendNotificationWithoutOpen)
                {
                    step.Add(new FsmAction.SendNotification(stop.Cease));
                }

                step.ToIdle(IdleEntry.Stop);
                break;
            case BgpEvent.ConnectRetryTimerExpires:
                step.Add(FsmAction.DropConnection.Instance);
                step.StartConnectRetryTimer();
                step.StopDelayOpenTimer();
                step.Add(FsmAction.InitiateConnection.Instance);
                break;
            case BgpEvent.DelayOpenTimerExpires:
                step.StopDelayOpenTimer();
                SendOpenAndWait(ref step);
                break;
            case BgpEvent.TcpConnectionValid or BgpEvent.TcpConnectionRequestInvalid:
                break;
            case BgpEvent.TcpConnectionRequestAcked or BgpEvent.TcpConnectionConfirmed:
                ConnectionUp(ref step);
                break;
            case BgpEvent.TcpConnectionFails:
                if (step.State.DelayOpenTimerRunning)
                {
                    step.StopDelayOpenTimer();
                    step.Add(FsmAction.DropConnection.Instance);
                    step.StartConnectRetryTimer();
                    step.ChangeTo(SessionState.Active);
                }
                else
                {
                    step.ToIdle(IdleEntry.Restart);
                }

                break;
            case BgpEvent.OpenReceivedWithDelayOpenTimerRunning open:
                DelayedOpenReceived(ref step, open);
                break;
            case BgpEvent.HeaderError error:
                NotifyWithoutOpenAndIdle(ref step, error.Error);
                break;
            case BgpEvent.OpenMessageError error:
                NotifyWithoutOpenAndIdle(ref step, error.Error);
                break;
            case BgpEvent.NotificationVersionError:
                step.ToIdle(step.State.DelayOpenTimerRunning ? IdleEntry.Restart : IdleEntry.Damp, countFailure: !step.State.DelayOpenTimerRunning);
                break;
            default:
                // Events 8, 10-11, 13, 19, 23, 25-28.
                step.ToIdle(IdleEntry.Damp);
                break;
        }
    }

    // §8.2.2 Active: listening for the peer's connection.
    private static void Active(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
                or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithDampPeerOscillations
                or BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                break;
            case BgpEvent.ManualStop stop:
                if (step.State.DelayOpenTimerRunning && step.Settings.SendNotificationWithoutOpen)
                {
                    step.Add(new FsmAction.SendNotification(stop.Cease));
                }

                step.ToIdle(IdleEntry.Stop);
                break;
            case BgpEvent.ConnectRetryTimerExpires:
                if (step.State.Passive)
                {
                    break;
                }

                step.StartConnectRetryTimer();
                step.Add(FsmAction.InitiateConnection.Instance);
                step.ChangeTo(SessionState.Connect);
                break;
            case BgpEvent.DelayOpenTimerExpires:
                step.Add(new FsmAction.StopTimer(FsmTimer.ConnectRetry));
                step.StopDelayOpenTimer();
                SendOpenAndWait(ref step);
                break;
            case BgpEvent.TcpConnectionValid or BgpEvent.TcpConnectionRequestInvalid:
                break;
            case BgpEvent.TcpConnectionRequestAcked or BgpEvent.TcpConnectionConfirmed:
                ConnectionUp(ref step);
                break;
            case BgpEvent.TcpConnectionFails:
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.OpenReceivedWithDelayOpenTimerRunning open:
                DelayedOpenReceived(ref step, open);
                break;
            case BgpEvent.HeaderError error:
                NotifyWithoutOpenAndIdle(ref step, error.Error);
                break;
            case BgpEvent.OpenMessageError error:
                NotifyWithoutOpenAndIdle(ref step, error.Error);
                break;
            case BgpEvent.NotificationVersionError:
                step.ToIdle(step.State.DelayOpenTimerRunning ? IdleEntry.Restart : IdleEntry.Damp, countFailure: !step.State.DelayOpenTimerRunning);
                break;
            default:
                // Events 8, 10-11, 13, 19, 23, 25-28.
                step.ToIdle(IdleEntry.Damp);
                break;
        }
    }

    // Events 16, 17 in Connect or Active.
    private static void ConnectionUp(ref Step step)
    {
        step.Add(new FsmAction.StopTimer(FsmTimer.ConnectRetry));
        if (step.Settings.DelayOpenTime is { } delay)
        {
            step.State = step.State with { DelayOpenTimerRunning = true };
            step.Add(new FsmAction.StartTimer(FsmTimer.DelayOpen, delay));
            return;
        }

        SendOpenAndWait(ref step);
    }

    private static void SendOpenAndWait(ref Step step)
    {
        step.Add(FsmAction.SendOpen.Instance);
        step.Add(new FsmAction.StartTimer(FsmTimer.Hold, step.Settings.LargeHoldTime));
        step.ChangeTo(SessionState.OpenSent);
    }

    // Event 20 in Connect or Active: the peer's OPEN came first; answer with OPEN and KEEPALIVE.
    private static void DelayedOpenReceived(ref Step step, BgpEvent.OpenReceivedWithDelayOpenTimerRunning open)
    {
        step.Add(new FsmAction.StopTimer(FsmTimer.ConnectRetry));
        step.StopDelayOpenTimer();
        step.Add(FsmAction.SendOpen.Instance);
        step.Add(FsmAction.SendKeepalive.Instance);
        step.Negotiated(open.HoldTime, open.KeepaliveTime);
        step.ChangeTo(SessionState.OpenConfirm);
    }

    private static void NotifyWithoutOpenAndIdle(ref Step step, BgpError error)
    {
        if (step.Settings.SendNotificationWithoutOpen)
        {
            step.Add(new FsmAction.SendNotification(error.ToNotification()));
        }

        step.ToIdle(IdleEntry.Damp);
    }

    // §8.2.2 OpenSent: our OPEN is out; waiting for the peer's.
    private static void OpenSent(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
                or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithDampPeerOscillations
                or BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                break;
            case BgpEvent.ManualStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Stop);
                break;
            case BgpEvent.AutomaticStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.HoldTimerExpires:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.HoldTimerExpired, 0)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.TcpConnectionValid or BgpEvent.TcpConnectionRequestInvalid
                or BgpEvent.TcpConnectionRequestAcked or BgpEvent.TcpConnectionConfirmed:
                // A second connection is tracked by the session's collision detection (§6.8).
                break;
            case BgpEvent.TcpConnectionFails:
                step.Add(new FsmAction.StopTimer(FsmTimer.Hold));
                step.Add(FsmAction.DropConnection.Instance);
                step.Add(FsmAction.ReleaseResources.Instance);
                if (!step.State.Passive)
                {
                    step.StartConnectRetryTimer();
                }

                step.ChangeTo(SessionState.Active);
                break;
            case BgpEvent.OpenReceived open:
                step.StopDelayOpenTimer();
                step.Add(new FsmAction.StopTimer(FsmTimer.ConnectRetry));
                step.Add(FsmAction.SendKeepalive.Instance);
                step.Negotiated(open.HoldTime, open.KeepaliveTime);
                step.ChangeTo(SessionState.OpenConfirm);
                break;
            case BgpEvent.HeaderError error:
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.OpenMessageError error:
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.OpenCollisionDump:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.NotificationVersionError:
                step.ToIdle(IdleEntry.Restart, countFailure: false);
                break;
            case BgpEvent.NotificationReceived:
                step.ToIdle(IdleEntry.Damp);
                break;
            default:
                // Events 9, 11-13, 20, 26-28 and ROUTE-REFRESH.
                UnexpectedEvent(ref step);
                break;
        }
    }

    // §8.2.2 OpenConfirm: OPENs exchanged; waiting for the peer's KEEPALIVE.
    private static void OpenConfirm(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
                or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithDampPeerOscillations
                or BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                break;
            case BgpEvent.ManualStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Stop);
                break;
            case BgpEvent.AutomaticStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.HoldTimerExpires:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.HoldTimerExpired, 0)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.KeepaliveTimerExpires:
                step.Add(FsmAction.SendKeepalive.Instance);
                step.RestartKeepaliveTimer();
                break;
            case BgpEvent.TcpConnectionValid or BgpEvent.TcpConnectionRequestInvalid
                or BgpEvent.TcpConnectionRequestAcked or BgpEvent.TcpConnectionConfirmed:
                break;
            case BgpEvent.TcpConnectionFails or BgpEvent.NotificationReceived:
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.NotificationVersionError:
                step.ToIdle(IdleEntry.Restart, countFailure: false);
                break;
            case BgpEvent.HeaderError error:
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.OpenMessageError error:
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.OpenCollisionDump:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.KeepaliveReceived:
                step.RestartHoldTimer();
                step.ChangeTo(SessionState.Established);
                break;
            default:
                // Events 9, 12-13, 19 (a second OPEN on this connection), 20, 27-28 and ROUTE-REFRESH.
                UnexpectedEvent(ref step);
                break;
        }
    }

    // §8.2.2 Established: UPDATEs flow.
    private static void Established(ref Step step, BgpEvent fsmEvent)
    {
        switch (fsmEvent)
        {
            case BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
                or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithDampPeerOscillations
                or BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment:
                break;
            case BgpEvent.ManualStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Stop);
                break;
            case BgpEvent.AutomaticStop stop:
                step.Add(new FsmAction.SendNotification(stop.Cease));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.HoldTimerExpires:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.HoldTimerExpired, 0)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.KeepaliveTimerExpires:
                step.Add(FsmAction.SendKeepalive.Instance);
                step.RestartKeepaliveTimer();
                break;
            case BgpEvent.TcpConnectionValid or BgpEvent.TcpConnectionRequestInvalid
                or BgpEvent.TcpConnectionRequestAcked or BgpEvent.TcpConnectionConfirmed:
                break;
            case BgpEvent.OpenCollisionDump:
                step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution)));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.NotificationVersionError or BgpEvent.NotificationReceived or BgpEvent.TcpConnectionFails:
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.KeepaliveReceived:
                step.RestartHoldTimer();
                break;
            case BgpEvent.UpdateReceived update:
                step.Add(new FsmAction.ProcessUpdate(update.Update));
                step.RestartHoldTimer();
                break;
            case BgpEvent.UpdateMessageError error:
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.HeaderError error:
                // §6.1: a header error is reported as such, not as an FSM error as event 21's place in §8.2.2 suggests.
                step.Add(new FsmAction.SendNotification(error.Error.ToNotification()));
                step.ToIdle(IdleEntry.Damp);
                break;
            case BgpEvent.RouteRefreshReceived refresh:
                step.Add(new FsmAction.ProcessRouteRefresh(refresh.Message));
                step.RestartHoldTimer();
                break;
            case BgpEvent.StableTimerExpires:
                step.State = step.State with { IdleHoldTime = step.Settings.IdleHoldTime };
                break;
            default:
                // Events 9, 12-13, 19 (a second OPEN on this connection), 20, 22.
                UnexpectedEvent(ref step);
                break;
        }
    }

    // The default arm of OpenSent, OpenConfirm and Established: FSM error with the RFC 6608 subcode.
    private static void UnexpectedEvent(ref Step step)
    {
        var subcode = UnexpectedMessageSubcode(step.State.State);
        step.Add(new FsmAction.SendNotification(new NotificationMessage(NotificationCode.FiniteStateMachineError, (byte)subcode)));
        step.ToIdle(IdleEntry.Damp);
    }

    private ref struct Step
    {
        private readonly SessionState _from;
        private readonly Random _random;
        private ImmutableArray<FsmAction>.Builder? _actions;

        public Step(FsmState state, FsmSettings settings, Random random)
        {
            State = state;
            Settings = settings;
            _from = state.State;
            _random = random;
        }

        public FsmState State { get; set; }

        public FsmSettings Settings { get; }

        public void Add(FsmAction action) => (_actions ??= ImmutableArray.CreateBuilder<FsmAction>()).Add(action);

        public void StartConnectRetryTimer() => Add(new FsmAction.StartTimer(FsmTimer.ConnectRetry, JitteredConnectRetryTime(Settings, _random)));

        public void StopDelayOpenTimer()
        {
            if (State.DelayOpenTimerRunning)
            {
                State = State with { DelayOpenTimerRunning = false };
                Add(new FsmAction.StopTimer(FsmTimer.DelayOpen));
            }
        }

        public void RestartHoldTimer()
        {
            if (State.HoldTime > TimeSpan.Zero)
            {
                Add(new FsmAction.StartTimer(FsmTimer.Hold, State.HoldTime));
            }
        }

        public void RestartKeepaliveTimer()
        {
            if (State.HoldTime > TimeSpan.Zero && State.KeepaliveTime > TimeSpan.Zero)
            {
                Add(new FsmAction.StartTimer(FsmTimer.Keepalive, State.KeepaliveTime));
            }
        }

        // §8.2.2: the negotiated hold time replaces the large one; zero runs neither timer.
        public void Negotiated(TimeSpan holdTime, TimeSpan keepaliveTime)
        {
            State = State with { HoldTime = holdTime, KeepaliveTime = keepaliveTime };
            if (holdTime > TimeSpan.Zero)
            {
                RestartKeepaliveTimer();
                RestartHoldTimer();
            }
            else
            {
                Add(new FsmAction.StopTimer(FsmTimer.Keepalive));
                Add(new FsmAction.StopTimer(FsmTimer.Hold));
            }
        }

        public void ToIdle(IdleEntry entry, bool countFailure = true)
        {
            var next = State;
            if (entry == IdleEntry.Stop)
            {
                next = next with { ConnectRetryCounter = 0, IdleHoldTime = Settings.IdleHoldTime };
            }
            else if (countFailure)
            {
                next = next with { ConnectRetryCounter = next.ConnectRetryCounter + 1 };
            }

            State = next;
            ChangeTo(SessionState.Idle);
            if (entry == IdleEntry.Stop)
            {
                return;
            }

            if (entry == IdleEntry.Restart)
            {
                // Not a flap (say the connection was refused): retry at the connect retry pace, no back-off.
                var retry = JitteredConnectRetryTime(Settings, _random);
                Add(new FsmAction.StartTimer(FsmTimer.IdleHold, retry > State.IdleHoldTime ? retry : State.IdleHoldTime));
                return;
            }

            Add(new FsmAction.StartTimer(FsmTimer.IdleHold, State.IdleHoldTime));
            if (entry == IdleEntry.Damp)
            {
                var doubled = State.IdleHoldTime * 2;
                State = State with { IdleHoldTime = doubled > Settings.MaxIdleHoldTime ? Settings.MaxIdleHoldTime : doubled };
            }
        }

        // The one place where the side effects of changing state are applied.
        public void ChangeTo(SessionState to)
        {
            State = State with { State = to };
            if (to == _from)
            {
                return;
            }

            if (_from == SessionState.Idle)
            {
                // The idle hold timer lives only in Idle.
                Add(new FsmAction.StopTimer(FsmTimer.IdleHold));
            }

            if (to == SessionState.Idle)
            {
                Add(new FsmAction.StopTimer(FsmTimer.ConnectRetry));
                Add(new FsmAction.StopTimer(FsmTimer.DelayOpen));
                Add(new FsmAction.StopTimer(FsmTimer.Hold));
                Add(new FsmAction.StopTimer(FsmTimer.Keepalive));
                Add(new FsmAction.StopTimer(FsmTimer.Stable));
                Add(FsmAction.DropConnection.Instance);
                Add(FsmAction.ReleaseResources.Instance);
                if (_from == SessionState.Established)
                {
                    Add(FsmAction.DeleteRoutes.Instance);
                }

                State = State with { DelayOpenTimerRunning = false, HoldTime = TimeSpan.Zero, KeepaliveTime = TimeSpan.Zero };
            }
            else if (to == SessionState.Established)
            {
                Add(new FsmAction.StartTimer(FsmTimer.Stable, Settings.StableTime));
                Add(FsmAction.SessionEstablished.Instance);
            }
        }

        public readonly FsmTransition Result() => new(State, _actions?.ToImmutable() ?? []);
    }
}
