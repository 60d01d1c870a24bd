namespace BgpStack.Bgp.Wire;

/// <summary>Address Family Identifier (IANA "Address Family Numbers"). Values not named here are kept as numbers.</summary>
#pragma warning disable CA1028 // the wire field is 16 bits
public enum Afi : ushort
#pragma warning restore CA1028
{
    /// <summary>IP version 4.</summary>
    Ipv4 = 1,

    /// <summary>IP version 6.</summary>
    Ipv6 = 2,

    /// <summary>Layer-2 VPN (EVPN, VPLS).</summary>
    L2vpn = 25,

    /// <summary>BGP-LS (RFC 7752).</summary>
    LinkState = 16388,
}

/// <summary>Subsequent Address Family Identifier (IANA "SAFI Values"). Values not named here are kept as numbers.</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum Safi : byte
#pragma warning restore CA1028
{
    /// <summary>Unicast forwarding.</summary>
    Unicast = 1,

    /// <summary>Multicast forwarding.</summary>
    Multicast = 2,

    /// <summary>NLRI with MPLS labels (RFC 8277).</summary>
    LabeledUnicast = 4,

    /// <summary>EVPN (RFC 7432).</summary>
    Evpn = 70,

    /// <summary>MPLS-labelled VPN address (RFC 4364).</summary>
    MplsVpn = 128,

    /// <summary>Flow specification (RFC 8955).</summary>
    FlowSpec = 133,

    /// <summary>L3VPN flow specification (RFC 8955).</summary>
    FlowSpecVpn = 134,
}

/// <summary>An address family and subsequent address family pair, as carried in MP-BGP (RFC 4760).</summary>
/// <param name="Afi">The address family.</param>
/// <param name="Safi">The subsequent address family.</param>
public readonly record struct AfiSafi(Afi Afi, Safi Safi)
{
    /// <summary>IPv4 unicast.</summary>
    public static AfiSafi Ipv4Unicast => new(Afi.Ipv4, Safi.Unicast);

    /// <summary>IPv6 unicast.</summary>
    public static AfiSafi Ipv6Unicast => new(Afi.Ipv6, Safi.Unicast);

    /// <summary>True for the two families whose NLRI this codec decodes into prefixes.</summary>
    public bool IsUnicastIp => Safi == Safi.Unicast && (Afi == Afi.Ipv4 || Afi == Afi.Ipv6);

    /// <summary>Text such as <c>ipv4-unicast</c>, or <c>afi-25-safi-70</c> for families without a name here.</summary>
    public override string ToString() => (Afi, Safi) switch
    {
        (Afi.Ipv4, Safi.Unicast) => "ipv4-unicast",
        (Afi.Ipv6, Safi.Unicast) => "ipv6-unicast",
        (Afi.Ipv4, Safi.Multicast) => "ipv4-multicast",
        (Afi.Ipv6, Safi.Multicast) => "ipv6-multicast",
        (Afi.Ipv4, Safi.MplsVpn) => "ipv4-vpn",
        (Afi.Ipv6, Safi.MplsVpn) => "ipv6-vpn",
        (Afi.Ipv4, Safi.FlowSpec) => "ipv4-flowspec",
        (Afi.Ipv6, Safi.FlowSpec) => "ipv6-flowspec",
        (Afi.L2vpn, Safi.Evpn) => "l2vpn-evpn",
        _ => $"afi-{(ushort)Afi}-safi-{(byte)Safi}",
    };

    /// <summary>Parses the text <see cref="ToString"/> produces.</summary>
    /// <param name="text">The family text.</param>
    /// <param name="value">The family.</param>
    /// <returns>True when the text names a family.</returns>
    public static bool TryParse(string text, out AfiSafi value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = text switch
        {
            "ipv4-unicast" => Ipv4Unicast,
            "ipv6-unicast" => Ipv6Unicast,
            "ipv4-multicast" => new(Afi.Ipv4, Safi.Multicast),
            "ipv6-multicast" => new(Afi.Ipv6, Safi.Multicast),
            "ipv4-vpn" => new(Afi.Ipv4, Safi.MplsVpn),
            "ipv6-vpn" => new(Afi.Ipv6, Safi.MplsVpn),
            "ipv4-flowspec" => new(Afi.Ipv4, Safi.FlowSpec),
            "ipv6-flowspec" => new(Afi.Ipv6, Safi.FlowSpec),
            "l2vpn-evpn" => new(Afi.L2vpn, Safi.Evpn),
            _ => default,
        };
        if (value != default)
        {
            return true;
        }

        var parts = text.Split('-');
        if (parts.Length == 4 && parts[0] == "afi" && parts[2] == "safi"
            && ushort.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var afi)
            && byte.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out var safi))
        {
            value = new AfiSafi((Afi)afi, (Safi)safi);
            return true;
        }

        return false;
    }
}
