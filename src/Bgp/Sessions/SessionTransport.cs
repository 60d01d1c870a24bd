using BgpStack.Bgp.Transport;

namespace BgpStack.Bgp.Sessions;

/// <summary>The transport options of a peer, from its configuration.</summary>
internal static class SessionTransport
{
    /// <summary>
    /// Source address, MD5 password, GTSM and TTL: eBGP packets leave with TTL 1 unless multihop
    /// is configured, iBGP ones with the system default; with GTSM the multihop count is the hops allowed.
    /// </summary>
    /// <param name="settings">The session settings.</param>
    public static TransportOptions Options(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var peer = settings.Peer;
        var external = peer.RemoteAs != settings.EffectiveLocalAs;
        return new TransportOptions
        {
            SourceAddress = peer.SourceAddress,
            Md5Password = peer.Password,
            TtlSecurity = peer.TtlSecurity,
            TtlSecurityHops = peer.TtlSecurity ? peer.MultihopTtl ?? 1 : null,
            Ttl = peer.TtlSecurity ? null : peer.MultihopTtl ?? (external ? 1 : null),
        };
    }
}
