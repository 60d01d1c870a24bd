using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>
/// The conditions of a policy statement. Every condition that is set must hold; a condition that
/// lists several values holds when any one of them matches. A match with no conditions selects
/// every route.
/// </summary>
public sealed record PolicyMatch
{
    /// <summary>A match that selects every route.</summary>
    public static PolicyMatch Any { get; } = new();

    /// <summary>The route's prefix lies in one of these ranges (empty: not checked).</summary>
    public EquatableArray<PrefixRange> Prefixes { get; init; }

    /// <summary>The route's family is one of these (empty: not checked). Only the unicast families carry prefixes.</summary>
    public EquatableArray<AfiSafi> Families { get; init; }

    /// <summary>The route carries one of these communities (empty: not checked).</summary>
    public EquatableArray<Community> Communities { get; init; }

    /// <summary>The route carries one of these large communities (empty: not checked).</summary>
    public EquatableArray<LargeCommunity> LargeCommunities { get; init; }

    /// <summary>The route's AS path matches this pattern (null: not checked).</summary>
    public AsPathPattern? AsPath { get; init; }

    /// <summary>True when no condition is set.</summary>
    public bool IsAny => Prefixes.IsEmpty && Families.IsEmpty && Communities.IsEmpty && LargeCommunities.IsEmpty && AsPath is null;

    /// <summary>True when every condition that is set holds for the route.</summary>
    /// <param name="prefix">The route's prefix.</param>
    /// <param name="attributes">The route's attributes.</param>
    public bool Matches(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return MatchesFamily(prefix)
            && MatchesPrefix(prefix)
            && MatchesAnyOf(attributes.Communities.AsSpan(), Communities.AsSpan())
            && MatchesAnyOf(attributes.LargeCommunities.AsSpan(), LargeCommunities.AsSpan())
            && (AsPath is null || AsPath.IsMatch(attributes.AsPath));
    }

    private bool MatchesFamily(IpPrefix prefix)
    {
        if (Families.IsEmpty)
        {
            return true;
        }

        var family = prefix.IsIPv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast;
        return Families.AsSpan().Contains(family);
    }

    private bool MatchesPrefix(IpPrefix prefix)
    {
        if (Prefixes.IsEmpty)
        {
            return true;
        }

        foreach (var range in Prefixes.AsSpan())
        {
            if (range.Matches(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAnyOf<T>(ReadOnlySpan<T> carried, ReadOnlySpan<T> wanted)
        where T : IEquatable<T>
    {
        if (wanted.IsEmpty)
        {
            return true;
        }

        foreach (var value in carried)
        {
            if (wanted.Contains(value))
            {
                return true;
            }
        }

        return false;
    }
}
