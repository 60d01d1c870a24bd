using System.Net;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Export;

/// <summary>
/// An update group's export function: given a prefix's Loc-RIB state, what (if anything) the
/// group's peers are sent. Rules of the speaker (iBGP split horizon, route reflection, next-hop
/// self, AS_PATH prepending) are expressed as policies; the Adj-RIB-Out machinery knows none of
/// them. Called on the builder's loop only.
/// </summary>
public interface IExportPolicy
{
    /// <summary>Exports a prefix.</summary>
    /// <param name="change">The prefix's current best path and multipath set (never a withdrawal).</param>
    /// <returns>The attributes to advertise (the best path's, or modified ones), or null to not advertise the prefix.</returns>
    PathAttributes? Export(in RibChange change);

    /// <summary>
    /// A BGP peer whose own paths this policy never exports (split horizon), or null. The group's
    /// change feed then leaves out changes among that peer's paths, which could not change what the
    /// group advertises.
    /// </summary>
    IPAddress? SplitHorizonPeer => null;
}

/// <summary>An export policy from a function.</summary>
/// <param name="export">The export function: the attributes to advertise, or null to reject.</param>
public sealed class DelegateExportPolicy(Func<RibChange, PathAttributes?> export) : IExportPolicy
{
    /// <summary>A policy that advertises every best path with its attributes unchanged.</summary>
    public static DelegateExportPolicy AcceptAll { get; } = new(change => change.Best?.Attributes);

    /// <inheritdoc/>
    public PathAttributes? Export(in RibChange change) => export(change);
}
