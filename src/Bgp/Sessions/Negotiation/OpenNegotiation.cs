using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions.Negotiation;

/// <summary>
/// Checks the peer's OPEN against the session's settings and works out what both sides agreed on.
/// Pure: the outcome is a <see cref="NegotiatedSession"/> or the error whose NOTIFICATION closes the session.
/// </summary>
internal static class OpenNegotiation
{
    /// <summary>Validates <paramref name="remote"/> and negotiates the session.</summary>
    /// <param name="settings">The session settings.</param>
    /// <param name="local">The OPEN we sent.</param>
    /// <param name="remote">The peer's OPEN (decoded, so its own fields are well formed).</param>
    /// <param name="localEndPoint">Our end of the connection.</param>
    /// <param name="remoteEndPoint">The peer's end.</param>
    /// <returns>The negotiated session, or the error to send.</returns>
    public static DecodeResult<NegotiatedSession> Negotiate(
        SessionSettings settings, OpenMessage local, OpenMessage remote, IPEndPoint localEndPoint, IPEndPoint remoteEndPoint)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentNullException.ThrowIfNull(remoteEndPoint);

        if (remote.Version != OpenMessage.BgpVersion)
        {
            return BgpError.Open(OpenMessageErrorSubcode.UnsupportedVersionNumber, [0, OpenMessage.BgpVersion], $"version {remote.Version} is not 4");
        }

        if (CheckPeerAs(settings, remote) is { } asError)
        {
            return asError;
        }

        var remoteAs = remote.AutonomousSystem;
        var localAs = settings.EffectiveLocalAs;
        if (OpenValidation.CheckBgpIdentifier(remote, settings.RouterId, internalPeer: remoteAs == localAs) is { } idError)
        {
            return idError;
        }

        // RFC 4271 §6.2: 0 or at least 3 seconds.
        if (OpenValidation.CheckHoldTime(remote) is { } holdError)
        {
            return holdError;
        }

        if (MissingRequiredCapabilities(settings, local, remote) is { } capabilityError)
        {
            return capabilityError;
        }

        var holdSeconds = OpenValidation.NegotiateHoldTime(local.HoldTime, remote.HoldTime);
        var holdTime = TimeSpan.FromSeconds(holdSeconds);
        var keepaliveTime = TimeSpan.Zero;
        if (holdSeconds > 0)
        {
            // RFC 4271 §10: a third of the hold time, or less when configured so, but (§4.4) at most one a second.
            var third = TimeSpan.FromSeconds(OpenValidation.KeepaliveInterval(holdSeconds));
            var configured = settings.Peer.KeepaliveTime;
            keepaliveTime = configured > TimeSpan.Zero && configured < third ? configured : third;
            if (keepaliveTime < TimeSpan.FromSeconds(1))
            {
                keepaliveTime = TimeSpan.FromSeconds(1);
            }
        }

        var families = NegotiateFamilies(local, remote);
        var fourOctetAs = remote.GetCapability<FourOctetAsCapability>() is not null && local.GetCapability<FourOctetAsCapability>() is not null;
        var extendedMessage = remote.GetCapability<ExtendedMessageCapability>() is not null && local.GetCapability<ExtendedMessageCapability>() is not null;
        var (receiveAddPath, sendAddPath) = NegotiateAddPath(local, remote, families);

