using BgpStack.Rib.Decision;

namespace BgpStack.Rib.Feed;

/// <summary>
/// A change to one prefix of the Loc-RIB: its new best path and multipath set, or its withdrawal.
/// A consumer that applies the changes of a prefix in order (later replacing earlier) ends with the
/// Loc-RIB's state for that prefix.
/// </summary>
/// <remarks>
/// Most prefixes have one selected path, so a change holds the best path inline and an array only
/// for a multipath set of two or more: the feed carries one change per decided prefix, and an array
/// for each would be most of what a large table's initial load allocates.
/// </remarks>
public readonly record struct RibChange
{
    // The multipath set when it has two or more paths (the best first); empty otherwise.
    private readonly EquatableArray<RoutePath> several;

    /// <summary>Creates a change.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="best">The new best path, or null when the prefix has no eligible path any more.</param>
    /// <param name="multipath">The multipath set, the best first; empty on withdrawal. A set of one may be given as empty.</param>
    /// <param name="reason">Why the best path won over the runner-up.</param>
    public RibChange(IpPrefix prefix, RoutePath? best, EquatableArray<RoutePath> multipath, DecisionReason reason)
    {
        Prefix = prefix;
        Best = best;
        Reason = reason;
        several = best is not null && multipath.Count > 1 ? multipath : EquatableArray<RoutePath>.Empty;
    }

    /// <summary>The prefix.</summary>
    public IpPrefix Prefix { get; }

    /// <summary>The new best path, or null when the prefix has no eligible path any more.</summary>
    public RoutePath? Best { get; }

    /// <summary>Why the best path won over the runner-up.</summary>
    public DecisionReason Reason { get; }

    /// <summary>True when the prefix was withdrawn.</summary>
    public bool IsWithdrawn => Best is null;

    /// <summary>The number of paths in the multipath set: 0 on withdrawal, otherwise at least 1.</summary>
    public int MultipathCount => !several.IsEmpty ? several.Count : Best is null ? 0 : 1;

    /// <summary>
    /// The multipath set, the best first; empty on withdrawal. A set of one path is made on each
    /// call: a consumer of every change reads <see cref="MultipathCount"/> and <see cref="MultipathAt"/>.
    /// </summary>
    public EquatableArray<RoutePath> Multipath => !several.IsEmpty ? several : Best is { } best ? EquatableArray.Create(best) : EquatableArray<RoutePath>.Empty;

    /// <summary>A path of the multipath set.</summary>
    /// <param name="index">From 0 (the best) to <see cref="MultipathCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the set.</exception>
    public RoutePath MultipathAt(int index)
    {
        if (!several.IsEmpty)
        {
            return several[index];
        }

        if (index != 0 || Best is not { } best)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Outside the multipath set.");
        }

        return best;
    }

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

    /// <summary>A new best path for <paramref name="prefix"/>, alone in its multipath set.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="best">The best path.</param>
    /// <param name="reason">Why the best won.</param>
    public static RibChange Announced(IpPrefix prefix, RoutePath best, DecisionReason reason) => new(prefix, best, EquatableArray<RoutePath>.Empty, reason);

    /// <summary>Text such as <c>10.0.0.0/24 best 198.18.0.1 path 0: ... (local-pref)</c> or <c>10.0.0.0/24 withdrawn</c>.</summary>
    public override string ToString() =>
        Best is { } best ? $"{Prefix} best {best} ({Reason}, {MultipathCount} multipath)" : $"{Prefix} withdrawn";
}
