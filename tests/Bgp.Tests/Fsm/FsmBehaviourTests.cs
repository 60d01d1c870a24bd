using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;
using static BgpStack.Bgp.Tests.Fsm.FsmTestKit;

namespace BgpStack.Bgp.Tests.Fsm;

public sealed class FsmBehaviourTests
{
    private static readonly Random Jitter = new FixedRandom(1.0);

    [Theory]
    [InlineData(SessionState.OpenSent)]
    [InlineData(SessionState.OpenConfirm)]
    [InlineData(SessionState.Established)]
    public void Hold_timer_expiry_sends_notification_4_0(SessionState state)
    {
        var settings = Settings();
        var (next, actions) = BgpFsm.Next(In(state, settings), new BgpEvent.HoldTimerExpires(), settings, Jitter);

        Assert.Equal(SessionState.Idle, next.State);
        var sent = SentNotification(actions);
        Assert.Equal(new NotificationMessage(NotificationCode.HoldTimerExpired, 0), sent);
        // The NOTIFICATION goes out before the connection is dropped.
        Assert.True(actions.IndexOf(new FsmAction.SendNotification(sent!)) < actions.IndexOf(FsmAction.DropConnection.Instance));
    }

    [Theory]
    [InlineData(SessionState.OpenSent, "KeepAliveMsg", FsmErrorSubcode.UnexpectedMessageInOpenSent)]
    [InlineData(SessionState.OpenSent, "UpdateMsg", FsmErrorSubcode.UnexpectedMessageInOpenSent)]
    [InlineData(SessionState.OpenConfirm, "UpdateMsg", FsmErrorSubcode.UnexpectedMessageInOpenConfirm)]
    [InlineData(SessionState.OpenConfirm, "RouteRefresh", FsmErrorSubcode.UnexpectedMessageInOpenConfirm)]
    [InlineData(SessionState.Established, "BgpOpen", FsmErrorSubcode.UnexpectedMessageInEstablished)]
    public void Unexpected_message_sends_the_rfc_6608_subcode_of_the_state(SessionState state, string eventName, FsmErrorSubcode subcode)
    {
        var settings = Settings();
        var (next, actions) = BgpFsm.Next(In(state, settings), Event(eventName), settings, Jitter);

        Assert.Equal(SessionState.Idle, next.State);
        Assert.Equal(new NotificationMessage(NotificationCode.FiniteStateMachineError, (byte)subcode), SentNotification(actions));
    }

    [Fact]
    public void Rfc_6608_subcodes_per_state()
    {
        Assert.Equal(FsmErrorSubcode.Unspecified, BgpFsm.UnexpectedMessageSubcode(SessionState.Connect));
        Assert.Equal(FsmErrorSubcode.UnexpectedMessageInOpenSent, BgpFsm.UnexpectedMessageSubcode(SessionState.OpenSent));
        Assert.Equal(FsmErrorSubcode.UnexpectedMessageInOpenConfirm, BgpFsm.UnexpectedMessageSubcode(SessionState.OpenConfirm));
        Assert.Equal(FsmErrorSubcode.UnexpectedMessageInEstablished, BgpFsm.UnexpectedMessageSubcode(SessionState.Established));
    }

    [Fact]
    public void Idle_hold_time_doubles_on_each_flap_and_stops_at_the_maximum()
    {
        var settings = Settings(); // 1 s, at most 8 s
        var state = Drive(FsmState.Initial(settings), settings, "ManualStart");
        var observed = new List<TimeSpan>();
        for (var flap = 0; flap < 6; flap++)
        {
            state = Drive(state, settings, "TcpCrAcked", "BgpOpen", "KeepAliveMsg");
            Assert.Equal(SessionState.Established, state.State);
            (state, var actions) = BgpFsm.Next(state, new BgpEvent.HoldTimerExpires(), settings, Jitter);
            observed.Add(Started(actions, FsmTimer.IdleHold)!.Value);

            // The automatic restart after the idle hold time keeps the back-off.
            state = Drive(state, settings, "IdleHoldTimerExpires");
            Assert.Equal(SessionState.Connect, state.State);
        }

        Assert.Equal(new[] { 1, 2, 4, 8, 8, 8 }.Select(s => TimeSpan.FromSeconds(s)), observed);
        Assert.Equal(6, state.ConnectRetryCounter);
    }

    [Fact]
    public void Idle_hold_back_off_doubles_then_caps_per_flap()
    {
        var settings = Settings();
        var state = In(SessionState.Established, settings);
        var holds = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            state = state with { State = SessionState.Established };
            (state, var actions) = BgpFsm.Next(state, new BgpEvent.NotificationReceived(new NotificationMessage(NotificationCode.Cease, 4)), settings, Jitter);
            holds.Add(Started(actions, FsmTimer.IdleHold)!.Value);
        }

