namespace BgpStack.Bgp.Fsm;

/// <summary>The timers of a session (RFC 4271 §8, §10); the session runs them, the FSM starts and stops them.</summary>
internal enum FsmTimer
{
    /// <summary>Between attempts to connect out.</summary>
    ConnectRetry,

    /// <summary>The longest silence from the peer.</summary>
    Hold,

    /// <summary>When we send the next KEEPALIVE.</summary>
    Keepalive,

    /// <summary>How long we wait for the peer's OPEN before sending ours (DelayOpen).</summary>
    DelayOpen,

    /// <summary>How long we stay Idle before starting again (peer oscillation damping).</summary>
    IdleHold,

    /// <summary>How long the session must stay Established before the idle hold back-off starts over.</summary>
    Stable,
}
