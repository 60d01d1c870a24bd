using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

/// <summary>Why an Established session went down.</summary>
/// <param name="Reason">A human-readable reason (also the session's <see cref="BgpSession.Info"/>).</param>
/// <param name="Sent">The NOTIFICATION we sent, or null.</param>
/// <param name="Received">The NOTIFICATION the peer sent, or null.</param>
/// <param name="GracefulRestartApplies">
/// Keep the peer's routes as stale for its restart time (RFC 4724 §4.2): graceful restart was
/// negotiated and the session dropped without a NOTIFICATION, or (RFC 8538, both sides set the N
/// bit) with a NOTIFICATION other than Cease / Hard Reset.
/// </param>
public sealed record SessionDown(string Reason, NotificationMessage? Sent, NotificationMessage? Received, bool GracefulRestartApplies);
