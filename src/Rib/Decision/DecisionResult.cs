using System.Collections.Immutable;

namespace BgpStack.Rib.Decision;

/// <summary>The outcome of the decision process without allocation: the best path, the size of the multipath set and why the best won.</summary>
/// <param name="BestIndex">The index of the best candidate, or -1 when no candidate is eligible.</param>
/// <param name="MultipathCount">How many indices were written to the multipath span (the best first); 0 when there is no best.</param>
/// <param name="Reason">The step at which the best beat the runner-up, or <see cref="DecisionReason.OnlyPath"/>.</param>
public readonly record struct DecisionSummary(int BestIndex, int MultipathCount, DecisionReason Reason)
{
    /// <summary>True when some candidate was eligible.</summary>
    public bool HasBest => BestIndex >= 0;
}

/// <summary>The full outcome of the decision process, with a verdict per candidate.</summary>
/// <param name="BestIndex">The index of the best candidate, or -1 when no candidate is eligible.</param>
/// <param name="Multipath">The multipath set as candidate indices, the best first; empty when there is no best.</param>
/// <param name="Reason">The step at which the best beat the runner-up, or <see cref="DecisionReason.OnlyPath"/>.</param>
/// <param name="Verdicts">One verdict per candidate, in the candidates' order.</param>
public sealed record DecisionResult(int BestIndex, ImmutableArray<int> Multipath, DecisionReason Reason, ImmutableArray<PathVerdict> Verdicts)
{
    /// <summary>True when some candidate was eligible.</summary>
    public bool HasBest => BestIndex >= 0;
}
