namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>What a policy statement does with a route its match selects.</summary>
public enum PolicyAction
{
    /// <summary>Accept the route (with the statement's modifications) and stop.</summary>
    Accept,

    /// <summary>Reject the route and stop.</summary>
    Reject,

    /// <summary>Apply the statement's modifications and go on with the next statement.</summary>
    Next,
}
