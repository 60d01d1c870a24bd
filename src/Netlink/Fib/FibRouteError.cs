using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

/// <summary>The kernel's refusal of one route the FIB writer sent; the writer retries it with back-off.</summary>
/// <param name="Prefix">The prefix whose route was refused.</param>
/// <param name="Operation">What the writer asked for (replace or delete).</param>
/// <param name="Route">The route sent.</param>
/// <param name="Error">The kernel's error (errno and extended-ack text).</param>
/// <param name="Attempt">How many times in a row this prefix has failed, 1 for the first.</param>
/// <param name="RetryAfter">How long the writer waits before trying again.</param>
public sealed record FibRouteError(IpPrefix Prefix, RouteOperation Operation, Route Route, NetlinkError Error, int Attempt, TimeSpan RetryAfter)
{
    /// <summary>One line for logs: the prefix, the kernel's error and when it is tried again.</summary>
    public override string ToString() =>
        $"FIB: {Prefix} refused by the kernel (attempt {Attempt}, retry in {RetryAfter.TotalSeconds:0.###} s): {Error}";
}
