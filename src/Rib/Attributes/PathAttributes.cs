using System.Net;
using System.Text;

namespace BgpStack.Rib;

/// <summary>
/// The path attributes of a route, apart from MP_REACH_NLRI and MP_UNREACH_NLRI (which carry
/// routes, not attributes, and live on the BGP UPDATE message). Immutable with value equality,
/// so that one set shared by many routes can be interned. AS_PATH and AGGREGATOR hold 4-octet AS
/// numbers whatever the peer speaks: AS4_PATH and AS4_AGGREGATOR from a 2-octet peer are merged
/// in on decode (RFC 6793 §4.2.3) and produced again on encode.
/// </summary>
public sealed record PathAttributes
{
    /// <summary>No attributes.</summary>
    public static PathAttributes Empty { get; } = new();

    /// <summary>ORIGIN, or null when absent.</summary>
    public Origin? Origin { get; init; }

    /// <summary>AS_PATH, or null when absent (an empty path is <see cref="Rib.AsPath.Empty"/>, not null).</summary>
    public AsPath? AsPath { get; init; }

    /// <summary>NEXT_HOP (IPv4), or null when absent.</summary>
    public IPAddress? NextHop { get; init; }

    /// <summary>MULTI_EXIT_DISC, or null when absent.</summary>
    public uint? MultiExitDisc { get; init; }

    /// <summary>LOCAL_PREF, or null when absent.</summary>
    public uint? LocalPref { get; init; }

    /// <summary>ATOMIC_AGGREGATE is present.</summary>
    public bool AtomicAggregate { get; init; }

    /// <summary>AGGREGATOR, or null when absent.</summary>
    public Aggregator? Aggregator { get; init; }

    /// <summary>COMMUNITIES, in the order received (empty when absent).</summary>
    public EquatableArray<Community> Communities { get; init; }

    /// <summary>ORIGINATOR_ID (RFC 4456), or null when absent.</summary>
    public RouterId? OriginatorId { get; init; }

    /// <summary>CLUSTER_LIST (RFC 4456), nearest cluster first (empty when absent).</summary>
    public EquatableArray<RouterId> ClusterList { get; init; }

    /// <summary>True when CLUSTER_LIST is present, even if empty.</summary>
    public bool HasClusterList { get; init; }

    /// <summary>EXTENDED COMMUNITIES (RFC 4360), empty when absent.</summary>
    public EquatableArray<ExtendedCommunity> ExtendedCommunities { get; init; }

    /// <summary>IPv6 address specific extended communities (RFC 5701), empty when absent.</summary>
    public EquatableArray<Ipv6ExtendedCommunity> Ipv6ExtendedCommunities { get; init; }

    /// <summary>LARGE_COMMUNITY (RFC 8092), empty when absent.</summary>
    public EquatableArray<LargeCommunity> LargeCommunities { get; init; }

    /// <summary>Attributes this codec does not interpret, in type-code order, with their flags as received.</summary>
    public EquatableArray<RawAttribute> UnknownAttributes { get; init; }

    /// <summary>
    /// The set as it is propagated to another peer (RFC 4271 §5): unrecognised optional transitive
    /// attributes keep going with the Partial bit set; unrecognised optional non-transitive ones are dropped.
    /// </summary>
    public PathAttributes ForPropagation()
    {
        if (UnknownAttributes.IsEmpty)
        {
            return this;
        }

        var kept = UnknownAttributes
            .Where(a => a.IsOptionalTransitive)
            .Select(a => a with { Flags = a.Flags | AttributeFlags.Partial })
            .ToEquatableArray();
        return this with { UnknownAttributes = kept };
    }

    /// <summary>Text such as <c>origin igp as-path 65001 65002 next-hop 192.0.2.1 med 10 communities [65001:1]</c>; empty for no attributes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Add(string name, object? value)
        {
            if (value is null)
            {
                return;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(name).Append(' ').Append(value);
        }

        Add("origin", Origin?.ToString().ToLowerInvariant());
        Add("as-path", AsPath is null ? null : "[" + AsPath + "]");
        Add("next-hop", NextHop);
        Add("med", MultiExitDisc);
        Add("local-pref", LocalPref);
        Add("atomic-aggregate", AtomicAggregate ? "yes" : null);
        Add("aggregator", Aggregator);
        Add("communities", Communities.IsEmpty ? null : Communities.ToString());
        Add("originator-id", OriginatorId);
        Add("cluster-list", HasClusterList || !ClusterList.IsEmpty ? ClusterList.ToString() : null);
        Add("extended-communities", ExtendedCommunities.IsEmpty ? null : ExtendedCommunities.ToString());
        Add("ipv6-extended-communities", Ipv6ExtendedCommunities.IsEmpty ? null : Ipv6ExtendedCommunities.ToString());
        Add("large-communities", LargeCommunities.IsEmpty ? null : LargeCommunities.ToString());
        foreach (var unknown in UnknownAttributes)
        {
            Add("attribute", unknown.ToString()["attribute ".Length..]);
        }

        return text.ToString();
    }
}
