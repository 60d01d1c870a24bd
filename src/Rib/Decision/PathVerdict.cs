namespace BgpStack.Rib.Decision;

/// <summary>What the decision process made of one candidate.</summary>
public enum PathStatus
{
    /// <summary>The best path.</summary>
    Best,

    /// <summary>Not the best, but in the multipath (ECMP) set.</summary>
    Multipath,

    /// <summary>Lost.</summary>
    Lost,

    /// <summary>Not eligible (its next hop does not resolve).</summary>
    Ineligible,
}

/// <summary>Why one candidate ended where it did, for <c>show route</c>.</summary>
/// <param name="Status">Best, multipath, lost or ineligible.</param>
/// <param name="Reason">
/// For the best path, the step at which it beat the runner-up (<see cref="DecisionReason.OnlyPath"/>
/// when alone); for the others, the step at which they lost to <paramref name="LostTo"/>; for an
/// ineligible path, <see cref="DecisionReason.NextHopUnreachable"/>.
/// </param>
/// <param name="LostTo">The index of the candidate it lost to, or -1.</param>
public readonly record struct PathVerdict(PathStatus Status, DecisionReason Reason, int LostTo);
