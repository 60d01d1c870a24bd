namespace BgpStack.Rib;

/// <summary>One path as the storage holds it, with what the loop needs beyond the decision.</summary>
/// <param name="Source">Who sent it.</param>
/// <param name="Attributes">Its attributes.</param>
/// <param name="PathId">Its ADD-PATH path identifier.</param>
/// <param name="Arrival">The loop's arrival counter when it was last announced.</param>
/// <param name="IsStale">True while it waits to be refreshed after a graceful restart.</param>
internal readonly record struct StoredPath(RouteSource Source, PathAttributes Attributes, uint PathId, long Arrival, bool IsStale);
