namespace BgpStack.Rib.Tables;

/// <summary>A path taken out of a <see cref="RouteTable"/> (withdrawn, removed with its source, or swept as stale).</summary>
/// <param name="Prefix">The prefix of the path.</param>
/// <param name="Source">Who the path came from.</param>
/// <param name="PathId">The ADD-PATH path identifier.</param>
/// <param name="Attributes">The attributes the path had.</param>
/// <param name="WasBest">The path was recorded as the prefix's best path: the decision process must run again.</param>
/// <param name="WasMultipath">The path was in the prefix's multipath set.</param>
/// <param name="PrefixRemoved">It was the prefix's last path: the prefix is gone from the table.</param>
public readonly record struct RemovedPath(
    IpPrefix Prefix,
    RouteSource Source,
    uint PathId,
    PathAttributes Attributes,
    bool WasBest,
    bool WasMultipath,
    bool PrefixRemoved);
