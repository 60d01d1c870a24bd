using System.Net;
using BgpStack.Rib.Feed;

namespace BgpStack.Bgp.Speaker;

/// <summary>Why a received route was not taken into the RIB.</summary>
internal enum ImportRejection
{
    /// <summary>Taken.</summary>
    None,

    /// <summary>Our AS appears in the AS_PATH more often than allowed (RFC 4271 §9.1.2).</summary>
    AsPathLoop,

    /// <summary>The ORIGINATOR_ID is our router ID: a reflected copy of our own route (RFC 4456 §8).</summary>
    OriginatorLoop,

    /// <summary>The CLUSTER_LIST holds our cluster ID (RFC 4456 §8).</summary>
    ClusterLoop,

    /// <summary>The import policy rejected it.</summary>
    Policy,
}

/// <summary>What the rules need to know about the peer a route is exchanged with.</summary>
/// <param name="PeerAs">The peer's AS.</param>
/// <param name="LocalAs">Our AS toward the peer.</param>
/// <param name="RouterId">Our router ID.</param>
/// <param name="ClusterId">Our cluster ID.</param>
/// <param name="IsRouteReflectorClient">The peer is our route reflector client.</param>
/// <param name="IsRouteReflector">We have route reflector clients (so we reflect iBGP routes).</param>
/// <param name="NextHopMode">The peer's next-hop mode.</param>
/// <param name="AllowOwnAs">How many times our AS may appear in a received path.</param>
/// <param name="LocalAddress">Our address on the session (the next hop we set for "self"); null before the session is up.</param>
/// <param name="PeerAddress">The peer's address.</param>
internal readonly record struct PeerRules(
    uint PeerAs,
    uint LocalAs,
    RouterId RouterId,
    RouterId ClusterId,
    bool IsRouteReflectorClient,
    bool IsRouteReflector,
    NextHopMode NextHopMode,
    int AllowOwnAs,
    IPAddress? LocalAddress,
    IPAddress PeerAddress)
{
    /// <summary>True for iBGP.</summary>
    public bool IsInternal => PeerAs == LocalAs;
}

/// <summary>
/// The protocol's rules for routes crossing a session, as pure functions: loop detection and
/// attribute clean-up on import; iBGP split horizon, route reflection, AS_PATH prepend, next-hop
/// rewrite and LOCAL_PREF/MED scoping on export. Policies run after these.
/// </summary>
internal static class RouteRules
{
    /// <summary>The LOCAL_PREF we send to iBGP peers when a route has none (RFC 4271 §5.1.5 says iBGP carries it).</summary>
    public const uint DefaultLocalPref = 100;

    /// <summary>Checks and cleans up a route received from a peer.</summary>
    /// <param name="attributes">The attributes as received.</param>
    /// <param name="peer">The peer they came from.</param>
    /// <param name="result">The attributes to keep (LOCAL_PREF removed from eBGP routes).</param>
    /// <returns>Why the route is refused, or <see cref="ImportRejection.None"/>.</returns>
    public static ImportRejection Import(PathAttributes attributes, in PeerRules peer, out PathAttributes result)
    {
        result = attributes;
        if (attributes.AsPath is { } path && path.CountOf(peer.LocalAs) > peer.AllowOwnAs)
        {
            return ImportRejection.AsPathLoop;
        }

        if (peer.IsInternal)
        {
            if (attributes.OriginatorId == peer.RouterId)
            {
                return ImportRejection.OriginatorLoop;
            }

            if (attributes.ClusterList.AsSpan().Contains(peer.ClusterId))
            {
                return ImportRejection.ClusterLoop;
            }

            return ImportRejection.None;
        }

        // RFC 4271 §5.1.5: LOCAL_PREF from an external peer is ignored; RFC 4456 §8: ORIGINATOR_ID
        // and CLUSTER_LIST mean nothing outside the AS.
        if (attributes.LocalPref is not null || attributes.OriginatorId is not null || attributes.HasClusterList)
        {
            result = attributes with { LocalPref = null, OriginatorId = null, ClusterList = default, HasClusterList = false };
        }

        return ImportRejection.None;
    }

    /// <summary>
    /// The attributes with which a selected route goes to a peer, or null when the rules say the
    /// peer must not get it.
    /// </summary>
    /// <param name="path">The selected path.</param>
    /// <param name="peer">The peer it would go to.</param>
    public static PathAttributes? Export(RoutePath path, in PeerRules peer)
    {
        var source = path.Source;
        var attributes = path.Attributes;
        var fromBgp = source.Kind == RouteSourceKind.Bgp;

        // Never back to the peer it came from: it would drop it as a loop anyway.
        if (source.IsBgpPeer(peer.PeerAddress))
        {
            return null;
        }

        return peer.IsInternal ? ExportInternal(path, attributes, fromBgp, peer) : ExportExternal(attributes, fromBgp, peer);
    }

    private static PathAttributes? ExportInternal(RoutePath path, PathAttributes attributes, bool fromBgp, in PeerRules peer)
    {
        var source = path.Source;
        var result = attributes.ForPropagation();
        if (fromBgp && source.IsInternal)
        {
            // RFC 4456 §6: a reflector sends a client's route to everyone and a non-client's route
            // to clients only; without clients, iBGP routes are not re-advertised to iBGP at all.
            if (!peer.IsRouteReflector || (!source.IsRouteReflectorClient && !peer.IsRouteReflectorClient))
            {
                return null;
            }

            result = result with
            {
                OriginatorId = result.OriginatorId ?? source.PeerRouterId,
                ClusterList = [peer.ClusterId, .. result.ClusterList.AsSpan()],
                HasClusterList = true,
            };
        }

        if (result.LocalPref is null)
        {
            result = result with { LocalPref = DefaultLocalPref };
        }

        result = EnsureOrigin(result);
        // RFC 4271 §5.1.3: iBGP keeps the next hop; ours only when the route has none (or next-hop-self).
        var nextHop = peer.NextHopMode == NextHopMode.Self || result.NextHop is null
            ? peer.LocalAddress ?? result.NextHop
            : result.NextHop;
        return SetNextHop(result, nextHop);
    }

    private static PathAttributes? ExportExternal(PathAttributes attributes, bool fromBgp, in PeerRules peer)
    {
        var path = (attributes.AsPath ?? AsPath.Empty).Prepend(peer.LocalAs);

        // The peer would drop a path that holds its own AS (RFC 4271 §9.1.2); don't send it.
        if (path.CountOf(peer.PeerAs) > 0)
        {
            return null;
        }

        var result = attributes.ForPropagation() with
        {
            AsPath = path,
            LocalPref = null,
            OriginatorId = null,
            ClusterList = default,
            HasClusterList = false,

            // RFC 4271 §5.1.4: a MED learned from a neighbouring AS (directly or through iBGP) goes
            // no further than our AS; only our own routes' MED reaches external peers.
            MultiExitDisc = fromBgp ? null : attributes.MultiExitDisc,
        };
        result = EnsureOrigin(result);
        var nextHop = peer.NextHopMode == NextHopMode.Keep && result.NextHop is not null ? result.NextHop : peer.LocalAddress ?? result.NextHop;
        return SetNextHop(result, nextHop);
    }

    private static PathAttributes EnsureOrigin(PathAttributes attributes) =>
        attributes.Origin is null ? attributes with { Origin = BgpStack.Rib.Origin.Igp } : attributes;

    private static PathAttributes SetNextHop(PathAttributes attributes, IPAddress? nextHop) =>
        Equals(attributes.NextHop, nextHop) ? attributes : attributes with { NextHop = nextHop };
}
