namespace BgpStack.Bgp.Wire;

/// <summary>The families for which ADD-PATH (RFC 7911) path identifiers are carried in one direction.</summary>
[Flags]
public enum AddPathFamilies
{
    /// <summary>No path identifiers.</summary>
    None = 0,

    /// <summary>IPv4 unicast NLRI carry path identifiers.</summary>
    Ipv4Unicast = 1,

    /// <summary>IPv6 unicast NLRI carry path identifiers.</summary>
    Ipv6Unicast = 2,
}

/// <summary>
/// What was negotiated for one direction of a session and shapes the bytes on the wire: AS number
/// size, ADD-PATH per family and the maximum message size. Every decoder and encoder takes one;
/// there are no global flags.
/// </summary>
public sealed record CodecContext
{
    /// <summary>The standard maximum message size (RFC 4271).</summary>
    public const int StandardMaxMessageLength = 4096;

    /// <summary>The maximum message size once extended messages are negotiated (RFC 8654).</summary>
    public const int ExtendedMaxMessageLength = 65535;

    /// <summary>Four-octet AS numbers in AS_PATH and AGGREGATOR (RFC 6793); false for a 2-octet peer.</summary>
    public bool FourOctetAs { get; init; } = true;

    /// <summary>Messages up to 65535 octets (RFC 8654).</summary>
    public bool ExtendedMessage { get; init; }

    /// <summary>The families whose NLRI carry ADD-PATH path identifiers in this direction.</summary>
    public AddPathFamilies AddPath { get; init; }

    /// <summary>The context of a modern peer before anything else is negotiated: 4-octet AS, no ADD-PATH, 4096-octet messages.</summary>
    public static CodecContext Default { get; } = new();

    /// <summary>The largest message allowed in this direction (OPEN and KEEPALIVE are always at most 4096).</summary>
    public int MaxMessageLength => ExtendedMessage ? ExtendedMaxMessageLength : StandardMaxMessageLength;

    /// <summary>True when NLRI of <paramref name="family"/> carry path identifiers.</summary>
    /// <param name="family">The address family.</param>
    public bool HasAddPath(AfiSafi family) =>
        family == AfiSafi.Ipv4Unicast ? (AddPath & AddPathFamilies.Ipv4Unicast) != 0
        : family == AfiSafi.Ipv6Unicast && (AddPath & AddPathFamilies.Ipv6Unicast) != 0;
}
