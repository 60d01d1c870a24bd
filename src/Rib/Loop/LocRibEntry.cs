using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib;

/// <summary>A prefix's selected paths in the Loc-RIB: the multipath set, the best first.</summary>
internal readonly struct LocRibEntry(RoutePath[] selected)
{
    /// <summary>The multipath set, the best first.</summary>
    public RoutePath[] Selected { get; } = selected;

    /// <summary>True when the decision picked the same paths with the same attributes, in the same order.</summary>
    public bool Matches(ReadOnlySpan<PathCandidate> candidates, ReadOnlySpan<int> chosen)
    {
        if (Selected is null || Selected.Length != chosen.Length)
        {
            return false;
        }

        for (var i = 0; i < chosen.Length; i++)
        {
            var c = candidates[chosen[i]];
            var s = Selected[i];
            if (s.Source != c.Source || s.PathId != c.PathId
                || !(ReferenceEquals(s.Attributes, c.Attributes) || s.Attributes.Equals(c.Attributes)))
            {
                return false;
            }
        }

        return true;
    }
}
