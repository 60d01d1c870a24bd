using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

/// <summary>
/// What a <see cref="BgpSession"/> tells its owner. Calls for one session never overlap and come in
/// order; <see cref="OnUpdateAsync"/> is awaited before the session reads further messages from the
/// peer (backpressure). A callback may call back into the session (say <see cref="BgpSession.TeardownAsync"/>
/// from <see cref="OnUpdateAsync"/> on a max-prefix violation). An exception thrown by a callback is
/// logged and tears the session down with a Cease.
/// </summary>
public interface ISessionHandler
{
    /// <summary>The session changed state. Called synchronously inside the session; keep it cheap and do not block.</summary>
    /// <param name="session">The session.</param>
    /// <param name="oldState">The previous state.</param>
    /// <param name="newState">The new state.</param>
    /// <param name="info">Why, for status output (for example <c>NOTIFICATION received: Cease / Administrative Shutdown</c>).</param>
    void OnStateChanged(BgpSession session, SessionState oldState, SessionState newState, string info);

    /// <summary>The session reached Established; <paramref name="negotiated"/> says what both sides agreed on.</summary>
    /// <param name="session">The session.</param>
    /// <param name="negotiated">The negotiated capabilities, timers and codec contexts.</param>
    /// <param name="cancellationToken">Cancelled when the session is disposed.</param>
    /// <returns>A task that completes when the owner is ready for UPDATEs.</returns>
    ValueTask OnEstablishedAsync(BgpSession session, NegotiatedSession negotiated, CancellationToken cancellationToken);

    /// <summary>
    /// An UPDATE arrived. Treat-as-withdraw UPDATEs (RFC 7606, <see cref="UpdateMessage.TreatAsWithdraw"/>)
    /// come here too: their announced routes must be handled as withdrawn.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="update">The UPDATE.</param>
    /// <param name="cancellationToken">Cancelled when the session is disposed.</param>
    /// <returns>A task that completes when the UPDATE is taken; the session reads nothing more until then.</returns>
    ValueTask OnUpdateAsync(BgpSession session, UpdateMessage update, CancellationToken cancellationToken);

    /// <summary>
    /// A ROUTE-REFRESH arrived (RFC 2918): a request to send the family again, or with enhanced
    /// route refresh (RFC 7313) the Beginning or End of a refresh the peer sends us. Unknown
    /// subtypes are dropped before they get here.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="message">The ROUTE-REFRESH.</param>
    /// <param name="cancellationToken">Cancelled when the session is disposed.</param>
    /// <returns>A task that completes when the request is taken.</returns>
    ValueTask OnRouteRefreshAsync(BgpSession session, RouteRefreshMessage message, CancellationToken cancellationToken);

    /// <summary>The session left Established: delete (or, with graceful restart, keep as stale) the routes learned over it.</summary>
    /// <param name="session">The session.</param>
    /// <param name="down">Why, and whether graceful restart applies.</param>
    /// <param name="cancellationToken">Cancelled when the session is disposed.</param>
    /// <returns>A task that completes when the owner has dealt with the routes.</returns>
    ValueTask OnDownAsync(BgpSession session, SessionDown down, CancellationToken cancellationToken);
}
