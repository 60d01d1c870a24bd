using System.Collections.Immutable;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// Compares two <see cref="PeerOptions"/> setting by setting, naming each difference by its
/// configuration key, and says which differences need the session reset.
/// </summary>
/// <remarks>
/// Reset (the session's OPEN, transport or state machine depend on them): address, as, local-as,
/// port, source-address, password, ttl-security, multihop, hold-time, keepalive, connect-retry,
/// delay-open, idle-hold, passive, route-reflector-client (it changes how every route from and
/// to the peer is treated, as in FRR: the peer's routes carry the flag in their source), families, graceful-restart, add-path, extended-message,
/// extended-next-hop, required capabilities. The timers that only matter before Established are
/// here too, conservatively, because a session takes its settings when it is created.
/// In place: description; import and allow-own-as (the speaker re-evaluates what the peer sent,
/// by route refresh or from its Adj-RIB-In); export and next-hop (the speaker re-sends what it
/// advertises to the peer); max-prefix (the new limit is checked against the current count).
/// </remarks>
public static class PeerSettings
{
    private static readonly ImmutableArray<(string Key, bool Reset, Func<PeerOptions, PeerOptions, bool> Same)> Settings =
    [
        ("address", true, (a, b) => a.Address.Equals(b.Address)),
        ("as", true, (a, b) => a.RemoteAs == b.RemoteAs),
        ("local-as", true, (a, b) => a.LocalAs == b.LocalAs),
        ("port", true, (a, b) => a.Port == b.Port),
        ("source-address", true, (a, b) => Equals(a.SourceAddress, b.SourceAddress)),
        ("password", true, (a, b) => string.Equals(a.Password, b.Password, StringComparison.Ordinal)),
        ("ttl-security", true, (a, b) => a.TtlSecurity == b.TtlSecurity),
        ("multihop", true, (a, b) => a.MultihopTtl == b.MultihopTtl),
        ("hold-time", true, (a, b) => a.HoldTime == b.HoldTime),
        ("keepalive", true, (a, b) => a.KeepaliveTime == b.KeepaliveTime),
        ("connect-retry", true, (a, b) => a.ConnectRetryTime == b.ConnectRetryTime),
        ("delay-open", true, (a, b) => a.DelayOpenTime == b.DelayOpenTime),
        ("idle-hold", true, (a, b) => a.IdleHoldTime == b.IdleHoldTime && a.MaxIdleHoldTime == b.MaxIdleHoldTime),
        ("passive", true, (a, b) => a.Passive == b.Passive),
        ("shutdown", true, (a, b) => a.Shutdown == b.Shutdown),
        ("route-reflector-client", true, (a, b) => a.RouteReflectorClient == b.RouteReflectorClient),
        ("families", true, (a, b) => a.Families.Length == b.Families.Length && a.Families.All(b.Families.Contains)),
        ("graceful-restart", true, (a, b) => Equals(a.GracefulRestart, b.GracefulRestart)),
        ("add-path", true, (a, b) => a.AddPath == b.AddPath),
        ("extended-message", true, (a, b) => a.ExtendedMessage == b.ExtendedMessage),
        ("extended-next-hop", true, (a, b) => a.ExtendedNextHop == b.ExtendedNextHop),
        ("required-capabilities", true, (a, b) => a.RequiredCapabilities.SequenceEqual(b.RequiredCapabilities)),
        ("description", false, (a, b) => string.Equals(a.Description, b.Description, StringComparison.Ordinal)),
        ("import", false, (a, b) => Equals(a.ImportPolicy, b.ImportPolicy)),
        ("allow-own-as", false, (a, b) => a.AllowOwnAs == b.AllowOwnAs),
        ("export", false, (a, b) => Equals(a.ExportPolicy, b.ExportPolicy)),
        ("next-hop", false, (a, b) => a.NextHop == b.NextHop),
        ("max-prefix", false, (a, b) => MaxPrefixEqual(a.MaxPrefix, b.MaxPrefix)),
    ];

    /// <summary>The configuration keys whose changes reset the session.</summary>
    public static ImmutableArray<string> ResetKeys { get; } = [.. Settings.Where(s => s.Reset).Select(s => s.Key)];

    /// <summary>The configuration keys whose changes apply to a running session.</summary>
    public static ImmutableArray<string> InPlaceKeys { get; } = [.. Settings.Where(s => !s.Reset).Select(s => s.Key)];

    /// <summary>True when every setting is the same.</summary>
    /// <param name="a">One peer's options.</param>
    /// <param name="b">The other's.</param>
    public static bool Equal(PeerOptions a, PeerOptions b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return ReferenceEquals(a, b) || Settings.All(s => s.Same(a, b));
    }

    /// <summary>True when going from <paramref name="current"/> to <paramref name="next"/> needs a new session.</summary>
    /// <param name="current">The running options.</param>
    /// <param name="next">The new options.</param>
    public static bool NeedsReset(PeerOptions current, PeerOptions next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        return Settings.Any(s => s.Reset && !s.Same(current, next));
    }

    /// <summary>The keys of the settings that differ, split into those that need a reset and those that apply in place.</summary>
    /// <param name="a">The old options.</param>
    /// <param name="b">The new options.</param>
    public static (ImmutableArray<string> Reset, ImmutableArray<string> InPlace) Differences(PeerOptions a, PeerOptions b)
    {
        var reset = ImmutableArray.CreateBuilder<string>();
        var inPlace = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, needsReset, same) in Settings)
        {
            if (!same(a, b))
            {
                (needsReset ? reset : inPlace).Add(key);
            }
        }

        return (reset.ToImmutable(), inPlace.ToImmutable());
    }

    private static bool MaxPrefixEqual(ImmutableDictionary<AfiSafi, MaxPrefixLimit> a, ImmutableDictionary<AfiSafi, MaxPrefixLimit> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && pair.Value == other);
}
