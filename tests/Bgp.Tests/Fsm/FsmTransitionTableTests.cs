using BgpStack.Bgp.Fsm;
using static BgpStack.Bgp.Tests.Fsm.FsmTestKit;

namespace BgpStack.Bgp.Tests.Fsm;

/// <summary>
/// RFC 4271 §8.2.2, state by state: each row is (state, event, next state, what must happen).
/// Expectations are tokens: notify:C/S (the NOTIFICATION sent), nonotify, open, keepalive, connect,
/// drop, established, delete (routes), update, refresh, idlehold / noidlehold (automatic restart),
/// count+ / count0 / count= (ConnectRetryCounter from 2), hold4m / hold90, delayopen, cr (ConnectRetryTimer), noaction.
/// </summary>
public sealed class FsmTransitionTableTests
{
    public static TheoryData<SessionState, string, SessionState, string> Rows() => new()
    {
        // Idle
        { SessionState.Idle, "ManualStart", SessionState.Connect, "connect cr count0 nonotify" },
        { SessionState.Idle, "AutomaticStart", SessionState.Connect, "connect cr count0" },
        { SessionState.Idle, "ManualStartPassive", SessionState.Active, "noconnect count0" },
        { SessionState.Idle, "AutomaticStartPassive", SessionState.Active, "noconnect count0" },
        { SessionState.Idle, "AutomaticStartDamped", SessionState.Idle, "idlehold noconnect" },
        { SessionState.Idle, "AutomaticStartDampedPassive", SessionState.Idle, "idlehold noconnect" },
        { SessionState.Idle, "IdleHoldTimerExpires", SessionState.Connect, "connect cr count=" },
        { SessionState.Idle, "ManualStop", SessionState.Idle, "count0 noidlehold nonotify" },
        { SessionState.Idle, "AutomaticStop", SessionState.Idle, "noaction" },
        { SessionState.Idle, "ConnectRetryTimerExpires", SessionState.Idle, "noaction" },
        { SessionState.Idle, "HoldTimerExpires", SessionState.Idle, "noaction" },
        { SessionState.Idle, "KeepaliveTimerExpires", SessionState.Idle, "noaction" },
        { SessionState.Idle, "DelayOpenTimerExpires", SessionState.Idle, "noaction" },
        { SessionState.Idle, "TcpCrInvalid", SessionState.Idle, "noaction" },
        { SessionState.Idle, "TcpCrAcked", SessionState.Idle, "noaction" },
        { SessionState.Idle, "TcpConnectionConfirmed", SessionState.Idle, "noaction" },
        { SessionState.Idle, "TcpConnectionFails", SessionState.Idle, "noaction" },
        { SessionState.Idle, "BgpOpen", SessionState.Idle, "noaction" },
        { SessionState.Idle, "HeaderErr", SessionState.Idle, "noaction" },
        { SessionState.Idle, "NotifMsg", SessionState.Idle, "noaction" },
        { SessionState.Idle, "KeepAliveMsg", SessionState.Idle, "noaction" },
        { SessionState.Idle, "UpdateMsg", SessionState.Idle, "noaction" },
        { SessionState.Idle, "UpdateMsgErr", SessionState.Idle, "noaction" },

        // Connect
        { SessionState.Connect, "ManualStart", SessionState.Connect, "noaction" },
        { SessionState.Connect, "AutomaticStartPassive", SessionState.Connect, "noaction" },
        { SessionState.Connect, "ManualStop", SessionState.Idle, "drop count0 noidlehold nonotify" },
        { SessionState.Connect, "ConnectRetryTimerExpires", SessionState.Connect, "drop connect cr count=" },
        { SessionState.Connect, "TcpConnectionValid", SessionState.Connect, "noaction" },
        { SessionState.Connect, "TcpCrInvalid", SessionState.Connect, "noaction" },
        { SessionState.Connect, "TcpCrAcked", SessionState.OpenSent, "open hold4m" },
        { SessionState.Connect, "TcpConnectionConfirmed", SessionState.OpenSent, "open hold4m" },
        { SessionState.Connect, "TcpConnectionFails", SessionState.Idle, "drop count+ idlehold nonotify" },
        { SessionState.Connect, "HeaderErr", SessionState.Idle, "notify:1/2 drop count+ idlehold" },
        { SessionState.Connect, "OpenMsgErr", SessionState.Idle, "notify:2/2 drop count+ idlehold" },
        { SessionState.Connect, "NotifMsgVerErr", SessionState.Idle, "drop count+ nonotify" },
        { SessionState.Connect, "AutomaticStop", SessionState.Idle, "drop count+ idlehold nonotify" },
        { SessionState.Connect, "HoldTimerExpires", SessionState.Idle, "drop count+ idlehold" },
        { SessionState.Connect, "KeepaliveTimerExpires", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "IdleHoldTimerExpires", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "BgpOpen", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "OpenCollisionDump", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "NotifMsg", SessionState.Idle, "drop count+ nonotify" },
        { SessionState.Connect, "KeepAliveMsg", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "UpdateMsg", SessionState.Idle, "drop count+" },
        { SessionState.Connect, "UpdateMsgErr", SessionState.Idle, "drop count+" },

        // Active
        { SessionState.Active, "AutomaticStart", SessionState.Active, "noaction" },
        { SessionState.Active, "ManualStop", SessionState.Idle, "drop count0 noidlehold nonotify" },
        { SessionState.Active, "ConnectRetryTimerExpires", SessionState.Connect, "connect cr" },
        { SessionState.Active, "TcpConnectionValid", SessionState.Active, "noaction" },
        { SessionState.Active, "TcpCrInvalid", SessionState.Active, "noaction" },
        { SessionState.Active, "TcpCrAcked", SessionState.OpenSent, "open hold4m" },
        { SessionState.Active, "TcpConnectionConfirmed", SessionState.OpenSent, "open hold4m" },
        { SessionState.Active, "TcpConnectionFails", SessionState.Idle, "drop count+ idlehold" },
        { SessionState.Active, "HeaderErr", SessionState.Idle, "notify:1/2 count+" },
        { SessionState.Active, "OpenMsgErr", SessionState.Idle, "notify:2/2 count+" },
        { SessionState.Active, "NotifMsgVerErr", SessionState.Idle, "count+ nonotify" },
        { SessionState.Active, "AutomaticStop", SessionState.Idle, "count+ nonotify" },
        { SessionState.Active, "HoldTimerExpires", SessionState.Idle, "count+" },
        { SessionState.Active, "KeepaliveTimerExpires", SessionState.Idle, "count+" },
        { SessionState.Active, "BgpOpen", SessionState.Idle, "count+" },
        { SessionState.Active, "OpenCollisionDump", SessionState.Idle, "count+" },
        { SessionState.Active, "NotifMsg", SessionState.Idle, "count+" },
        { SessionState.Active, "KeepAliveMsg", SessionState.Idle, "count+" },
        { SessionState.Active, "UpdateMsg", SessionState.Idle, "count+" },
        { SessionState.Active, "UpdateMsgErr", SessionState.Idle, "count+" },

        // OpenSent
        { SessionState.OpenSent, "ManualStart", SessionState.OpenSent, "noaction" },
        { SessionState.OpenSent, "ManualStop", SessionState.Idle, "notify:6/2 drop count0 noidlehold" },
        { SessionState.OpenSent, "AutomaticStop", SessionState.Idle, "notify:6/1 drop count+ idlehold" },
        { SessionState.OpenSent, "HoldTimerExpires", SessionState.Idle, "notify:4/0 drop count+ idlehold" },
        { SessionState.OpenSent, "TcpConnectionValid", SessionState.OpenSent, "noaction" },
        { SessionState.OpenSent, "TcpCrInvalid", SessionState.OpenSent, "noaction" },
        { SessionState.OpenSent, "TcpCrAcked", SessionState.OpenSent, "noaction" },
        { SessionState.OpenSent, "TcpConnectionConfirmed", SessionState.OpenSent, "noaction" },
        { SessionState.OpenSent, "TcpConnectionFails", SessionState.Active, "drop cr count= nonotify" },
        { SessionState.OpenSent, "BgpOpen", SessionState.OpenConfirm, "keepalive hold90 count= nonotify" },
        { SessionState.OpenSent, "HeaderErr", SessionState.Idle, "notify:1/2 drop count+" },
        { SessionState.OpenSent, "OpenMsgErr", SessionState.Idle, "notify:2/2 drop count+" },
        { SessionState.OpenSent, "OpenCollisionDump", SessionState.Idle, "notify:6/7 drop count+" },
        { SessionState.OpenSent, "NotifMsgVerErr", SessionState.Idle, "drop count= nonotify" },
        { SessionState.OpenSent, "NotifMsg", SessionState.Idle, "drop count+ nonotify" },
        { SessionState.OpenSent, "ConnectRetryTimerExpires", SessionState.Idle, "notify:5/1 drop count+" },
        { SessionState.OpenSent, "KeepaliveTimerExpires", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "DelayOpenTimerExpires", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "IdleHoldTimerExpires", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "BgpOpenDelayed", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "KeepAliveMsg", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "UpdateMsg", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "UpdateMsgErr", SessionState.Idle, "notify:5/1 count+" },
        { SessionState.OpenSent, "RouteRefresh", SessionState.Idle, "notify:5/1 count+" },

        // OpenConfirm
        { SessionState.OpenConfirm, "AutomaticStart", SessionState.OpenConfirm, "noaction" },
        { SessionState.OpenConfirm, "ManualStop", SessionState.Idle, "notify:6/2 drop count0 noidlehold" },
        { SessionState.OpenConfirm, "AutomaticStop", SessionState.Idle, "notify:6/1 drop count+ idlehold" },
        { SessionState.OpenConfirm, "HoldTimerExpires", SessionState.Idle, "notify:4/0 drop count+" },
        { SessionState.OpenConfirm, "KeepaliveTimerExpires", SessionState.OpenConfirm, "keepalive count= nonotify" },
        { SessionState.OpenConfirm, "TcpConnectionValid", SessionState.OpenConfirm, "noaction" },
        { SessionState.OpenConfirm, "TcpCrInvalid", SessionState.OpenConfirm, "noaction" },
        { SessionState.OpenConfirm, "TcpCrAcked", SessionState.OpenConfirm, "noaction" },
        { SessionState.OpenConfirm, "TcpConnectionConfirmed", SessionState.OpenConfirm, "noaction" },
        { SessionState.OpenConfirm, "TcpConnectionFails", SessionState.Idle, "drop count+ nonotify" },
        { SessionState.OpenConfirm, "NotifMsg", SessionState.Idle, "drop count+ nonotify" },
        { SessionState.OpenConfirm, "NotifMsgVerErr", SessionState.Idle, "drop count= nonotify" },
        { SessionState.OpenConfirm, "HeaderErr", SessionState.Idle, "notify:1/2 drop count+" },
        { SessionState.OpenConfirm, "OpenMsgErr", SessionState.Idle, "notify:2/2 drop count+" },
        { SessionState.OpenConfirm, "OpenCollisionDump", SessionState.Idle, "notify:6/7 drop count+" },
        { SessionState.OpenConfirm, "KeepAliveMsg", SessionState.Established, "established hold90 nonotify" },
        { SessionState.OpenConfirm, "ConnectRetryTimerExpires", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "DelayOpenTimerExpires", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "IdleHoldTimerExpires", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "BgpOpen", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "BgpOpenDelayed", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "UpdateMsg", SessionState.Idle, "notify:5/2 count+" },
        { SessionState.OpenConfirm, "UpdateMsgErr", SessionState.Idle, "notify:5/2 count+" },

        // Established
        { SessionState.Established, "ManualStart", SessionState.Established, "noaction" },
        { SessionState.Established, "ManualStop", SessionState.Idle, "notify:6/2 drop delete count0 noidlehold" },
        { SessionState.Established, "AutomaticStop", SessionState.Idle, "notify:6/1 drop delete count+ idlehold" },
        { SessionState.Established, "HoldTimerExpires", SessionState.Idle, "notify:4/0 drop delete count+ idlehold" },
        { SessionState.Established, "KeepaliveTimerExpires", SessionState.Established, "keepalive nonotify" },
        { SessionState.Established, "TcpConnectionValid", SessionState.Established, "noaction" },
        { SessionState.Established, "TcpCrInvalid", SessionState.Established, "noaction" },
        { SessionState.Established, "TcpCrAcked", SessionState.Established, "noaction" },
        { SessionState.Established, "TcpConnectionConfirmed", SessionState.Established, "noaction" },
        { SessionState.Established, "OpenCollisionDump", SessionState.Idle, "notify:6/7 drop delete count+" },
        { SessionState.Established, "NotifMsgVerErr", SessionState.Idle, "drop delete count+ nonotify" },
        { SessionState.Established, "NotifMsg", SessionState.Idle, "drop delete count+ nonotify" },
        { SessionState.Established, "TcpConnectionFails", SessionState.Idle, "drop delete count+ nonotify" },
        { SessionState.Established, "KeepAliveMsg", SessionState.Established, "hold90 nonotify" },
        { SessionState.Established, "UpdateMsg", SessionState.Established, "update hold90 nonotify" },
        { SessionState.Established, "RouteRefresh", SessionState.Established, "refresh nonotify" },
        { SessionState.Established, "UpdateMsgErr", SessionState.Idle, "notify:3/11 drop delete count+" },
        { SessionState.Established, "HeaderErr", SessionState.Idle, "notify:1/2 drop delete count+" },
        { SessionState.Established, "ConnectRetryTimerExpires", SessionState.Idle, "notify:5/3 delete count+" },
        { SessionState.Established, "DelayOpenTimerExpires", SessionState.Idle, "notify:5/3 delete count+" },
        { SessionState.Established, "IdleHoldTimerExpires", SessionState.Idle, "notify:5/3 delete count+" },
        { SessionState.Established, "BgpOpen", SessionState.Idle, "notify:5/3 delete count+" },
        { SessionState.Established, "BgpOpenDelayed", SessionState.Idle, "notify:5/3 delete count+" },
        { SessionState.Established, "OpenMsgErr", SessionState.Idle, "notify:5/3 delete count+" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Transition_follows_rfc_4271(SessionState from, string eventName, SessionState to, string expect)
    {
        var settings = Settings();
        var state = In(from, settings);
        var (next, actions) = BgpFsm.Next(state, Event(eventName), settings, new FixedRandom(1.0));

        Assert.Equal(to, next.State);
        foreach (var token in expect.Split(' '))
        {
            switch (token)
            {
                case "noaction":
                    Assert.Empty(actions);
                    Assert.Equal(state, next);
                    break;
                case "nonotify":
                    Assert.Null(SentNotification(actions));
                    break;
                case var _ when token.StartsWith("notify:", StringComparison.Ordinal):
                    var sent = SentNotification(actions);
                    Assert.NotNull(sent);
                    Assert.Equal(token["notify:".Length..], $"{(byte)sent.Code}/{sent.Subcode}");
                    break;
                case "open":
                    Assert.Contains(FsmAction.SendOpen.Instance, actions);
                    break;
                case "keepalive":
                    Assert.Contains(FsmAction.SendKeepalive.Instance, actions);
                    break;
                case "connect":
                    Assert.Contains(FsmAction.InitiateConnection.Instance, actions);
                    break;
                case "noconnect":
                    Assert.DoesNotContain(FsmAction.InitiateConnection.Instance, actions);
                    break;
                case "drop":
                    Assert.Contains(FsmAction.DropConnection.Instance, actions);
                    break;
                case "established":
                    Assert.Contains(FsmAction.SessionEstablished.Instance, actions);
                    break;
                case "delete":
                    Assert.Contains(FsmAction.DeleteRoutes.Instance, actions);
                    break;
                case "update":
                    Assert.Single(actions.OfType<FsmAction.ProcessUpdate>());
                    break;
                case "refresh":
                    Assert.Single(actions.OfType<FsmAction.ProcessRouteRefresh>());
                    break;
                case "idlehold":
                    Assert.NotNull(Started(actions, FsmTimer.IdleHold));
                    break;
                case "noidlehold":
                    Assert.Null(Started(actions, FsmTimer.IdleHold));
                    break;
                case "count+":
                    Assert.Equal(3, next.ConnectRetryCounter);
                    break;
                case "count0":
                    Assert.Equal(0, next.ConnectRetryCounter);
                    break;
                case "count=":
                    Assert.Equal(2, next.ConnectRetryCounter);
                    break;
                case "hold4m":
                    Assert.Equal(TimeSpan.FromMinutes(4), Started(actions, FsmTimer.Hold));
                    break;
                case "hold90":
                    Assert.Equal(TimeSpan.FromSeconds(90), Started(actions, FsmTimer.Hold));
                    break;
                case "cr":
                    Assert.Equal(TimeSpan.FromSeconds(4), Started(actions, FsmTimer.ConnectRetry));
                    break;
                default:
                    throw new InvalidOperationException($"unknown expectation {token}");
            }
        }

        if (to == SessionState.Idle && from != SessionState.Idle)
        {
            // Whatever the reason, Idle holds no timers but the idle hold one and no connection.
            Assert.Contains(new FsmAction.StopTimer(FsmTimer.Hold), actions);
            Assert.Contains(new FsmAction.StopTimer(FsmTimer.Keepalive), actions);
            Assert.Contains(new FsmAction.StopTimer(FsmTimer.ConnectRetry), actions);
            Assert.Contains(FsmAction.DropConnection.Instance, actions);
            Assert.False(next.DelayOpenTimerRunning);
        }
    }
}
