using BgpStack.Netlink.Routes;

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
    public static bool Matches(Route wanted, Route kernel)
    {
        if (wanted.Destination != kernel.Destination
            || wanted.Type != kernel.Type
            || wanted.Table != kernel.Table
            || wanted.Protocol != kernel.Protocol
            || (wanted.Metric ?? 0) != (kernel.Metric ?? 0)
            || kernel.NextHopId is not null
            || wanted.NextHops.Count != kernel.NextHops.Count)
        {
            return false;
        }

        foreach (var hop in wanted.NextHops)
        {
            var found = false;
            foreach (var held in kernel.NextHops)
            {
                if (Equals(hop.Gateway, held.Gateway)
                    && hop.OnLink == held.OnLink
                    && (hop.InterfaceIndex == 0 || hop.InterfaceIndex == held.InterfaceIndex)
                    && (wanted.NextHops.Count == 1 || hop.Weight == held.Weight))
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
