namespace BgpStack.Rib;

/// <summary>
/// The number of an interned attribute set in an <see cref="AttributeTable"/>. Two routes with equal
/// attributes in the same table have the same id, so comparing ids compares attribute sets. The
/// default value is <see cref="None"/>.
/// </summary>
/// <param name="Value">The slot number; 0 means none.</param>
public readonly record struct AttributeSetId(int Value)
{
    /// <summary>No attribute set.</summary>
    public static AttributeSetId None => default;

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    /// <summary>Text such as <c>#12</c>.</summary>
    public override string ToString() => "#" + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
