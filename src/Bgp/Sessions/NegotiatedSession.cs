using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

/// <summary>What the two OPENs of an established session agreed on (RFC 4271 §4.2, RFC 5492 and the capability RFCs).</summary>
public sealed record NegotiatedSession
{
    /// <summary>The OPEN we sent.</summary>
    public required OpenMessage LocalOpen { get; init; }

    /// <summary>The OPEN the peer sent.</summary>
    public required OpenMessage RemoteOpen { get; init; }

    /// <summary>The peer's BGP identifier.</summary>
    public RouterId RemoteRouterId => RemoteOpen.BgpIdentifier;

    /// <summary>The peer's AS (from its 4-octet AS capability when present).</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>Our AS on this session.</summary>
    public required uint LocalAs { get; init; }

    /// <summary>True for iBGP: both sides in the same AS.</summary>
    public bool IsInternal => RemoteAs == LocalAs;

    /// <summary>The negotiated hold time: the smaller proposal; zero runs no hold timer and sends no keepalives.</summary>
    public required TimeSpan HoldTime { get; init; }

    /// <summary>The keepalive interval: the configured one, at most a third of the hold time; zero when the hold time is.</summary>
    public required TimeSpan KeepaliveTime { get; init; }

    /// <summary>The families both sides advertised (IPv4 unicast alone for a peer without multiprotocol capabilities, RFC 4760 §8).</summary>
    public required ImmutableArray<AfiSafi> Families { get; init; }

    /// <summary>How the peer's messages are decoded: 4-octet AS, ADD-PATH receive families, extended message.</summary>
    public required CodecContext ReceiveContext { get; init; }

    /// <summary>How our messages are encoded: 4-octet AS, ADD-PATH send families, extended message.</summary>
    public required CodecContext SendContext { get; init; }

    /// <summary>Both advertised route refresh (RFC 2918).</summary>
    public required bool RouteRefresh { get; init; }

    /// <summary>Both advertised enhanced route refresh (RFC 7313).</summary>
    public required bool EnhancedRouteRefresh { get; init; }

    /// <summary>The peer's graceful restart capability (RFC 4724), or null.</summary>
    public GracefulRestartCapability? PeerGracefulRestart { get; init; }

    /// <summary>We advertised graceful restart.</summary>
    public required bool LocalGracefulRestart { get; init; }

    /// <summary>Graceful restart is in effect: both sides advertised it.</summary>
    public bool GracefulRestart => LocalGracefulRestart && PeerGracefulRestart is not null;

    /// <summary>Both sides set the N bit (RFC 8538): graceful restart also follows a NOTIFICATION other than Hard Reset.</summary>
    public bool GracefulRestartNotification =>
        GracefulRestart && PeerGracefulRestart!.NotificationSupport && (LocalOpen.GetCapability<GracefulRestartCapability>()?.NotificationSupport ?? false);

    /// <summary>The families whose IPv4 NLRI both sides allow with IPv6 next hops (RFC 8950).</summary>
    public required ImmutableArray<AfiSafi> ExtendedNextHopFamilies { get; init; }

    /// <summary>Our end of the connection.</summary>
    public required IPEndPoint LocalEndPoint { get; init; }

    /// <summary>The peer's end of the connection.</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }
}
