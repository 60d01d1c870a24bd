using System.Collections.Immutable;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib;

/// <summary>One path of a prefix in a snapshot, with what the decision process made of it.</summary>
/// <param name="Path">The path.</param>
/// <param name="Arrival">The loop's arrival counter when it was last announced (lower is older).</param>
/// <param name="IsStale">True while it waits to be refreshed after a graceful restart.</param>
/// <param name="Verdict">Best, multipath, lost (to which path, at which step) or ineligible; <see cref="PathVerdict.LostTo"/> indexes <see cref="PrefixSnapshot.Paths"/>.</param>
public readonly record struct PathSnapshot(RoutePath Path, long Arrival, bool IsStale, PathVerdict Verdict);

/// <summary>A prefix's paths and the decision over them at one moment, for <c>show route</c>.</summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="Paths">Every path the RIB holds for it.</param>
/// <param name="BestIndex">The index of the best path in <paramref name="Paths"/>, or -1 when none is eligible.</param>
/// <param name="Multipath">The multipath set as indices into <paramref name="Paths"/>, the best first.</param>
/// <param name="Reason">Why the best path beat the runner-up.</param>
public sealed record PrefixSnapshot(IpPrefix Prefix, ImmutableArray<PathSnapshot> Paths, int BestIndex, ImmutableArray<int> Multipath, DecisionReason Reason)
{
    /// <summary>The best path, or null.</summary>
    public RoutePath? Best => BestIndex >= 0 ? Paths[BestIndex].Path : null;
}
