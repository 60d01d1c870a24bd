using System.Collections.Immutable;

namespace BgpStack.Rib.Decision;

/// <summary>
/// The steps of the decision process as named comparators, in order. Each returns a negative
/// number when the first path is preferred at that step, positive when the second is, 0 when the
/// step cannot tell them apart.
/// </summary>
internal static class DecisionSteps
{
    /// <summary>The comparing steps in the order they run.</summary>
    public static ImmutableArray<DecisionReason> Order { get; } =
    [
        DecisionReason.AdminPreference,
        DecisionReason.LocalPref,
        DecisionReason.LocallyOriginated,
        DecisionReason.AsPathLength,
        DecisionReason.Origin,
        DecisionReason.Med,
        DecisionReason.ExternalOverInternal,
        DecisionReason.IgpCost,
        DecisionReason.OldestExternal,
        DecisionReason.RouterId,
        DecisionReason.ClusterListLength,
        DecisionReason.PeerAddress,
        DecisionReason.PathIdentifier,
    ];

    /// <summary>Runs the steps in order and stops at the first that tells the paths apart.</summary>
    public static PathComparison Compare(in RankedPath a, in RankedPath b, DecisionOptions options) =>
        CompareThrough(a, b, options, DecisionReason.PathIdentifier);

    /// <summary>Runs the steps up to and including <paramref name="last"/>; an Order of 0 means equal through it.</summary>
    public static PathComparison CompareThrough(in RankedPath a, in RankedPath b, DecisionOptions options, DecisionReason last)
    {
        foreach (var step in Order)
        {
            var order = Run(step, a, b, options);
            if (order != 0)
            {
                return new PathComparison(order, step);
            }

            if (step == last)
            {
                break;
            }
        }

        return new PathComparison(0, last);
    }

    /// <summary>Runs one step.</summary>
    public static int Run(DecisionReason step, in RankedPath a, in RankedPath b, DecisionOptions options) => step switch
    {
        DecisionReason.AdminPreference => AdminPreference(a, b),
        DecisionReason.LocalPref => LocalPref(a, b),
        DecisionReason.LocallyOriginated => LocallyOriginated(a, b),
        DecisionReason.AsPathLength => AsPathLength(a, b, options),
        DecisionReason.Origin => Origin(a, b),
        DecisionReason.Med => Med(a, b, options),
        DecisionReason.ExternalOverInternal => ExternalOverInternal(a, b),
        DecisionReason.IgpCost => IgpCost(a, b),
        DecisionReason.OldestExternal => OldestExternal(a, b, options),
        DecisionReason.RouterId => RouterId(a, b),
        DecisionReason.ClusterListLength => ClusterListLength(a, b),
        DecisionReason.PeerAddress => PeerAddress(a, b),
        DecisionReason.PathIdentifier => PathIdentifier(a, b),
        _ => 0,
    };

    /// <summary>Higher administrative preference wins.</summary>
    public static int AdminPreference(in RankedPath a, in RankedPath b) => b.AdminPreference.CompareTo(a.AdminPreference);

    /// <summary>Higher LOCAL_PREF wins (RFC 4271 §9.1.1).</summary>
    public static int LocalPref(in RankedPath a, in RankedPath b) => b.LocalPref.CompareTo(a.LocalPref);

    /// <summary>A path this node originated wins over one learned over BGP.</summary>
    public static int LocallyOriginated(in RankedPath a, in RankedPath b) => b.LocallyOriginated.CompareTo(a.LocallyOriginated);

    /// <summary>Shorter AS_PATH wins (RFC 4271 §9.1.2.2 a), unless the step is switched off.</summary>
    public static int AsPathLength(in RankedPath a, in RankedPath b, DecisionOptions options) =>
        options.IgnoreAsPathLength ? 0 : a.AsPathLength.CompareTo(b.AsPathLength);

    /// <summary>Lower ORIGIN wins (RFC 4271 §9.1.2.2 b).</summary>
    public static int Origin(in RankedPath a, in RankedPath b) => a.Origin.CompareTo(b.Origin);

    /// <summary>
    /// Lower MED wins, only between paths from the same neighbouring AS unless always-compare-med
    /// (RFC 4271 §9.1.2.2 c).
    /// </summary>
    public static int Med(in RankedPath a, in RankedPath b, DecisionOptions options) =>
        options.AlwaysCompareMed || SameNeighborAs(a, b) ? a.Med.CompareTo(b.Med) : 0;

    /// <summary>An eBGP path wins over an iBGP one (RFC 4271 §9.1.2.2 d).</summary>
    public static int ExternalOverInternal(in RankedPath a, in RankedPath b) =>
        a.IsBgp && b.IsBgp ? b.IsExternal.CompareTo(a.IsExternal) : 0;

    /// <summary>Lower IGP cost to the next hop wins (RFC 4271 §9.1.2.2 e).</summary>
    public static int IgpCost(in RankedPath a, in RankedPath b) => a.IgpCost.CompareTo(b.IgpCost);

    /// <summary>Between two eBGP paths the older wins, when enabled (RFC 5004).</summary>
    public static int OldestExternal(in RankedPath a, in RankedPath b, DecisionOptions options) =>
        options.PreferOldestExternal && a.IsExternal && b.IsExternal ? a.Arrival.CompareTo(b.Arrival) : 0;

    /// <summary>Lower BGP Identifier wins, ORIGINATOR_ID standing in for it (RFC 4271 §9.1.2.2 f, RFC 4456 §9).</summary>
    public static int RouterId(in RankedPath a, in RankedPath b) => a.RouterId.CompareTo(b.RouterId);

    /// <summary>Shorter CLUSTER_LIST wins (RFC 4456 §9).</summary>
    public static int ClusterListLength(in RankedPath a, in RankedPath b) => a.ClusterListLength.CompareTo(b.ClusterListLength);

    /// <summary>Lower peer address wins (RFC 4271 §9.1.2.2 g); IPv4 before IPv6, no address first.</summary>
    public static int PeerAddress(in RankedPath a, in RankedPath b)
    {
        var family = a.PeerAddressFamily.CompareTo(b.PeerAddressFamily);
        return family != 0 ? family : a.PeerAddress.CompareTo(b.PeerAddress);
    }

    /// <summary>Lower source id, then lower path identifier: never leaves two distinct paths tied.</summary>
    public static int PathIdentifier(in RankedPath a, in RankedPath b)
    {
        var source = a.SourceId.CompareTo(b.SourceId);
        return source != 0 ? source : a.PathId.CompareTo(b.PathId);
    }

    /// <summary>True when both paths come from the same known neighbouring AS.</summary>
    public static bool SameNeighborAs(in RankedPath a, in RankedPath b) => a.NeighborAs >= 0 && a.NeighborAs == b.NeighborAs;
}
