using System.Collections.Immutable;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Fsm;

/// <summary>A random source that always returns the same value, so jitter is predictable.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}

/// <summary>Builds FSM states and events by name for table-driven tests.</summary>
internal static class FsmTestKit
{
    public static readonly NotificationMessage AdminShutdown = NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, "maintenance");

    public static readonly NotificationMessage MaxPrefix = new(NotificationCode.Cease, (byte)CeaseSubcode.MaximumPrefixesReached);

    public static readonly BgpError BadLength = BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [0, 10], "short");

    public static readonly BgpError BadPeerAs = BgpError.Open(OpenMessageErrorSubcode.BadPeerAs, [], "as");

    public static readonly BgpError MalformedAsPath = BgpError.Update(UpdateMessageErrorSubcode.MalformedAsPath, [], "path");

    public static FsmSettings Settings(TimeSpan? delayOpen = null, bool passive = false) => new()
    {
        ConnectRetryTime = TimeSpan.FromSeconds(4),
        DelayOpenTime = delayOpen,
        IdleHoldTime = TimeSpan.FromSeconds(1),
        MaxIdleHoldTime = TimeSpan.FromSeconds(8),
        StableTime = TimeSpan.FromSeconds(60),
        Passive = passive,
    };

    public static FsmState In(SessionState state, FsmSettings settings, bool delayOpenRunning = false, int counter = 2) =>
        FsmState.Initial(settings) with
        {
            State = state,
            ConnectRetryCounter = counter,
            DelayOpenTimerRunning = delayOpenRunning,
            HoldTime = state is SessionState.OpenConfirm or SessionState.Established ? TimeSpan.FromSeconds(90) : TimeSpan.Zero,
            KeepaliveTime = state is SessionState.OpenConfirm or SessionState.Established ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
        };

    public static BgpEvent Event(string name) => name switch
    {
        "ManualStart" => new BgpEvent.ManualStart(),
        "ManualStop" => new BgpEvent.ManualStop(AdminShutdown),
        "AutomaticStart" => new BgpEvent.AutomaticStart(),
        "ManualStartPassive" => new BgpEvent.ManualStartWithPassiveTcpEstablishment(),
        "AutomaticStartPassive" => new BgpEvent.AutomaticStartWithPassiveTcpEstablishment(),
        "AutomaticStartDamped" => new BgpEvent.AutomaticStartWithDampPeerOscillations(),
        "AutomaticStartDampedPassive" => new BgpEvent.AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment(),
        "AutomaticStop" => new BgpEvent.AutomaticStop(MaxPrefix),
        "ConnectRetryTimerExpires" => new BgpEvent.ConnectRetryTimerExpires(),
        "HoldTimerExpires" => new BgpEvent.HoldTimerExpires(),
        "KeepaliveTimerExpires" => new BgpEvent.KeepaliveTimerExpires(),
        "DelayOpenTimerExpires" => new BgpEvent.DelayOpenTimerExpires(),
        "IdleHoldTimerExpires" => new BgpEvent.IdleHoldTimerExpires(),
        "TcpConnectionValid" => new BgpEvent.TcpConnectionValid(),
        "TcpCrInvalid" => new BgpEvent.TcpConnectionRequestInvalid(),
        "TcpCrAcked" => new BgpEvent.TcpConnectionRequestAcked(),
        "TcpConnectionConfirmed" => new BgpEvent.TcpConnectionConfirmed(),
        "TcpConnectionFails" => new BgpEvent.TcpConnectionFails(),
        "BgpOpen" => new BgpEvent.OpenReceived(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30)),
        "BgpOpenDelayed" => new BgpEvent.OpenReceivedWithDelayOpenTimerRunning(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30)),
        "HeaderErr" => new BgpEvent.HeaderError(BadLength),
        "OpenMsgErr" => new BgpEvent.OpenMessageError(BadPeerAs),
        "OpenCollisionDump" => new BgpEvent.OpenCollisionDump(),
        "NotifMsgVerErr" => new BgpEvent.NotificationVersionError(new NotificationMessage(NotificationCode.OpenMessageError, 1)),
        "NotifMsg" => new BgpEvent.NotificationReceived(new NotificationMessage(NotificationCode.Cease, 2)),
        "KeepAliveMsg" => new BgpEvent.KeepaliveReceived(),
        "UpdateMsg" => new BgpEvent.UpdateReceived(new UpdateMessage()),
        "UpdateMsgErr" => new BgpEvent.UpdateMessageError(MalformedAsPath),
        "RouteRefresh" => new BgpEvent.RouteRefreshReceived(new RouteRefreshMessage(AfiSafi.Ipv4Unicast)),
        "StableTimerExpires" => new BgpEvent.StableTimerExpires(),
        _ => throw new ArgumentException($"no event {name}", nameof(name)),
    };

    public static NotificationMessage? SentNotification(ImmutableArray<FsmAction> actions) =>
        actions.OfType<FsmAction.SendNotification>().Select(a => a.Notification).SingleOrDefault();

    public static TimeSpan? Started(ImmutableArray<FsmAction> actions, FsmTimer timer) =>
        actions.OfType<FsmAction.StartTimer>().LastOrDefault(a => a.Timer == timer)?.Duration;
}