        Assert.Equal(new[] { 1, 2, 4, 8, 8, 8 }.Select(s => TimeSpan.FromSeconds(s)), holds);
    }

    [Fact]
    public void A_refused_connection_retries_at_the_connect_retry_pace_without_back_off()
    {
        var settings = Settings(); // connect retry 4 s, idle hold 1 s
        var connecting = In(SessionState.Connect, settings);
        var (idle, actions) = BgpFsm.Next(connecting, new BgpEvent.TcpConnectionFails(), settings, new FixedRandom(0.0));
        Assert.Equal(SessionState.Idle, idle.State);
        Assert.Equal(TimeSpan.FromSeconds(3), Started(actions, FsmTimer.IdleHold));
        Assert.Equal(TimeSpan.FromSeconds(1), idle.IdleHoldTime);

        // A longer back-off left by earlier flaps still applies.
        var (_, later) = BgpFsm.Next(connecting with { IdleHoldTime = TimeSpan.FromSeconds(8) }, new BgpEvent.TcpConnectionFails(), settings, Jitter);
        Assert.Equal(TimeSpan.FromSeconds(8), Started(later, FsmTimer.IdleHold));
    }

    [Fact]
    public void A_stable_session_and_a_manual_start_reset_the_back_off()
    {
        var settings = Settings();
        var state = In(SessionState.Established, settings) with { IdleHoldTime = TimeSpan.FromSeconds(8) };
        var (stable, actions) = BgpFsm.Next(state, new BgpEvent.StableTimerExpires(), settings, Jitter);
        Assert.Equal(TimeSpan.FromSeconds(1), stable.IdleHoldTime);
        Assert.Equal(SessionState.Established, stable.State);
        Assert.Empty(actions);

        var idle = In(SessionState.Idle, settings) with { IdleHoldTime = TimeSpan.FromSeconds(8) };
        var (started, _) = BgpFsm.Next(idle, new BgpEvent.ManualStart(), settings, Jitter);
        Assert.Equal(TimeSpan.FromSeconds(1), started.IdleHoldTime);
        Assert.Equal(0, started.ConnectRetryCounter);
    }

    [Fact]
    public void Reaching_established_starts_the_stable_timer_and_leaving_stops_it()
    {
        var settings = Settings();
        var (up, actions) = BgpFsm.Next(In(SessionState.OpenConfirm, settings), new BgpEvent.KeepaliveReceived(), settings, Jitter);
        Assert.Equal(TimeSpan.FromSeconds(60), Started(actions, FsmTimer.Stable));
        var (_, down) = BgpFsm.Next(up, new BgpEvent.TcpConnectionFails(), settings, Jitter);
        Assert.Contains(new FsmAction.StopTimer(FsmTimer.Stable), down);
    }

    [Fact]
    public void Damped_automatic_start_waits_for_the_idle_hold_timer()
    {
        var settings = Settings();
        var idle = FsmState.Initial(settings) with { IdleHoldTime = TimeSpan.FromSeconds(4) };
        var (waiting, actions) = BgpFsm.Next(idle, new BgpEvent.AutomaticStartWithDampPeerOscillations(), settings, Jitter);
        Assert.Equal(SessionState.Idle, waiting.State);
        Assert.Equal(TimeSpan.FromSeconds(4), Started(actions, FsmTimer.IdleHold));

        var (connecting, next) = BgpFsm.Next(waiting, new BgpEvent.IdleHoldTimerExpires(), settings, Jitter);
        Assert.Equal(SessionState.Connect, connecting.State);
        Assert.Contains(FsmAction.InitiateConnection.Instance, next);
    }

    [Theory]
    [InlineData(0.0, 3.0)]
    [InlineData(0.5, 3.5)]
    [InlineData(1.0, 4.0)]
    public void Connect_retry_time_is_jittered_between_75_and_100_percent(double random, double seconds)
    {
        var settings = Settings(); // 4 s
        var (_, actions) = BgpFsm.Next(FsmState.Initial(settings), new BgpEvent.ManualStart(), settings, new FixedRandom(random));
        Assert.Equal(TimeSpan.FromSeconds(seconds), Started(actions, FsmTimer.ConnectRetry));
    }

    [Fact]
    public void Delay_open_waits_for_the_timer_then_sends_open()
    {
        var settings = Settings(delayOpen: TimeSpan.FromSeconds(5));
        var (delayed, actions) = BgpFsm.Next(In(SessionState.Connect, settings), new BgpEvent.TcpConnectionRequestAcked(), settings, Jitter);
        Assert.Equal(SessionState.Connect, delayed.State);
        Assert.True(delayed.DelayOpenTimerRunning);
        Assert.Equal(TimeSpan.FromSeconds(5), Started(actions, FsmTimer.DelayOpen));
        Assert.Contains(new FsmAction.StopTimer(FsmTimer.ConnectRetry), actions);
        Assert.DoesNotContain(FsmAction.SendOpen.Instance, actions);

        var (sent, next) = BgpFsm.Next(delayed, new BgpEvent.DelayOpenTimerExpires(), settings, Jitter);
        Assert.Equal(SessionState.OpenSent, sent.State);
        Assert.False(sent.DelayOpenTimerRunning);
        Assert.Contains(FsmAction.SendOpen.Instance, next);
        Assert.Equal(TimeSpan.FromMinutes(4), Started(next, FsmTimer.Hold));
    }

    [Theory]
    [InlineData(SessionState.Connect)]
    [InlineData(SessionState.Active)]
    public void Delay_open_answers_an_early_open_with_open_and_keepalive(SessionState state)
    {
        var settings = Settings(delayOpen: TimeSpan.FromSeconds(5));
        var running = In(state, settings, delayOpenRunning: true);
        var (confirm, actions) = BgpFsm.Next(running, new BgpEvent.OpenReceivedWithDelayOpenTimerRunning(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(3)), settings, Jitter);

        Assert.Equal(SessionState.OpenConfirm, confirm.State);
        Assert.False(confirm.DelayOpenTimerRunning);
        Assert.True(actions.IndexOf(FsmAction.SendOpen.Instance) < actions.IndexOf(FsmAction.SendKeepalive.Instance));
        Assert.Contains(new FsmAction.StopTimer(FsmTimer.DelayOpen), actions);
        Assert.Equal(TimeSpan.FromSeconds(9), Started(actions, FsmTimer.Hold));
        Assert.Equal(TimeSpan.FromSeconds(3), Started(actions, FsmTimer.Keepalive));
    }

    [Fact]
    public void Delay_open_connection_failure_in_connect_falls_back_to_active()
    {
        var settings = Settings(delayOpen: TimeSpan.FromSeconds(5));
        var (active, actions) = BgpFsm.Next(In(SessionState.Connect, settings, delayOpenRunning: true), new BgpEvent.TcpConnectionFails(), settings, Jitter);
        Assert.Equal(SessionState.Active, active.State);
        Assert.False(active.DelayOpenTimerRunning);
        Assert.Equal(TimeSpan.FromSeconds(4), Started(actions, FsmTimer.ConnectRetry));
    }

    [Fact]
    public void Delay_open_version_error_goes_idle_without_counting()
    {
        var settings = Settings(delayOpen: TimeSpan.FromSeconds(5));
        var (idle, _) = BgpFsm.Next(In(SessionState.Active, settings, delayOpenRunning: true), Event("NotifMsgVerErr"), settings, Jitter);
        Assert.Equal(SessionState.Idle, idle.State);
        Assert.Equal(2, idle.ConnectRetryCounter);
    }

    [Fact]
    public void Manual_stop_with_delay_open_running_sends_the_cease()
    {
        var settings = Settings(delayOpen: TimeSpan.FromSeconds(5));
        var (_, actions) = BgpFsm.Next(In(SessionState.Active, settings, delayOpenRunning: true), Event("ManualStop"), settings, Jitter);
        Assert.Equal(AdminShutdown, SentNotification(actions));
    }

    [Fact]
    public void Passive_peer_listens_and_never_connects()
    {
        var settings = Settings(passive: true);
        var (active, actions) = BgpFsm.Next(FsmState.Initial(settings), new BgpEvent.ManualStart(), settings, Jitter);
        Assert.Equal(SessionState.Active, active.State);
        Assert.True(active.Passive);
        Assert.DoesNotContain(FsmAction.InitiateConnection.Instance, actions);
        Assert.Null(Started(actions, FsmTimer.ConnectRetry));

        var (still, none) = BgpFsm.Next(active, new BgpEvent.ConnectRetryTimerExpires(), settings, Jitter);
        Assert.Equal(SessionState.Active, still.State);
        Assert.Empty(none);

        var (sent, open) = BgpFsm.Next(active, new BgpEvent.TcpConnectionConfirmed(), settings, Jitter);
        Assert.Equal(SessionState.OpenSent, sent.State);
        Assert.Contains(FsmAction.SendOpen.Instance, open);

        var (back, fail) = BgpFsm.Next(sent, new BgpEvent.TcpConnectionFails(), settings, Jitter);
        Assert.Equal(SessionState.Active, back.State);
        Assert.Null(Started(fail, FsmTimer.ConnectRetry));

        var (idle, drop) = BgpFsm.Next(sent, new BgpEvent.HoldTimerExpires(), settings, Jitter);
        var (restarted, again) = BgpFsm.Next(idle, new BgpEvent.IdleHoldTimerExpires(), settings, Jitter);
        Assert.Equal(SessionState.Active, restarted.State);
        Assert.DoesNotContain(FsmAction.InitiateConnection.Instance, again);
        Assert.NotNull(Started(drop, FsmTimer.IdleHold));
    }

    [Theory]
    [InlineData("ManualStart")]
    [InlineData("AutomaticStart")]
    [InlineData("IdleHoldTimerExpires")]
    public void Leaving_idle_stops_the_idle_hold_timer(string start)
    {
        var settings = Settings();
        var (_, actions) = BgpFsm.Next(FsmState.Initial(settings), Event(start), settings, Jitter);
        Assert.Contains(new FsmAction.StopTimer(FsmTimer.IdleHold), actions);
    }

    [Fact]
    public void Passive_start_event_makes_an_active_peer_listen()
    {
        var settings = Settings();
        var (active, actions) = BgpFsm.Next(FsmState.Initial(settings), new BgpEvent.ManualStartWithPassiveTcpEstablishment(), settings, Jitter);
        Assert.Equal(SessionState.Active, active.State);
        Assert.DoesNotContain(FsmAction.InitiateConnection.Instance, actions);
    }

    [Fact]
    public void Zero_hold_time_runs_neither_hold_nor_keepalive_timer()
    {
        var settings = Settings();
        var (confirm, actions) = BgpFsm.Next(In(SessionState.OpenSent, settings), new BgpEvent.OpenReceived(TimeSpan.Zero, TimeSpan.Zero), settings, Jitter);
        Assert.Equal(SessionState.OpenConfirm, confirm.State);
        Assert.Null(Started(actions, FsmTimer.Hold));
        Assert.Null(Started(actions, FsmTimer.Keepalive));
        Assert.Contains(new FsmAction.StopTimer(FsmTimer.Hold), actions);

        var (up, established) = BgpFsm.Next(confirm, new BgpEvent.KeepaliveReceived(), settings, Jitter);
        Assert.Equal(SessionState.Established, up.State);
        Assert.Null(Started(established, FsmTimer.Hold));
        var (_, keepalive) = BgpFsm.Next(up, new BgpEvent.KeepaliveTimerExpires(), settings, Jitter);
        Assert.Null(Started(keepalive, FsmTimer.Keepalive));
    }

    [Fact]
    public void Keepalive_timer_expiry_sends_keepalive_and_restarts_with_the_negotiated_interval()
    {
        var settings = Settings();
        var (_, actions) = BgpFsm.Next(In(SessionState.Established, settings), new BgpEvent.KeepaliveTimerExpires(), settings, Jitter);
        Assert.Equal(new FsmAction[] { FsmAction.SendKeepalive.Instance, new FsmAction.StartTimer(FsmTimer.Keepalive, TimeSpan.FromSeconds(30)) }, actions.ToArray());
    }

    [Fact]
    public void Every_event_is_numbered_as_in_rfc_4271()
    {
        string[] names =
        [
            "ManualStart", "ManualStop", "AutomaticStart", "ManualStartPassive", "AutomaticStartPassive", "AutomaticStartDamped",
            "AutomaticStartDampedPassive", "AutomaticStop", "ConnectRetryTimerExpires", "HoldTimerExpires", "KeepaliveTimerExpires",
            "DelayOpenTimerExpires", "IdleHoldTimerExpires", "TcpConnectionValid", "TcpCrInvalid", "TcpCrAcked", "TcpConnectionConfirmed",
            "TcpConnectionFails", "BgpOpen", "BgpOpenDelayed", "HeaderErr", "OpenMsgErr", "OpenCollisionDump", "NotifMsgVerErr",
            "NotifMsg", "KeepAliveMsg", "UpdateMsg", "UpdateMsgErr",
        ];
        Assert.Equal(Enumerable.Range(1, 28), names.Select(n => Event(n).Number));
    }

    private static FsmState Drive(FsmState state, FsmSettings settings, params string[] events)
    {
        foreach (var name in events)
        {
            (state, _) = BgpFsm.Next(state, Event(name), settings, Jitter);
        }

        return state;
    }
}
