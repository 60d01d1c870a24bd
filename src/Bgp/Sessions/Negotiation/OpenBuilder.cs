using System.Collections.Immutable;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions.Negotiation;

/// <summary>Builds the OPEN we send from a session's settings.</summary>
internal static class OpenBuilder
{
    /// <summary>
    /// Our OPEN: My AS (AS_TRANS above 65535, RFC 6793), the proposed hold time, our identifier and
    /// the capabilities: multiprotocol per family (RFC 4760), route refresh and enhanced route refresh
    /// (RFC 2918, RFC 7313), 4-octet AS, graceful restart (RFC 4724, N bit of RFC 8538), ADD-PATH
    /// (RFC 7911), extended message (RFC 8654) and extended next hop (RFC 8950) as configured.
    /// </summary>
    /// <param name="settings">The session settings.</param>
    /// <exception cref="ArgumentException">The configured hold time is 1 or 2 seconds or above 65535.</exception>
    public static OpenMessage Build(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var peer = settings.Peer;
        var holdSeconds = peer.HoldTime.TotalSeconds;
        if (holdSeconds is (> 0 and < 3) or > ushort.MaxValue or < 0)
        {
            throw new ArgumentException($"The hold time {peer.HoldTime} of peer {peer.Address} is neither 0 nor between 3 and 65535 seconds (RFC 4271 §4.2).", nameof(settings));
        }

        var capabilities = ImmutableArray.CreateBuilder<Capability>();
        foreach (var family in peer.Families)
        {
            capabilities.Add(new MultiprotocolCapability(family));
        }

        capabilities.Add(new RouteRefreshCapability());
        capabilities.Add(new EnhancedRouteRefreshCapability());
        capabilities.Add(new FourOctetAsCapability(settings.EffectiveLocalAs));
        if (peer.GracefulRestart is { } gracefulRestart)
        {
            var restartTime = (ushort)Math.Clamp((int)gracefulRestart.RestartTime.TotalSeconds, 0, GracefulRestartCapability.MaxRestartTime);
            var families = ImmutableArray.CreateBuilder<GracefulRestartFamily>(peer.Families.Length);
            foreach (var family in peer.Families)
            {
                // RFC 4724 §3: the F bit says forwarding survived the restart, so only a restarting speaker sets it.
                families.Add(new GracefulRestartFamily(family, settings.Restarting && gracefulRestart.ForwardingPreserved));
            }

            capabilities.Add(new GracefulRestartCapability(settings.Restarting, NotificationSupport: true, restartTime, families.ToImmutable().ToEquatableArray()));
        }

        if (peer.AddPath != AddPathMode.None)
        {
            var families = ImmutableArray.CreateBuilder<AddPathFamily>();
            foreach (var family in peer.Families)
            {
                if (family.IsUnicastIp)
                {
                    families.Add(new AddPathFamily(family, peer.AddPath));
                }
            }

            if (families.Count > 0)
            {
                capabilities.Add(new AddPathCapability(families.ToImmutable().ToEquatableArray()));
            }
        }

        if (peer.ExtendedMessage)
        {
            capabilities.Add(new ExtendedMessageCapability());
        }

        if (peer.ExtendedNextHop && peer.Families.Contains(AfiSafi.Ipv4Unicast))
        {
            capabilities.Add(new ExtendedNextHopCapability(new[] { new ExtendedNextHopEntry(Afi.Ipv4, (ushort)Safi.Unicast, Afi.Ipv6) }.ToEquatableArray()));
        }

        return OpenMessage.Create(settings.EffectiveLocalAs, (ushort)holdSeconds, settings.RouterId, capabilities.ToImmutable());
    }
}
