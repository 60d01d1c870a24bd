using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Fsm;

/// <summary>What the session must do after an FSM step, in order.</summary>
internal abstract record FsmAction
{
    private protected FsmAction()
    {
    }

    /// <summary>Send our OPEN.</summary>
    public sealed record SendOpen : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static SendOpen Instance { get; } = new();
    }

    /// <summary>Send a KEEPALIVE (and restart the keepalive timer, which a separate action says).</summary>
    public sealed record SendKeepalive : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static SendKeepalive Instance { get; } = new();
    }

    /// <summary>Send a NOTIFICATION (the connection is dropped after it).</summary>
    /// <param name="Notification">The NOTIFICATION.</param>
    public sealed record SendNotification(NotificationMessage Notification) : FsmAction;

    /// <summary>Start, or restart, a timer.</summary>
    /// <param name="Timer">The timer.</param>
    /// <param name="Duration">When it expires from now.</param>
    public sealed record StartTimer(FsmTimer Timer, TimeSpan Duration) : FsmAction;

    /// <summary>Stop a timer (no effect when it is not running).</summary>
    /// <param name="Timer">The timer.</param>
    public sealed record StopTimer(FsmTimer Timer) : FsmAction;

    /// <summary>Initiate a TCP connection to the peer (dropping any attempt in progress).</summary>
    public sealed record InitiateConnection : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static InitiateConnection Instance { get; } = new();
    }

    /// <summary>Drop the TCP connection (and any attempt in progress).</summary>
    public sealed record DropConnection : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static DropConnection Instance { get; } = new();
    }

    /// <summary>Release the BGP resources of the connection (negotiated state, buffers).</summary>
    public sealed record ReleaseResources : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static ReleaseResources Instance { get; } = new();
    }

    /// <summary>The session is up: complete initialization and tell the handler.</summary>
    public sealed record SessionEstablished : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static SessionEstablished Instance { get; } = new();
    }

    /// <summary>The session left Established: delete all routes learned over it (the handler decides about graceful restart).</summary>
    public sealed record DeleteRoutes : FsmAction
    {
        /// <summary>The one instance.</summary>
        public static DeleteRoutes Instance { get; } = new();
    }

    /// <summary>Hand a valid UPDATE to the handler.</summary>
    /// <param name="Update">The UPDATE.</param>
    public sealed record ProcessUpdate(UpdateMessage Update) : FsmAction;

    /// <summary>Hand a ROUTE-REFRESH to the handler.</summary>
    /// <param name="Message">The ROUTE-REFRESH.</param>
    public sealed record ProcessRouteRefresh(RouteRefreshMessage Message) : FsmAction;
}
