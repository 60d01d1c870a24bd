namespace BgpStack.Rib.Decision;

/// <summary>
/// The step of the decision process that told two paths apart, in the order the steps run
/// (RFC 4271 §9.1.2.2, RFC 4456 §9, and the steps deployed speakers add before and after them).
/// </summary>
public enum DecisionReason
{
    /// <summary>There was no other eligible path to compare with.</summary>
    OnlyPath,

    /// <summary>Higher administrative preference (weight) of the source.</summary>
    AdminPreference,

    /// <summary>Higher LOCAL_PREF (a missing one counts as the configured default).</summary>
    LocalPref,

    /// <summary>Originated by this node (a static, connected, kernel or local source) rather than learned over BGP.</summary>
    LocallyOriginated,

    /// <summary>Shorter AS_PATH (AS_SET counts one, confederation segments nothing).</summary>
    AsPathLength,

    /// <summary>Lower ORIGIN (IGP before EGP before INCOMPLETE).</summary>
    Origin,

    /// <summary>Lower MULTI_EXIT_DISC, between paths from the same neighbouring AS unless always-compare-med.</summary>
    Med,

    /// <summary>Learned over eBGP rather than iBGP.</summary>
    ExternalOverInternal,

    /// <summary>Lower IGP cost to the NEXT_HOP.</summary>
    IgpCost,

    /// <summary>The eBGP path received first (RFC 5004), when enabled.</summary>
    OldestExternal,

    /// <summary>Lower BGP Identifier of the advertising peer, or ORIGINATOR_ID in its place (RFC 4456 §9).</summary>
    RouterId,

    /// <summary>Shorter CLUSTER_LIST (RFC 4456 §9).</summary>
    ClusterListLength,

    /// <summary>Lower peer address.</summary>
    PeerAddress,

    /// <summary>
    /// The last resort so that no two distinct paths ever tie: lower source id, then lower path
    /// identifier (two ADD-PATH paths of one peer that agree on everything else).
    /// </summary>
    PathIdentifier,

    /// <summary>The path was not eligible: its NEXT_HOP does not resolve (RFC 4271 §9.1.2).</summary>
    NextHopUnreachable,
}
