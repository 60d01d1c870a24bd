using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Fsm;

/// <summary>
/// The input of the state machine: the events of RFC 4271 §8.1, a closed set. <see cref="Number"/>
/// is the RFC's event number (0 for the two events this implementation adds).
/// </summary>
internal abstract record BgpEvent
{
    private protected BgpEvent()
    {
    }

    /// <summary>The RFC 4271 §8.1 event number; 0 for events outside the RFC.</summary>
    public abstract int Number { get; }

    /// <summary>Event 1: the operator starts the session; we connect out.</summary>
    public sealed record ManualStart : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 1;
    }

    /// <summary>Event 2: the operator stops the session; <paramref name="Cease"/> is sent if an OPEN was.</summary>
    /// <param name="Cease">The Cease NOTIFICATION (Administrative Shutdown with a RFC 9003 message, usually).</param>
    public sealed record ManualStop(NotificationMessage Cease) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 2;
    }

    /// <summary>Event 3: the system starts the session; we connect out.</summary>
    public sealed record AutomaticStart : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 3;
    }

    /// <summary>Event 4: the operator starts a passive session; we only listen.</summary>
    public sealed record ManualStartWithPassiveTcpEstablishment : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 4;
    }

    /// <summary>Event 5: the system starts a passive session.</summary>
    public sealed record AutomaticStartWithPassiveTcpEstablishment : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 5;
    }

    /// <summary>Event 6: the system starts the session after the idle hold time (peer oscillation damping).</summary>
    public sealed record AutomaticStartWithDampPeerOscillations : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 6;
    }

    /// <summary>Event 7: as event 6 for a passive session.</summary>
    public sealed record AutomaticStartWithDampPeerOscillationsAndPassiveTcpEstablishment : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 7;
    }

    /// <summary>Event 8: the system tears the session down (max-prefix, a handler failure).</summary>
    /// <param name="Cease">The NOTIFICATION sent if an OPEN was.</param>
    public sealed record AutomaticStop(NotificationMessage Cease) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 8;
    }

    /// <summary>Event 9.</summary>
    public sealed record ConnectRetryTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 9;
    }

    /// <summary>Event 10.</summary>
    public sealed record HoldTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 10;
    }

    /// <summary>Event 11.</summary>
    public sealed record KeepaliveTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 11;
    }

    /// <summary>Event 12.</summary>
    public sealed record DelayOpenTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 12;
    }

    /// <summary>Event 13.</summary>
    public sealed record IdleHoldTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 13;
    }

    /// <summary>Event 14: a connection request for a valid address and port.</summary>
    public sealed record TcpConnectionValid : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 14;
    }

    /// <summary>Event 15: a connection request for an invalid address or port.</summary>
    public sealed record TcpConnectionRequestInvalid : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 15;
    }

    /// <summary>Event 16 (Tcp_CR_Acked): our outgoing connection completed.</summary>
    public sealed record TcpConnectionRequestAcked : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 16;
    }

    /// <summary>Event 17: the peer's connection to us completed.</summary>
    public sealed record TcpConnectionConfirmed : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 17;
    }

    /// <summary>Event 18: the connection failed or was closed.</summary>
    public sealed record TcpConnectionFails : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 18;
    }

    /// <summary>Event 19 (BGPOpen): a valid OPEN; negotiation already succeeded.</summary>
    /// <param name="HoldTime">The negotiated hold time (zero: no hold timer and no keepalives).</param>
    /// <param name="KeepaliveTime">The negotiated keepalive interval.</param>
    public sealed record OpenReceived(TimeSpan HoldTime, TimeSpan KeepaliveTime) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 19;
    }

    /// <summary>Event 20: a valid OPEN while the DelayOpenTimer runs.</summary>
    /// <param name="HoldTime">The negotiated hold time.</param>
    /// <param name="KeepaliveTime">The negotiated keepalive interval.</param>
    public sealed record OpenReceivedWithDelayOpenTimerRunning(TimeSpan HoldTime, TimeSpan KeepaliveTime) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 20;
    }

    /// <summary>Event 21 (BGPHeaderErr): a message header error.</summary>
    /// <param name="Error">The error and the NOTIFICATION it calls for.</param>
    public sealed record HeaderError(BgpError Error) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 21;
    }

    /// <summary>Event 22 (BGPOpenMsgErr): an OPEN that fails the checks of §6.2 or negotiation.</summary>
    /// <param name="Error">The error and the NOTIFICATION it calls for.</param>
    public sealed record OpenMessageError(BgpError Error) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 22;
    }

    /// <summary>Event 23: collision detection (§6.8) chose to close this connection.</summary>
    public sealed record OpenCollisionDump : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 23;
    }

    /// <summary>Event 24 (NotifMsgVerErr): a NOTIFICATION reporting a version error.</summary>
    /// <param name="Notification">The NOTIFICATION.</param>
    public sealed record NotificationVersionError(NotificationMessage Notification) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 24;
    }

    /// <summary>Event 25 (NotifMsg): any other NOTIFICATION.</summary>
    /// <param name="Notification">The NOTIFICATION.</param>
    public sealed record NotificationReceived(NotificationMessage Notification) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 25;
    }

    /// <summary>Event 26 (KeepAliveMsg).</summary>
    public sealed record KeepaliveReceived : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 26;
    }

    /// <summary>Event 27 (UpdateMsg): a valid UPDATE (including RFC 7606 treat-as-withdraw ones).</summary>
    /// <param name="Update">The UPDATE.</param>
    public sealed record UpdateReceived(UpdateMessage Update) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 27;
    }

    /// <summary>Event 28 (UpdateMsgErr): an UPDATE error that resets the session.</summary>
    /// <param name="Error">The error and the NOTIFICATION it calls for.</param>
    public sealed record UpdateMessageError(BgpError Error) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 28;
    }

    /// <summary>A ROUTE-REFRESH (RFC 2918), valid only in Established.</summary>
    /// <param name="Message">The ROUTE-REFRESH.</param>
    public sealed record RouteRefreshReceived(RouteRefreshMessage Message) : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 0;
    }

    /// <summary>The session stayed Established for <see cref="FsmSettings.StableTime"/>: the idle hold back-off starts over.</summary>
    public sealed record StableTimerExpires : BgpEvent
    {
        /// <inheritdoc/>
        public override int Number => 0;
    }
}
