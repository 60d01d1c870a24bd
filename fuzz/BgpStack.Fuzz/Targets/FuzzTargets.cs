namespace BgpStack.Fuzz.Targets;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order <c>run --target all</c> runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new MessageTarget(),
        new AttributesTarget(),
        new CapabilitiesTarget(),
        new NlriTarget(),
        new MrtTarget(),
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    /// <param name="name">The target name.</param>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
