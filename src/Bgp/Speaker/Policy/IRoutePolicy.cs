using System.Net;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>Facts about the peer a route is imported from or exported to, for policy matches.</summary>
/// <param name="Address">The peer's address.</param>
/// <param name="RemoteAs">The peer's AS.</param>
/// <param name="LocalAs">Our AS toward the peer.</param>
/// <param name="IsInternal">True for iBGP.</param>
/// <param name="LocalAddress">Our address on the session (what "next hop self" sets); null before the session is up.</param>
public readonly record struct PolicyPeer(IPAddress Address, uint RemoteAs, uint LocalAs, bool IsInternal, IPAddress? LocalAddress = null);

/// <summary>
/// A route policy: decides per route whether it is accepted and with which attributes. Runs on the
/// speaker's import path (after the protocol's own checks) and export path (after the iBGP/eBGP
/// rules). Implementations must be pure and thread-safe: the speaker may call them from several
/// sessions at once.
/// </summary>
public interface IRoutePolicy
{
    /// <summary>Applies the policy to one route.</summary>
    /// <param name="prefix">The route's prefix.</param>
    /// <param name="attributes">The route's attributes as they stand at this point.</param>
    /// <param name="peer">The peer the route comes from (import) or goes to (export).</param>
    /// <returns>The attributes to continue with, possibly changed; null rejects the route.</returns>
    PathAttributes? Apply(IpPrefix prefix, PathAttributes attributes, in PolicyPeer peer);
}
