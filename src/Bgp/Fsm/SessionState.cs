namespace BgpStack.Bgp.Fsm;

/// <summary>The states of a BGP session (RFC 4271 §8.2.2).</summary>
public enum SessionState
{
    /// <summary>Refuses connections; waits for a start event (or the idle hold timer).</summary>
    Idle,

    /// <summary>Waiting for an outgoing TCP connection to complete.</summary>
    Connect,

    /// <summary>Listening for the peer to connect to us.</summary>
    Active,

    /// <summary>Our OPEN is sent; waiting for the peer's.</summary>
    OpenSent,

    /// <summary>OPENs exchanged; waiting for the first KEEPALIVE.</summary>
    OpenConfirm,

    /// <summary>The session is up: UPDATEs flow.</summary>
    Established,
}
