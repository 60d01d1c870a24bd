using System.Globalization;

namespace BgpStack.Rib.Tables;

/// <summary>
/// The handle of one path in a <see cref="RouteTable"/>. Valid while the path is in the table; once
/// the path is withdrawn its slot may be reused by another path. The default value is <see cref="None"/>.
/// </summary>
/// <param name="Value">The slot number; 0 means none.</param>
public readonly record struct RouteId(int Value)
{
    /// <summary>No path.</summary>
    public static RouteId None => default;

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    /// <summary>Text such as <c>route#12</c>.</summary>
    public override string ToString() => "route#" + Value.ToString(CultureInfo.InvariantCulture);
}
