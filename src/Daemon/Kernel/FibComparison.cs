using System.Collections.Immutable;
using System.Net;
using BgpStack.Control;
using BgpStack.Netlink.Fib;
using BgpStack.Netlink.Routes;

namespace BgpStack.Daemon.Kernel;

/// <summary>
/// Compares the routes the FIB writer holds installed with the routes the RIB's selection asks
/// for, by the writer's own rules (best path's source kind installed, a blackhole for a local
/// source, the multipath set's distinct next hops, sorted, capped at the maximum paths).
/// </summary>
internal static class FibComparison
{
    /// <summary>Compares <paramref name="installed"/> with what <paramref name="rib"/> selects.</summary>
    /// <param name="rib">The RIB's table.</param>
    /// <param name="installed">The writer's installed routes.</param>
    /// <param name="options">The writer's options.</param>
    /// <param name="pending">Prefixes waiting for a retry.</param>
    /// <param name="failed">Requests refused so far.</param>
    public static FibResult Compare(ImmutableArray<PrefixSnapshot> rib, ImmutableDictionary<IpPrefix, Route> installed, FibWriterOptions options, int pending, long failed)
    {
        var desired = new Dictionary<IpPrefix, FibRouteDto>();
        foreach (var snapshot in rib)
        {
            if (Desired(snapshot, options) is { } route)
            {
                desired[snapshot.Prefix] = route;
            }
        }

        var missing = ImmutableArray.CreateBuilder<(IpPrefix, FibRouteDto)>();
        var different = ImmutableArray.CreateBuilder<(IpPrefix, FibRouteDto)>();
        var extra = ImmutableArray.CreateBuilder<(IpPrefix, FibRouteDto)>();
        foreach (var (prefix, want) in desired)
        {
            if (!installed.TryGetValue(prefix, out var have))
            {
                missing.Add((prefix, want));
            }
            else if (!Same(want, ToDto(have)))
            {
                different.Add((prefix, want));
            }
        }

        foreach (var (prefix, have) in installed)
        {
            if (!desired.ContainsKey(prefix))
            {
                extra.Add((prefix, ToDto(have)));
            }
        }

        return new FibResult
        {
            Table = options.Table,
            Installed = [.. installed.OrderBy(r => r.Key).Select(r => ToDto(r.Value))],
            Missing = Sorted(missing),
            Extra = Sorted(extra),
            Different = Sorted(different),
            Pending = pending,
            Failed = failed,
        };
    }

    /// <summary>One kernel route as the control protocol shows it.</summary>
    /// <param name="route">The route.</param>
    public static FibRouteDto ToDto(Route route) => new()
    {
        Prefix = route.Destination.ToString(),
        Type = route.Type.ToString().ToLowerInvariant(),
        NextHops = [.. route.NextHops.Where(h => h.Gateway is not null).Select(h => h.Gateway!.ToString())],
        Metric = route.Metric,
    };

    private static FibRouteDto? Desired(PrefixSnapshot snapshot, FibWriterOptions options)
    {
        if (snapshot.Best is not { } best || !options.InstalledSources.Contains(best.Source.Kind))
        {
            return null;
        }

        if (best.Source.Kind == RouteSourceKind.Local)
        {
            return new FibRouteDto { Prefix = snapshot.Prefix.ToString(), Type = "blackhole", Metric = options.Metric };
        }

        var gateways = new List<IPAddress>();
        var members = snapshot.Multipath.IsDefaultOrEmpty ? [snapshot.BestIndex] : snapshot.Multipath;
        foreach (var index in members)
        {
            if (gateways.Count == options.MaximumPaths)
            {
                break;
            }

            var path = snapshot.Paths[index].Path;
            if (path.Attributes.NextHop is { } gateway && options.InstalledSources.Contains(path.Source.Kind) && !gateways.Contains(gateway))
            {
                gateways.Add(gateway);
            }
        }

        if (gateways.Count == 0)
        {
            return null;
        }

        gateways.Sort(CompareAddresses);
        return new FibRouteDto
        {
            Prefix = snapshot.Prefix.ToString(),
            Type = "unicast",
            NextHops = [.. gateways.Select(g => g.ToString())],
            Metric = options.Metric,
        };
    }

    private static bool Same(FibRouteDto want, FibRouteDto have) =>
        want.Type == have.Type && want.Metric == have.Metric && want.NextHops.SequenceEqual(have.NextHops);

    private static ImmutableArray<FibRouteDto> Sorted(ImmutableArray<(IpPrefix Prefix, FibRouteDto Route)>.Builder routes) =>
        [.. routes.OrderBy(r => r.Prefix).Select(r => r.Route)];

    private static int CompareAddresses(IPAddress left, IPAddress right)
    {
        var a = left.GetAddressBytes();
        var b = right.GetAddressBytes();
        var byLength = a.Length.CompareTo(b.Length);
        return byLength != 0 ? byLength : a.AsSpan().SequenceCompareTo(b);
    }
}
