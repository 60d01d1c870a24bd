namespace BgpStack.Bgp.Wire;

/// <summary>Capability codes (IANA "Capability Codes").</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum CapabilityCode : byte
#pragma warning restore CA1028
{
    /// <summary>Multiprotocol Extensions (RFC 4760).</summary>
    Multiprotocol = 1,

    /// <summary>Route Refresh (RFC 2918).</summary>
    RouteRefresh = 2,

    /// <summary>Extended Next Hop Encoding (RFC 8950).</summary>
    ExtendedNextHop = 5,

    /// <summary>Extended Message (RFC 8654).</summary>
    ExtendedMessage = 6,

    /// <summary>Graceful Restart (RFC 4724).</summary>
    GracefulRestart = 64,

    /// <summary>Support for 4-octet AS numbers (RFC 6793).</summary>
    FourOctetAs = 65,

    /// <summary>ADD-PATH (RFC 7911).</summary>
    AddPath = 69,

    /// <summary>Enhanced Route Refresh (RFC 7313).</summary>
    EnhancedRouteRefresh = 70,

    /// <summary>Long-Lived Graceful Restart (RFC 9494).</summary>
    LongLivedGracefulRestart = 71,

    /// <summary>FQDN (draft-walton-bgp-hostname-capability).</summary>
    Fqdn = 73,
}

/// <summary>A BGP capability (RFC 5492) advertised in OPEN.</summary>
public abstract record Capability
{
    private protected Capability()
    {
    }

    /// <summary>The capability code.</summary>
    public abstract CapabilityCode Code { get; }
}

/// <summary>Multiprotocol Extensions (RFC 4760 §8): one address family.</summary>
/// <param name="Family">The family.</param>
public sealed record MultiprotocolCapability(AfiSafi Family) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.Multiprotocol;

    /// <inheritdoc/>
    public override string ToString() => $"mp {Family}";
}

/// <summary>Route Refresh (RFC 2918): no value.</summary>
public sealed record RouteRefreshCapability : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.RouteRefresh;

    /// <inheritdoc/>
    public override string ToString() => "route-refresh";
}

/// <summary>Enhanced Route Refresh (RFC 7313): no value.</summary>
public sealed record EnhancedRouteRefreshCapability : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.EnhancedRouteRefresh;

    /// <inheritdoc/>
    public override string ToString() => "enhanced-route-refresh";
}

/// <summary>Extended Message (RFC 8654): no value.</summary>
public sealed record ExtendedMessageCapability : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.ExtendedMessage;

    /// <inheritdoc/>
    public override string ToString() => "extended-message";
}

/// <summary>Support for 4-octet AS numbers (RFC 6793): the sender's AS.</summary>
/// <param name="Asn">The sender's 4-octet AS number.</param>
public sealed record FourOctetAsCapability(uint Asn) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.FourOctetAs;

    /// <inheritdoc/>
    public override string ToString() => $"as4 {Asn}";
}

/// <summary>One entry of the Extended Next Hop capability (RFC 8950 §3).</summary>
/// <param name="NlriAfi">The NLRI's AFI (2 octets on the wire).</param>
/// <param name="NlriSafi">The NLRI's SAFI (2 octets on the wire).</param>
/// <param name="NextHopAfi">The next hop's AFI.</param>
public readonly record struct ExtendedNextHopEntry(Afi NlriAfi, ushort NlriSafi, Afi NextHopAfi);

/// <summary>Extended Next Hop Encoding (RFC 8950): which NLRI families may use which next-hop family.</summary>
/// <param name="Entries">The entries.</param>
public sealed record ExtendedNextHopCapability(EquatableArray<ExtendedNextHopEntry> Entries) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.ExtendedNextHop;

    /// <inheritdoc/>
    public override string ToString() => $"extended-next-hop {Entries}";
}

/// <summary>One family of the Graceful Restart capability (RFC 4724 §3).</summary>
/// <param name="Family">The family.</param>
/// <param name="ForwardingPreserved">The F bit: forwarding state was preserved across the restart.</param>
public readonly record struct GracefulRestartFamily(AfiSafi Family, bool ForwardingPreserved);

