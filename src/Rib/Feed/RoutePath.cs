namespace BgpStack.Rib.Feed;

/// <summary>One path of a prefix in the Loc-RIB: who sent it, its attributes and its ADD-PATH identifier.</summary>
/// <param name="Source">Who the path came from.</param>
/// <param name="Attributes">Its path attributes.</param>
/// <param name="PathId">Its ADD-PATH path identifier (RFC 7911), 0 without ADD-PATH.</param>
public readonly record struct RoutePath(RouteSource Source, PathAttributes Attributes, uint PathId)
{
    /// <summary>Text such as <c>198.18.0.1 path 0: origin igp as-path [65001]</c>.</summary>
    public override string ToString() => $"{Source.Name} path {PathId}: {Attributes}";
}
