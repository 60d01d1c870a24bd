namespace BgpStack.Rib.Decision;

/// <summary>How the decision process breaks ties; immutable. The defaults follow RFC 4271 with deterministic MED on.</summary>
public sealed record DecisionOptions
{
    /// <summary>The defaults: LOCAL_PREF 100, missing MED as 0, deterministic MED, one path.</summary>
    public static DecisionOptions Default { get; } = new();

    /// <summary>The LOCAL_PREF assumed for a path that carries none.</summary>
    public uint DefaultLocalPref { get; init; } = 100;

    /// <summary>Skip the AS_PATH length step (like <c>bgp bestpath as-path ignore</c>).</summary>
    public bool IgnoreAsPathLength { get; init; }

    /// <summary>Compare MED between paths from different neighbouring ASes too.</summary>
    public bool AlwaysCompareMed { get; init; }

    /// <summary>
    /// Treat a missing MED as worse than any MED (like <c>bgp bestpath med missing-as-worst</c>);
    /// by default a missing MED counts as 0 (RFC 4271 §9.1.2.2 c).
    /// </summary>
    public bool MissingMedAsWorst { get; init; }

    /// <summary>
    /// Group paths by neighbouring AS, pick each group's best, then compare the group winners, so
    /// the result does not depend on the order paths arrived in (MED is not transitive).
    /// </summary>
    public bool DeterministicMed { get; init; } = true;

    /// <summary>Between two eBGP paths otherwise equal through the IGP cost step, keep the older one (RFC 5004).</summary>
    public bool PreferOldestExternal { get; init; }

    /// <summary>The most paths in the multipath set when the best path is learned over eBGP or from a non-BGP source (1 = no ECMP).</summary>
    public int MaximumPaths
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>The most paths in the multipath set when the best path is learned over iBGP (1 = no iBGP multipath).</summary>
    public int MaximumPathsInternal
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>
    /// Let paths through different neighbouring ASes share the multipath set when their AS_PATHs
    /// have equal length (like <c>bgp bestpath as-path multipath-relax</c>); by default the
    /// AS_PATHs must be identical.
    /// </summary>
    public bool MultipathRelax { get; init; }
}
