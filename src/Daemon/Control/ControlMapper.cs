using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Wire;
using BgpStack.Rib.Decision;

namespace BgpStack.Control;

/// <summary>Turns the speaker's snapshots into the control protocol's messages.</summary>
internal static class ControlMapper
{
    /// <summary>One peer's status.</summary>
    /// <param name="peer">The speaker's snapshot.</param>
    public static PeerStatusDto ToDto(PeerStatus peer) => new()
    {
        Address = peer.Address.ToString(),
        RemoteAs = peer.RemoteAs,
        LocalAs = peer.LocalAs,
        Type = TypeName(peer.Type),
        Dynamic = peer.Dynamic,
        State = peer.State.ToString(),
        Shutdown = peer.Shutdown,
        Since = peer.Since.ToUniversalTime(),
        Info = peer.Info,
        RouterId = peer.RemoteRouterId?.ToString(),
        HoldTime = peer.HoldTime is { } hold ? (int)hold.TotalSeconds : null,
        Families = [.. peer.Families.Select(f => f.ToString())],
        PrefixesReceived = Counts(peer.PrefixesReceived),
        PrefixesSent = Counts(peer.PrefixesSent),
        Flaps = peer.Flaps,
        LastError = peer.LastError,
        Description = peer.Description,
    };

    /// <summary>The peer type's protocol name: <c>external</c>, <c>internal</c> or <c>rr-client</c>.</summary>
    /// <param name="type">The type.</param>
    public static string TypeName(PeerType type) => type switch
    {
        PeerType.External => "external",
        PeerType.Internal => "internal",
        PeerType.RouteReflectorClient => "rr-client",
        _ => KebabCase(type.ToString()),
    };

    /// <summary>One prefix with its paths and the decision over them.</summary>
    /// <param name="snapshot">The RIB's snapshot.</param>
    public static RouteDto ToDto(PrefixSnapshot snapshot)
    {
        var multipath = snapshot.Multipath.IsDefault ? [] : snapshot.Multipath;
        var paths = ImmutableArray.CreateBuilder<PathDto>(snapshot.Paths.Length);
        for (var i = 0; i < snapshot.Paths.Length; i++)
        {
            paths.Add(ToDto(snapshot.Paths[i], i == snapshot.BestIndex, multipath.Contains(i)));
        }

        return new RouteDto
        {
            Prefix = snapshot.Prefix.ToString(),
            Reason = snapshot.BestIndex >= 0 ? ReasonName(snapshot.Reason) : null,
            Paths = paths.MoveToImmutable(),
        };
    }

    /// <summary>The decision step's name in kebab case: <c>local-pref</c>, <c>as-path-length</c>, <c>only-path</c>.</summary>
    /// <param name="reason">The step.</param>
    public static string ReasonName(DecisionReason reason) => KebabCase(reason.ToString());

    private static PathDto ToDto(PathSnapshot path, bool best, bool multipath)
    {
        var source = path.Path.Source;
        var attributes = path.Path.Attributes;
        var isBgp = source.Kind == RouteSourceKind.Bgp;
        return new PathDto
        {
            Source = source.Name,
            SourceKind = KebabCase(source.Kind.ToString()),
            PeerAs = isBgp ? source.PeerAs : null,
            Internal = isBgp ? source.IsInternal : null,
            PathId = path.Path.PathId,
            NextHop = attributes.NextHop?.ToString(),
            AsPath = attributes.AsPath?.ToString(),
            Origin = attributes.Origin?.ToString().ToLowerInvariant(),
            Med = attributes.MultiExitDisc,
            LocalPref = attributes.LocalPref,
            Communities = [.. attributes.Communities.Select(c => c.ToString())],
            LargeCommunities = [.. attributes.LargeCommunities.Select(c => c.ToString())],
            OriginatorId = attributes.OriginatorId?.ToString(),
            ClusterList = [.. attributes.ClusterList.Select(c => c.ToString())],
            Best = best,
            Multipath = multipath,
            Stale = path.IsStale,
            Status = path.Verdict.Status.ToString().ToLowerInvariant(),
            Reason = ReasonName(path.Verdict.Reason),
            LostTo = path.Verdict.LostTo >= 0 ? path.Verdict.LostTo : null,
        };
    }

    private static ImmutableSortedDictionary<string, int> Counts(ImmutableDictionary<AfiSafi, int> counts) =>
        counts.ToImmutableSortedDictionary(c => c.Key.ToString(), c => c.Value, StringComparer.Ordinal);

    private static string KebabCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
