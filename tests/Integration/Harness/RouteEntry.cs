using System.Globalization;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>A route as a router's CLI shows it, normalised across BIRD, FRR, GoBGP and bgpstackd.</summary>
public sealed record RouteEntry
{
    /// <summary>The prefix as the CLI prints it.</summary>
    public required string Prefix { get; init; }

    /// <summary>The BGP next hop, or null for locally originated routes.</summary>
    public string? NextHop { get; init; }

    /// <summary>The AS path, sequences flattened.</summary>
    public IReadOnlyList<uint> AsPath { get; init; } = [];

    /// <summary>Standard communities as <c>ASN:VALUE</c>.</summary>
    public IReadOnlyList<string> Communities { get; init; } = [];

    /// <summary>Large communities as <c>ASN:DATA1:DATA2</c>.</summary>
    public IReadOnlyList<string> LargeCommunities { get; init; } = [];

    /// <summary>MULTI_EXIT_DISC.</summary>
    public uint? Med { get; init; }

    /// <summary>LOCAL_PREF.</summary>
    public uint? LocalPref { get; init; }

    /// <summary>ORIGINATOR_ID.</summary>
    public string? OriginatorId { get; init; }

    /// <summary>CLUSTER_LIST.</summary>
    public IReadOnlyList<string> ClusterList { get; init; } = [];

    /// <summary>Marked stale (graceful restart).</summary>
    public bool Stale { get; init; }

    /// <summary>The best path for its prefix.</summary>
    public bool Best { get; init; }

    /// <summary>Who it came from as the CLI names it (BIRD protocol name, FRR/GoBGP peer address).</summary>
    public string? From { get; init; }

    /// <summary>A one-line rendering for messages.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Prefix} nh={NextHop} path=[{string.Join(' ', AsPath)}] comm=[{string.Join(' ', Communities)}] large=[{string.Join(' ', LargeCommunities)}] med={Med} lp={LocalPref} orig={OriginatorId} clusters=[{string.Join(' ', ClusterList)}]{(Stale ? " stale" : "")}{(Best ? " best" : "")} from={From}");
}