        return new NegotiatedSession
        {
            LocalOpen = local,
            RemoteOpen = remote,
            RemoteAs = remoteAs,
            LocalAs = localAs,
            HoldTime = holdTime,
            KeepaliveTime = keepaliveTime,
            Families = families,
            ReceiveContext = new CodecContext { FourOctetAs = fourOctetAs, ExtendedMessage = extendedMessage, AddPath = receiveAddPath },
            SendContext = new CodecContext { FourOctetAs = fourOctetAs, ExtendedMessage = extendedMessage, AddPath = sendAddPath },
            RouteRefresh = Both<RouteRefreshCapability>(local, remote),
            EnhancedRouteRefresh = Both<EnhancedRouteRefreshCapability>(local, remote),
            PeerGracefulRestart = remote.GetCapability<GracefulRestartCapability>(),
            LocalGracefulRestart = local.GetCapability<GracefulRestartCapability>() is not null,
            ExtendedNextHopFamilies = NegotiateExtendedNextHop(local, remote, families),
            LocalEndPoint = localEndPoint,
            RemoteEndPoint = remoteEndPoint,
        };
    }

    private static BgpError? CheckPeerAs(SessionSettings settings, OpenMessage remote)
    {
        if (settings.RemoteAsRange is not { } range)
        {
            return OpenValidation.CheckPeerAs(remote, settings.Peer.RemoteAs);
        }

        // A dynamic neighbour: any AS in the range (checked with the same rules for AS 0).
        var asn = remote.AutonomousSystem;
        if (asn < range.Min || asn > range.Max)
        {
            return BgpError.Open(OpenMessageErrorSubcode.BadPeerAs, [], $"the peer's AS {asn} is outside the allowed range {range.Min}-{range.Max}");
        }

        return OpenValidation.CheckPeerAs(remote, asn);
    }

    // RFC 5492 §3: Unsupported Capability, with the capabilities we wanted in the data.
    private static BgpError? MissingRequiredCapabilities(SessionSettings settings, OpenMessage local, OpenMessage remote)
    {
        List<Capability>? missing = null;
        foreach (var code in settings.Peer.RequiredCapabilities)
        {
            var present = false;
            foreach (var capability in remote.Capabilities)
            {
                if (capability.Code == code)
                {
                    present = true;
                    break;
                }
            }

            if (present)
            {
                continue;
            }

            missing ??= [];
            var ours = false;
            foreach (var capability in local.Capabilities)
            {
                if (capability.Code == code)
                {
                    missing.Add(capability);
                    ours = true;
                }
            }

            if (!ours)
            {
                missing.Add(new UnknownCapability((byte)code, EquatableArray<byte>.Empty));
            }
        }

        return missing is null ? null : OpenValidation.UnsupportedCapability([.. missing]);
    }

    private static bool Both<T>(OpenMessage local, OpenMessage remote)
        where T : Capability => local.GetCapability<T>() is not null && remote.GetCapability<T>() is not null;

    // RFC 4760 §8: a speaker without multiprotocol capabilities exchanges IPv4 unicast only.
    private static ImmutableArray<AfiSafi> NegotiateFamilies(OpenMessage local, OpenMessage remote)
    {
        var ours = Families(local);
        var theirs = Families(remote);
        var both = ImmutableArray.CreateBuilder<AfiSafi>();
        foreach (var family in ours)
        {
            if (theirs.Contains(family) && !both.Contains(family))
            {
                both.Add(family);
            }
        }

        return both.ToImmutable();
    }

    private static List<AfiSafi> Families(OpenMessage open)
    {
        var families = new List<AfiSafi>();
        foreach (var capability in open.Capabilities)
        {
            if (capability is MultiprotocolCapability mp)
            {
                families.Add(mp.Family);
            }
        }

        if (families.Count == 0)
        {
            families.Add(AfiSafi.Ipv4Unicast);
        }

        return families;
    }

    // RFC 7911 §4: we receive path identifiers when we said receive and the peer said send, and send them the other way round.
    private static (AddPathFamilies Receive, AddPathFamilies Send) NegotiateAddPath(OpenMessage local, OpenMessage remote, ImmutableArray<AfiSafi> families)
    {
        var ours = local.GetCapability<AddPathCapability>();
        var theirs = remote.GetCapability<AddPathCapability>();
        if (ours is null || theirs is null)
        {
            return (AddPathFamilies.None, AddPathFamilies.None);
        }

        var receive = AddPathFamilies.None;
        var send = AddPathFamilies.None;
        foreach (var family in families)
        {
            var flag = family == AfiSafi.Ipv4Unicast ? AddPathFamilies.Ipv4Unicast
                : family == AfiSafi.Ipv6Unicast ? AddPathFamilies.Ipv6Unicast
                : AddPathFamilies.None;
            if (flag == AddPathFamilies.None)
            {
                continue;
            }

            var ourMode = Mode(ours, family);
            var theirMode = Mode(theirs, family);
            if ((ourMode & AddPathMode.Receive) != 0 && (theirMode & AddPathMode.Send) != 0)
            {
                receive |= flag;
            }

            if ((ourMode & AddPathMode.Send) != 0 && (theirMode & AddPathMode.Receive) != 0)
            {
                send |= flag;
            }
        }

        return (receive, send);
    }

    private static AddPathMode Mode(AddPathCapability capability, AfiSafi family)
    {
        foreach (var entry in capability.Families)
        {
            if (entry.Family == family)
            {
                return entry.Mode;
            }
        }

        return AddPathMode.None;
    }

    // RFC 8950 §3: an NLRI family may carry next hops of another AFI when both advertised that triple.
    private static ImmutableArray<AfiSafi> NegotiateExtendedNextHop(OpenMessage local, OpenMessage remote, ImmutableArray<AfiSafi> families)
    {
        var ours = local.GetCapability<ExtendedNextHopCapability>();
        var theirs = remote.GetCapability<ExtendedNextHopCapability>();
        if (ours is null || theirs is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<AfiSafi>();
        foreach (var entry in ours.Entries)
        {
            if (!theirs.Entries.Contains(entry) || entry.NlriSafi > byte.MaxValue)
            {
                continue;
            }

            var family = new AfiSafi(entry.NlriAfi, (Safi)entry.NlriSafi);
            if (families.Contains(family) && !result.Contains(family))
            {
                result.Add(family);
            }
        }

        return result.ToImmutable();
    }
}
