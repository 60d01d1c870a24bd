using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

/// <summary>Whether a route the kernel holds is the route the writer wants there.</summary>
internal static class FibRouteComparer
{
    /// <summary>
    /// True when <paramref name="kernel"/> (from a dump) carries what <paramref name="wanted"/> asks for:
    /// same destination, type, table, protocol, metric and the same set of next hops. The kernel
    /// fills in what the writer left to it (the interface of a gateway, the scope), so those count
    /// only where the writer set them; next hop order does not count.
    /// </summary>
    /// <param name="wanted">The route the writer sends.</param>
    /// <param name="kernel">The route the kernel reported.</param>
    public static bool Matches(Route wanted, Route kernel) =>
        wanted.Destination == kernel.Destination
        && wanted.Table == kernel.Table
        && wanted.Protocol == kernel.Protocol
        && (wanted.Metric ?? 0) == (kernel.Metric ?? 0)
        && Matches(wanted.Type, wanted.NextHops, wanted.NextHopId, kernel);

    /// <summary>
    /// True when <paramref name="kernel"/> has the wanted type and next hops: through the same
    /// nexthop object when one is wanted, else the same set of inline next hops.
    /// </summary>
    /// <param name="type">The wanted type.</param>
    /// <param name="nextHops">The wanted next hops.</param>
    /// <param name="nextHopId">The wanted nexthop object, or null for inline next hops.</param>
    /// <param name="kernel">The route the kernel reported.</param>
    public static bool Matches(RouteType type, EquatableArray<NextHop> nextHops, uint? nextHopId, Route kernel)
    {
        if (type != kernel.Type)
        {
            return false;
        }

        if (nextHopId is { } id)
        {
            return kernel.NextHopId == id;
        }

        if (kernel.NextHopId is not null || nextHops.Count != kernel.NextHops.Count)
        {
            return false;
        }

        foreach (var hop in nextHops)
        {
            var found = false;
            foreach (var held in kernel.NextHops)
            {
                if (Equals(hop.Gateway, held.Gateway)
                    && hop.OnLink == held.OnLink
                    && (hop.InterfaceIndex == 0 || hop.InterfaceIndex == held.InterfaceIndex)
                    && (nextHops.Count == 1 || hop.Weight == held.Weight))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
