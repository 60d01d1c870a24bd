namespace BgpStack.Rib.Decision;

/// <summary>The outcome of comparing two paths: which one is preferred, and at which step.</summary>
/// <param name="Order">Negative when the first path is preferred, positive when the second is, 0 when they are the same path.</param>
/// <param name="Reason">The step that told them apart.</param>
public readonly record struct PathComparison(int Order, DecisionReason Reason)
{
    /// <summary>True when the first path is preferred.</summary>
    public bool FirstWins => Order < 0;

    /// <summary>True when the second path is preferred.</summary>
    public bool SecondWins => Order > 0;
}
