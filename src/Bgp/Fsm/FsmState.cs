namespace BgpStack.Bgp.Fsm;

/// <summary>The state of one session's FSM: the RFC 4271 state plus the session attributes that change (§8.1).</summary>
/// <param name="State">The RFC 4271 state.</param>
/// <param name="ConnectRetryCounter">How many times the session failed since the last manual start or stop.</param>
/// <param name="DelayOpenTimerRunning">True while we wait for the peer's OPEN before sending ours.</param>
/// <param name="IdleHoldTime">The next idle hold time (doubled on each flap, up to the maximum).</param>
/// <param name="HoldTime">The negotiated hold time once an OPEN is accepted.</param>
/// <param name="KeepaliveTime">The negotiated keepalive interval.</param>
/// <param name="Passive">Started passive: listen only.</param>
internal readonly record struct FsmState(
    SessionState State,
    int ConnectRetryCounter,
    bool DelayOpenTimerRunning,
    TimeSpan IdleHoldTime,
    TimeSpan HoldTime,
    TimeSpan KeepaliveTime,
    bool Passive)
{
    /// <summary>Idle, nothing counted, the idle hold back-off at its first step.</summary>
    /// <param name="settings">The session's settings.</param>
    public static FsmState Initial(FsmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(SessionState.Idle, 0, false, settings.IdleHoldTime, TimeSpan.Zero, TimeSpan.Zero, settings.Passive);
    }
}
