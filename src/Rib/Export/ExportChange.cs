namespace BgpStack.Rib.Export;

/// <summary>A change to what an update group advertises: a prefix with the attributes to send, or its withdrawal.</summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="Attributes">The attributes to advertise, or null to withdraw the prefix.</param>
public readonly record struct ExportChange(IpPrefix Prefix, PathAttributes? Attributes)
{
    /// <summary>True when the prefix is withdrawn.</summary>
    public bool IsWithdrawal => Attributes is null;

    /// <summary>Text such as <c>announce 10.0.0.0/24 origin igp ...</c> or <c>withdraw 10.0.0.0/24</c>.</summary>
    public override string ToString() => Attributes is null ? $"withdraw {Prefix}" : $"announce {Prefix} {Attributes}";
}
