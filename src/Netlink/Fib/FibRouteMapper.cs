using System.Net;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;
using BgpStack.Rib.Feed;

namespace BgpStack.Netlink.Fib;

/// <summary>Turns a RIB change into the kernel route it asks for, under the writer's options.</summary>
internal sealed class FibRouteMapper
{
    private readonly FibWriterOptions options;
    private readonly int tunnelIndex;
    private const int MaximumSharedSets = 4096;

    private readonly List<IPAddress> gateways = [];
    private readonly Dictionary<EquatableArray<IPAddress>, EquatableArray<NextHop>> hopSets = [];

    /// <summary>Creates a mapper.</summary>
    /// <param name="options">The writer's options.</param>
    /// <param name="tunnelIndex">The tunnel device's interface index, or 0 without one.</param>
    public FibRouteMapper(FibWriterOptions options, int tunnelIndex)
    {
        this.options = options;
        this.tunnelIndex = tunnelIndex;
    }

    /// <summary>
    /// The route the kernel should hold for the change's prefix, or null when it should hold none
    /// of ours: a withdrawal, a best path from a source not installed, or no usable next hop.
    /// </summary>
    /// <param name="change">The change.</param>
    public Route? Map(in RibChange change)
    {
        if (change.Best is not { } best || !options.InstalledSources.Contains(best.Source.Kind))
        {
            return null;
        }

        if (best.Source.Kind == RouteSourceKind.Local)
        {
            // Locally originated aggregates (IPAM blocks) are announced and dropped here unless a
            // more specific route (a pod's) exists.
            return new Route
            {
                Destination = change.Prefix,
                Type = RouteType.Blackhole,
                Table = options.Table,
                Protocol = options.Protocol,
                Metric = options.Metric,
            };
        }

        gateways.Clear();
        for (var i = 0; i < change.MultipathCount; i++)
        {
            if (gateways.Count == options.MaximumPaths)
            {
                break;
            }

            var path = change.MultipathAt(i);
            if (path.Attributes.NextHop is { } gateway && options.InstalledSources.Contains(path.Source.Kind) && !gateways.Contains(gateway))
            {
                gateways.Add(gateway);
            }
        }

        if (gateways.Count == 0)
        {
            return null;
        }

        // A stable order, so that a reordered ECMP set is the same route and needs no request.
        gateways.Sort(CompareAddresses);
        return new Route
        {
            Destination = change.Prefix,
            Type = RouteType.Unicast,
            Table = options.Table,
            Protocol = options.Protocol,
            Metric = options.Metric,
            NextHops = NextHopsFor(gateways),
        };
    }

    // Many routes share a next hop set (every route of a peer, every route of an ECMP group): one
    // shared array each keeps the writer's model small. The cache is bounded by starting over.
    private EquatableArray<NextHop> NextHopsFor(List<IPAddress> sorted)
    {
        EquatableArray<IPAddress> key = [.. sorted];
        if (hopSets.TryGetValue(key, out var shared))
        {
            return shared;
        }

        var hops = new NextHop[sorted.Count];
        for (var i = 0; i < hops.Length; i++)
        {
            hops[i] = new NextHop { Gateway = sorted[i], InterfaceIndex = tunnelIndex, OnLink = tunnelIndex != 0 };
        }

        if (hopSets.Count >= MaximumSharedSets)
        {
            hopSets.Clear();
        }

        EquatableArray<NextHop> made = hops;
        hopSets[key] = made;
        return made;
    }

    private static int CompareAddresses(IPAddress left, IPAddress right)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        _ = left.TryWriteBytes(a, out var la);
        _ = right.TryWriteBytes(b, out var lb);
        var c = la.CompareTo(lb);
        return c != 0 ? c : a[..la].SequenceCompareTo(b[..lb]);
    }
}
