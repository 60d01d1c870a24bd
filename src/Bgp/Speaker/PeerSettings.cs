namespace BgpStack.Bgp.Speaker;

/// <summary>
/// Which changes to a peer's settings need its session reset: everything the OPEN, the transport
/// or the peer's identity depends on. Policies, limits, the next-hop mode, the route reflector
/// client flag and the description apply to a running session.
/// </summary>
internal static class PeerSettings
{
    /// <summary>True when going from <paramref name="current"/> to <paramref name="next"/> needs a new session.</summary>
    public static bool NeedsReset(PeerOptions current, PeerOptions next) =>
        !Equals(current.Address, next.Address)
        || current.RemoteAs != next.RemoteAs
        || current.LocalAs != next.LocalAs
        || current.Port != next.Port
        || !Equals(current.SourceAddress, next.SourceAddress)
        || current.Password != next.Password
        || current.TtlSecurity != next.TtlSecurity
        || current.MultihopTtl != next.MultihopTtl
        || current.HoldTime != next.HoldTime
        || current.KeepaliveTime != next.KeepaliveTime
        || current.ConnectRetryTime != next.ConnectRetryTime
        || current.DelayOpenTime != next.DelayOpenTime
        || current.IdleHoldTime != next.IdleHoldTime
        || current.MaxIdleHoldTime != next.MaxIdleHoldTime
        || current.Passive != next.Passive
        || !current.Families.SequenceEqual(next.Families)
        || current.GracefulRestart != next.GracefulRestart
        || current.AllowOwnAs != next.AllowOwnAs
        || current.AddPath != next.AddPath
        || current.ExtendedMessage != next.ExtendedMessage
        || current.ExtendedNextHop != next.ExtendedNextHop
        || !current.RequiredCapabilities.SequenceEqual(next.RequiredCapabilities);

    /// <summary>True when the settings a running session takes in place are the same.</summary>
    public static bool SameInPlace(PeerOptions current, PeerOptions next) =>
        ReferenceEquals(current.ImportPolicy, next.ImportPolicy)
        && ReferenceEquals(current.ExportPolicy, next.ExportPolicy)
        && current.NextHop == next.NextHop
        && current.RouteReflectorClient == next.RouteReflectorClient
        && current.Description == next.Description
        && current.MaxPrefix.Count == next.MaxPrefix.Count
        && current.MaxPrefix.All(pair => next.MaxPrefix.TryGetValue(pair.Key, out var limit) && limit == pair.Value);
}
