using BgpStack.Rib.Decision;

namespace BgpStack.Rib.Feed;

/// <summary>
/// A change to one prefix of the Loc-RIB: its new best path and multipath set, or its withdrawal.
/// A consumer that applies the changes of a prefix in order (later replacing earlier) ends with the
/// Loc-RIB's state for that prefix.
/// </summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="Best">The new best path, or null when the prefix has no eligible path any more.</param>
/// <param name="Multipath">The multipath set, the best first; empty on withdrawal.</param>
/// <param name="Reason">Why the best path won over the runner-up.</param>
public readonly record struct RibChange(IpPrefix Prefix, RoutePath? Best, EquatableArray<RoutePath> Multipath, DecisionReason Reason)
{
    /// <summary>True when the prefix was withdrawn.</summary>
    public bool IsWithdrawn => Best is null;

    /// <summary>A withdrawal of <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    public static RibChange Withdrawn(IpPrefix prefix) => new(prefix, null, EquatableArray<RoutePath>.Empty, DecisionReason.OnlyPath);

    /// <summary>A new best path for <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="multipath">The multipath set, best first; must not be empty.</param>
    /// <param name="reason">Why the best won.</param>
    public static RibChange Announced(IpPrefix prefix, EquatableArray<RoutePath> multipath, DecisionReason reason)
    {
        if (multipath.IsEmpty)
        {
            throw new ArgumentException("An announcement carries at least the best path.", nameof(multipath));
        }

        return new(prefix, multipath[0], multipath, reason);
    }

    /// <summary>Text such as <c>10.0.0.0/24 best 198.18.0.1 path 0: ... (local-pref)</c> or <c>10.0.0.0/24 withdrawn</c>.</summary>
    public override string ToString() =>
        Best is { } best ? $"{Prefix} best {best} ({Reason}, {Multipath.Count} multipath)" : $"{Prefix} withdrawn";
}