/// <summary>Graceful Restart (RFC 4724, RFC 8538 for the N bit).</summary>
/// <param name="RestartState">The R bit: the sender has restarted.</param>
/// <param name="NotificationSupport">The N bit: graceful restart also covers NOTIFICATION (RFC 8538).</param>
/// <param name="RestartTime">Restart time in seconds (12 bits, at most 4095).</param>
/// <param name="Families">The families and their forwarding-state bits.</param>
public sealed record GracefulRestartCapability(bool RestartState, bool NotificationSupport, ushort RestartTime, EquatableArray<GracefulRestartFamily> Families) : Capability
{
    /// <summary>The largest restart time the 12-bit field holds.</summary>
    public const ushort MaxRestartTime = 4095;

    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.GracefulRestart;

    /// <inheritdoc/>
    public override string ToString() => $"graceful-restart{(RestartState ? " R" : "")}{(NotificationSupport ? " N" : "")} time {RestartTime} {Families}";
}

/// <summary>What ADD-PATH a family is advertised for (RFC 7911 §4).</summary>
[Flags]
#pragma warning disable CA1028 // the wire field is 8 bits
public enum AddPathMode : byte
#pragma warning restore CA1028
{
    /// <summary>Not advertised (never valid on the wire; the default value).</summary>
    None = 0,

    /// <summary>The sender can receive multiple paths.</summary>
    Receive = 1,

    /// <summary>The sender can send multiple paths.</summary>
    Send = 2,

    /// <summary>Both.</summary>
    Both = 3,
}

/// <summary>One family of the ADD-PATH capability.</summary>
/// <param name="Family">The family.</param>
/// <param name="Mode">Send, receive or both.</param>
public readonly record struct AddPathFamily(AfiSafi Family, AddPathMode Mode);

/// <summary>ADD-PATH (RFC 7911).</summary>
/// <param name="Families">The families and modes.</param>
public sealed record AddPathCapability(EquatableArray<AddPathFamily> Families) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.AddPath;

    /// <inheritdoc/>
    public override string ToString() => $"add-path {Families}";
}

/// <summary>One family of the Long-Lived Graceful Restart capability (RFC 9494 §2).</summary>
/// <param name="Family">The family.</param>
/// <param name="ForwardingPreserved">The F bit.</param>
/// <param name="StaleTime">Long-lived stale time in seconds (24 bits).</param>
public readonly record struct LongLivedGracefulRestartFamily(AfiSafi Family, bool ForwardingPreserved, uint StaleTime);

/// <summary>Long-Lived Graceful Restart (RFC 9494).</summary>
/// <param name="Families">The families.</param>
public sealed record LongLivedGracefulRestartCapability(EquatableArray<LongLivedGracefulRestartFamily> Families) : Capability
{
    /// <summary>The largest stale time the 24-bit field holds.</summary>
    public const uint MaxStaleTime = 0xFFFFFF;

    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.LongLivedGracefulRestart;

    /// <inheritdoc/>
    public override string ToString() => $"llgr {Families}";
}

/// <summary>FQDN (draft-walton-bgp-hostname-capability): the sender's host and domain names.</summary>
/// <param name="HostName">The host name in UTF-8; with the domain name at most 253 octets, since both length octets share the capability's 255-octet value.</param>
/// <param name="DomainName">The domain name in UTF-8.</param>
public sealed record FqdnCapability(string HostName, string DomainName) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => CapabilityCode.Fqdn;

    /// <inheritdoc/>
    public override string ToString() => $"fqdn {HostName} {DomainName}";
}

/// <summary>A capability this codec does not interpret, kept as its code and raw value.</summary>
/// <param name="RawCode">The capability code.</param>
/// <param name="Value">The capability value.</param>
public sealed record UnknownCapability(byte RawCode, EquatableArray<byte> Value) : Capability
{
    /// <inheritdoc/>
    public override CapabilityCode Code => (CapabilityCode)RawCode;

    /// <inheritdoc/>
    public override string ToString() => $"capability {RawCode} {Convert.ToHexString(Value.AsSpan())}";
}
