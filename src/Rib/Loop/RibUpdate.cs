using System.Collections.Immutable;
using System.Net.Sockets;

namespace BgpStack.Rib;

/// <summary>
/// A prefix and its ADD-PATH path identifier (RFC 7911; 0 without ADD-PATH): how the RIB keys a
/// path, and what BGP carries as one NLRI entry (the BGP assemblies name it <c>Nlri</c>), so a
/// decoded UPDATE's NLRI reach the RIB without a copy.
/// </summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="PathId">The path identifier.</param>
public readonly record struct RouteKey(IpPrefix Prefix, uint PathId = 0)
{
    /// <summary>Text such as <c>10.0.0.0/24</c>, with <c> path-id N</c> when the identifier is not 0.</summary>
    public override string ToString() => PathId == 0 ? Prefix.ToString() : $"{Prefix} path-id {PathId}";
}

/// <summary>One batch of input to the RIB loop from one source (a session, the IPAM reconciler, a static config).</summary>
/// <param name="Source">The source the batch is about.</param>
public abstract record RibUpdate(RouteSource Source);

/// <summary>Paths the source announces (one UPDATE: one attribute set, many prefixes); each replaces the source's path with the same key.</summary>
/// <param name="Source">The source.</param>
/// <param name="Attributes">The attribute set shared by the paths.</param>
/// <param name="Routes">The prefixes and path identifiers.</param>
public sealed record RouteAnnouncement(RouteSource Source, PathAttributes Attributes, ImmutableArray<RouteKey> Routes) : RibUpdate(Source);

/// <summary>Paths the source withdraws.</summary>
/// <param name="Source">The source.</param>
/// <param name="Routes">The prefixes and path identifiers.</param>
public sealed record RouteWithdrawal(RouteSource Source, ImmutableArray<RouteKey> Routes) : RibUpdate(Source);

/// <summary>Removes every path of the source (the session went down without graceful restart).</summary>
/// <param name="Source">The source.</param>
public sealed record SourceRemoval(RouteSource Source) : RibUpdate(Source);

/// <summary>
/// Marks the source's paths stale: they stay in use until refreshed (which clears the mark) or
/// swept. Graceful restart (RFC 4724 §4.2) marks every family, and sweeps a family the restarting
/// peer did not preserve right after with <see cref="StaleSweep"/>; a Beginning of Route Refresh
/// (RFC 7313 §4) marks one family, swept by its End of Route Refresh.
/// </summary>
/// <param name="Source">The source.</param>
/// <param name="Family">Only this address family, or both when null.</param>
public sealed record StaleMark(RouteSource Source, AddressFamily? Family = null) : RibUpdate(Source);

/// <summary>Removes the source's paths that are still stale (the restart timer expired, or the stale-path timer).</summary>
/// <param name="Source">The source.</param>
/// <param name="Family">Only this address family, or both when null.</param>
public sealed record StaleSweep(RouteSource Source, AddressFamily? Family = null) : RibUpdate(Source);

/// <summary>The source's End-of-RIB marker (RFC 4724 §2) for a family: what is still stale there is swept.</summary>
/// <param name="Source">The source.</param>
/// <param name="Family">The address family the marker is for.</param>
public sealed record EndOfRib(RouteSource Source, AddressFamily Family) : RibUpdate(Source);
