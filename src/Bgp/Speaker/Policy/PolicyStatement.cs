namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>One statement of a <see cref="RoutePolicy"/>: for the routes <see cref="Match"/> selects, make <see cref="Set"/>'s changes and then take <see cref="Action"/>.</summary>
/// <param name="Match">Which routes the statement applies to.</param>
/// <param name="Action">What happens to them.</param>
/// <param name="Set">The changes made to them (ignored for <see cref="PolicyAction.Reject"/>).</param>
public sealed record PolicyStatement(PolicyMatch Match, PolicyAction Action, PolicyModifications Set)
{
    /// <summary>A statement that changes nothing.</summary>
    /// <param name="match">Which routes the statement applies to.</param>
    /// <param name="action">What happens to them.</param>
    public PolicyStatement(PolicyMatch match, PolicyAction action)
        : this(match, action, PolicyModifications.None)
    {
    }
}
