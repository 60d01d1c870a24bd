namespace BgpStack.Rib.Export;

/// <summary>
/// What makes peers share one Adj-RIB-Out: every input of their export policy that differs between
/// peers (peer type, AS, policy name, next-hop handling, negotiated capabilities), folded into one
/// value by the speaker. Peers with equal keys get the same computed updates.
/// </summary>
/// <param name="Value">The key.</param>
public readonly record struct UpdateGroupKey(string Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value;
}
