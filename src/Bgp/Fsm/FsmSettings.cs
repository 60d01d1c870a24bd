using BgpStack.Bgp.Speaker;

namespace BgpStack.Bgp.Fsm;

/// <summary>The session attributes of RFC 4271 §8.1 that shape the FSM: timer durations and optional behaviours.</summary>
internal sealed record FsmSettings
{
    /// <summary>The connect retry time before jitter (RFC 4271 §10: jittered to 75–100 %).</summary>
    public TimeSpan ConnectRetryTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The hold time while waiting for the peer's OPEN (RFC 4271 §8.2.2 suggests 4 minutes).</summary>
    public TimeSpan LargeHoldTime { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>The DelayOpen time; null turns DelayOpen off.</summary>
    public TimeSpan? DelayOpenTime { get; init; }

    /// <summary>The first idle hold time after the session drops.</summary>
    public TimeSpan IdleHoldTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The ceiling of the doubling idle hold time.</summary>
    public TimeSpan MaxIdleHoldTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the session stays Established before the idle hold back-off starts over.</summary>
    public TimeSpan StableTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Only listen: never connect out (PassiveTcpEstablishment).</summary>
    public bool Passive { get; init; }

    /// <summary>Send a NOTIFICATION for OPEN and header errors found before our OPEN went out (SendNOTIFICATIONwithoutOPEN).</summary>
    public bool SendNotificationWithoutOpen { get; init; } = true;

    /// <summary>The FSM settings of a configured peer.</summary>
    /// <param name="peer">The peer.</param>
    public static FsmSettings From(PeerOptions peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new FsmSettings
        {
            ConnectRetryTime = peer.ConnectRetryTime,
            DelayOpenTime = peer.DelayOpenTime,
            IdleHoldTime = peer.IdleHoldTime,
            MaxIdleHoldTime = peer.MaxIdleHoldTime < peer.IdleHoldTime ? peer.IdleHoldTime : peer.MaxIdleHoldTime,
            Passive = peer.Passive,
        };
    }
}
