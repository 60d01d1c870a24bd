using System.Net;

namespace BgpStack.Rib.Decision;

/// <summary>
/// Tells the decision process whether a NEXT_HOP is reachable and at what IGP cost
/// (RFC 4271 §9.1.2.1). Called on the RIB loop only.
/// </summary>
public interface INextHopResolver
{
    /// <summary>Resolves a next hop.</summary>
    /// <param name="nextHop">The next hop address.</param>
    /// <param name="igpCost">The IGP cost to reach it, when reachable.</param>
    /// <returns>False when the next hop does not resolve; such a path is not eligible.</returns>
    bool TryResolve(IPAddress nextHop, out uint igpCost);
}

/// <summary>A resolver for which every next hop is directly reachable at cost 0.</summary>
public sealed class DirectNextHopResolver : INextHopResolver
{
    /// <summary>The one instance.</summary>
    public static DirectNextHopResolver Instance { get; } = new();

    private DirectNextHopResolver()
    {
    }

    /// <inheritdoc/>
    public bool TryResolve(IPAddress nextHop, out uint igpCost)
    {
        igpCost = 0;
        return true;
    }
}
