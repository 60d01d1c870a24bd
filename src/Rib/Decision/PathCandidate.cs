namespace BgpStack.Rib.Decision;

/// <summary>One path for a prefix as the decision process sees it.</summary>
/// <param name="Source">Who the path came from.</param>
/// <param name="Attributes">Its path attributes.</param>
/// <param name="PathId">Its ADD-PATH path identifier (RFC 7911), 0 without ADD-PATH.</param>
/// <param name="Arrival">When it arrived, as a number that grows with time (a sequence number or ticks); lower is older.</param>
public readonly record struct PathCandidate(RouteSource Source, PathAttributes Attributes, uint PathId, long Arrival);
