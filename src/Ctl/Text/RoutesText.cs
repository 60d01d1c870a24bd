using System.Globalization;
using System.Text;
using BgpStack.Control;

namespace BgpStack.Ctl.Text;

/// <summary>
/// The text form of <c>routes</c>: each prefix with the step that chose its best path, then its
/// paths, one line for where the path came from and its next hop and one for its attributes. The
/// flag column marks the best path <c>*</c> (as BIRD does), the other members of the multipath set
/// <c>=</c> (as FRR does) and stale paths <c>S</c>.
/// </summary>
internal static class RoutesText
{
    /// <summary>Writes the routes.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="routes">The daemon's answer.</param>
    /// <param name="prefix">The prefix asked for, if any (for the "no route" message).</param>
    public static void Write(TextWriter writer, RoutesResult routes, string? prefix)
    {
        if (routes.Routes.IsDefaultOrEmpty)
        {
            writer.WriteLine(prefix is null ? "No routes." : $"No route for {prefix}.");
            return;
        }

        writer.WriteLine("Flags: * best, = multipath, S stale");
        foreach (var route in routes.Routes)
        {
            writer.WriteLine();
            var count = route.Paths.Length == 1 ? "1 path" : string.Create(CultureInfo.InvariantCulture, $"{route.Paths.Length} paths");
            writer.WriteLine(route.Reason is null
                ? $"{route.Prefix}  {count}, none eligible"
                : $"{route.Prefix}  {count}, best by {Describe(route.Reason)}");
            for (var i = 0; i < route.Paths.Length; i++)
            {
                WritePath(writer, route.Paths[i], route.Paths);
            }
        }
    }

    /// <summary>Says in words what a decision step compared (<c>local-pref</c> reads "higher LOCAL_PREF").</summary>
    /// <param name="reason">The step's name from the daemon.</param>
    public static string Describe(string reason) => reason switch
    {
        "only-path" => "being the only path",
        "admin-preference" => "higher weight",
        "local-pref" => "higher LOCAL_PREF",
        "locally-originated" => "being locally originated",
        "as-path-length" => "shorter AS_PATH",
        "origin" => "lower ORIGIN",
        "med" => "lower MED",
        "external-over-internal" => "eBGP over iBGP",
        "igp-cost" => "lower IGP cost to the next hop",
        "oldest-external" => "older eBGP path",
        "router-id" => "lower router ID",
        "cluster-list-length" => "shorter CLUSTER_LIST",
        "peer-address" => "lower peer address",
        "path-identifier" => "lower path identifier",
        "next-hop-unreachable" => "unreachable next hop",
        _ => reason,
    };

    private static void WritePath(TextWriter writer, PathDto path, IReadOnlyList<PathDto> paths)
    {
        var flags = new StringBuilder(3);
        flags.Append(path.Best ? '*' : path.Multipath ? '=' : ' ');
        flags.Append(path.Stale ? 'S' : ' ');
        var line = new StringBuilder();
        line.Append("  ").Append(flags).Append(' ').Append(Source(path));
        if (path.NextHop is not null)
        {
            line.Append(" via ").Append(path.NextHop);
        }

        if (path.PathId != 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" path-id {path.PathId}");
        }

        switch (path.Status)
        {
            case "lost" when path.LostTo is { } winner && winner >= 0 && winner < paths.Count:
                line.Append(CultureInfo.InvariantCulture, $"  (lost to {paths[winner].Source} on {Describe(path.Reason ?? "?")})");
                break;
            case "ineligible":
                line.Append("  (ineligible: unreachable next hop)");
                break;
            default:
                break;
        }

        writer.WriteLine(line.ToString());
        var attributes = Attributes(path);
        if (attributes.Length > 0)
        {
            writer.WriteLine("       " + attributes);
        }
    }

    private static string Source(PathDto path) => path.SourceKind == "bgp"
        ? string.Create(CultureInfo.InvariantCulture, $"{path.Source} ({(path.Internal == true ? "ibgp" : "ebgp")} AS{path.PeerAs})")
        : path.Source;

    private static string Attributes(PathDto path)
    {
        var parts = new List<string>();
        if (path.AsPath is not null)
        {
            parts.Add(path.AsPath.Length == 0 ? "as-path (empty)" : $"as-path {path.AsPath}");
        }

        if (path.Origin is not null)
        {
            parts.Add($"origin {path.Origin}");
        }

        if (path.Med is { } med)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"med {med}"));
        }

        if (path.LocalPref is { } localPref)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"local-pref {localPref}"));
        }

        if (!path.Communities.IsDefaultOrEmpty)
        {
            parts.Add("communities " + string.Join(' ', path.Communities));
        }

        if (!path.LargeCommunities.IsDefaultOrEmpty)
        {
            parts.Add("large-communities " + string.Join(' ', path.LargeCommunities));
        }

        if (path.OriginatorId is not null)
        {
            parts.Add($"originator-id {path.OriginatorId}");
        }

        if (!path.ClusterList.IsDefaultOrEmpty)
        {
            parts.Add("cluster-list " + string.Join(' ', path.ClusterList));
        }

        return string.Join(", ", parts);
    }
}
