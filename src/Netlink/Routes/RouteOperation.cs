namespace BgpStack.Netlink.Routes;

/// <summary>What to do with a route in a batch.</summary>
public enum RouteOperation
{
    /// <summary>Create; fails if the route exists (NLM_F_CREATE | NLM_F_EXCL).</summary>
    Add,

    /// <summary>Create or replace in place, so the destination never goes missing (NLM_F_CREATE | NLM_F_REPLACE).</summary>
    Replace,

    /// <summary>Delete.</summary>
    Delete,
}

/// <summary>One request of a route batch.</summary>
/// <param name="Operation">What to do.</param>
/// <param name="Route">The route.</param>
public sealed record RouteRequest(RouteOperation Operation, Route Route);
