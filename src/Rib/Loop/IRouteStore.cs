using System.Net.Sockets;

namespace BgpStack.Rib;

/// <summary>
/// What the RIB loop needs from the route storage (Adj-RIB-In of every source, keyed by prefix):
/// the loop is its single owner and calls it from one thread only.
/// </summary>
internal interface IRouteStore
{
    /// <summary>Adds or replaces a path and clears its stale mark.</summary>
    /// <returns>True when the prefix's paths changed (a new path, other attributes, or a refreshed stale path).</returns>
    bool Announce(RouteSource source, RouteKey key, PathAttributes attributes, long arrival);

    /// <summary>Removes a path.</summary>
    /// <returns>True when it was present.</returns>
    bool Withdraw(RouteSource source, RouteKey key);

    /// <summary>Adds the prefixes where the source has paths (only stale ones when <paramref name="staleOnly"/>) to <paramref name="prefixes"/>.</summary>
    void CollectPrefixes(RouteSource source, bool staleOnly, AddressFamily? family, List<IpPrefix> prefixes);

    /// <summary>Removes the source's paths (only stale ones when <paramref name="staleOnly"/>), adding the prefixes it touched to <paramref name="touched"/>.</summary>
    void Remove(RouteSource source, bool staleOnly, AddressFamily? family, List<IpPrefix> touched);

    /// <summary>Marks the source's paths stale.</summary>
    void MarkStale(RouteSource source, AddressFamily? family);

    /// <summary>Replaces the content of <paramref name="paths"/> with the prefix's paths, in a stable order.</summary>
    void GetPaths(IpPrefix prefix, List<StoredPath> paths);

    /// <summary>The prefixes within <paramref name="prefix"/> (itself included) that hold paths, in <see cref="IpPrefix"/> order, at most <paramref name="limit"/>.</summary>
    void CollectMoreSpecifics(IpPrefix prefix, int limit, List<IpPrefix> prefixes);
}
