using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace BgpStack.Rib;

/// <summary>A community (RFC 1997): high 16 bits an AS, low 16 bits a value; some values are well known.</summary>
/// <param name="Value">The 32-bit value.</param>
public readonly record struct Community(uint Value)
{
    /// <summary>GRACEFUL_SHUTDOWN (RFC 8326).</summary>
    public static Community GracefulShutdown => new(0xFFFF0000);

    /// <summary>ACCEPT_OWN (RFC 7611).</summary>
    public static Community AcceptOwn => new(0xFFFF0001);

    /// <summary>LLGR_STALE (RFC 9494).</summary>
    public static Community LlgrStale => new(0xFFFF0006);

    /// <summary>NO_LLGR (RFC 9494).</summary>
    public static Community NoLlgr => new(0xFFFF0007);

    /// <summary>BLACKHOLE (RFC 7999).</summary>
    public static Community Blackhole => new(0xFFFF029A);

    /// <summary>NO_EXPORT (RFC 1997): not advertised outside the AS or confederation.</summary>
    public static Community NoExport => new(0xFFFFFF01);

    /// <summary>NO_ADVERTISE (RFC 1997): not advertised to any peer.</summary>
    public static Community NoAdvertise => new(0xFFFFFF02);

    /// <summary>NO_EXPORT_SUBCONFED (RFC 1997): not advertised to external peers, confederation members included.</summary>
    public static Community NoExportSubconfed => new(0xFFFFFF03);

    /// <summary>NOPEER (RFC 3765).</summary>
    public static Community NoPeer => new(0xFFFFFF04);

    /// <summary>Creates <c>asn:value</c>.</summary>
    /// <param name="asn">The high 16 bits.</param>
    /// <param name="value">The low 16 bits.</param>
    public static Community Create(ushort asn, ushort value) => new(((uint)asn << 16) | value);

    /// <summary>The well-known name of this community, or null.</summary>
    public string? WellKnownName => Value switch
    {
        0xFFFF0000 => "graceful-shutdown",
        0xFFFF0001 => "accept-own",
        0xFFFF0006 => "llgr-stale",
        0xFFFF0007 => "no-llgr",
        0xFFFF029A => "blackhole",
        0xFFFFFF01 => "no-export",
        0xFFFFFF02 => "no-advertise",
        0xFFFFFF03 => "no-export-subconfed",
        0xFFFFFF04 => "no-peer",
        _ => null,
    };

    /// <summary>The well-known name, or <c>asn:value</c>.</summary>
    public override string ToString() => WellKnownName ?? $"{Value >> 16}:{Value & 0xFFFF}";

    /// <summary>Parses a well-known name or <c>asn:value</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="community">The community.</param>
    /// <returns>True when the text is a community.</returns>
    public static bool TryParse(string text, out Community community)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint? known = text switch
        {
            "graceful-shutdown" => 0xFFFF0000,
            "accept-own" => 0xFFFF0001,
            "llgr-stale" => 0xFFFF0006,
            "no-llgr" => 0xFFFF0007,
            "blackhole" => 0xFFFF029A,
            "no-export" => 0xFFFFFF01,
            "no-advertise" => 0xFFFFFF02,
            "no-export-subconfed" => 0xFFFFFF03,
            "no-peer" => 0xFFFFFF04,
            _ => null,
        };
        if (known is { } k)
        {
            community = new Community(k);
            return true;
        }

        var parts = text.Split(':');
        if (parts.Length == 2
            && ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hi)
            && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lo))
        {
            community = Create(hi, lo);
            return true;
        }

        community = default;
        return false;
    }
}

/// <summary>A large community (RFC 8092): global administrator and two local data parts.</summary>
/// <param name="GlobalAdministrator">The global administrator (an AS).</param>
/// <param name="LocalData1">The first local data part.</param>
/// <param name="LocalData2">The second local data part.</param>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    /// <summary>Text <c>a:b:c</c>.</summary>
    public override string ToString() => $"{GlobalAdministrator}:{LocalData1}:{LocalData2}";

    /// <summary>Parses <c>a:b:c</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="community">The community.</param>
    /// <returns>True when the text is a large community.</returns>
    public static bool TryParse(string text, out LargeCommunity community)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length == 3
            && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            && uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var c))
        {
            community = new LargeCommunity(a, b, c);
            return true;
        }

        community = default;
        return false;
    }
}

/// <summary>
/// An extended community (RFC 4360): 8 octets, the first the type (high bit: IANA authority,
/// next bit: non-transitive), the second usually a subtype.
/// </summary>
/// <param name="Value">The 64-bit value, type in the most significant octet.</param>
public readonly record struct ExtendedCommunity(ulong Value)
{
    /// <summary>The type octet.</summary>
    public byte TypeHigh => (byte)(Value >> 56);

    /// <summary>The subtype octet (for extended types).</summary>
    public byte SubType => (byte)(Value >> 48);

    /// <summary>True unless the non-transitive bit (0x40 of the type) is set.</summary>
    public bool IsTransitive => (TypeHigh & 0x40) == 0;

    /// <summary>A route target with a 2-octet AS global administrator (type 0x00, subtype 0x02).</summary>
    /// <param name="asn">The AS.</param>
    /// <param name="localAdministrator">The assigned number.</param>
    public static ExtendedCommunity RouteTarget(ushort asn, uint localAdministrator) =>
        new((0x0002UL << 48) | ((ulong)asn << 32) | localAdministrator);

    /// <summary>Text such as <c>rt:65000:100</c>, <c>soo:192.0.2.1:7</c>, or <c>0x0002fde800000064</c> for other types.</summary>
    public override string ToString()
    {
        var name = SubType switch
        {
            0x02 => "rt",
            0x03 => "soo",
            _ => null,
        };
        return (TypeHigh & 0xBF, name) switch
        {
            (0x00, not null) => $"{name}:{(Value >> 32) & 0xFFFF}:{Value & 0xFFFFFFFF}",
            (0x01, not null) => $"{name}:{new RouterId((uint)(Value >> 16))}:{Value & 0xFFFF}",
            (0x02, not null) => $"{name}:{(Value >> 16) & 0xFFFFFFFF}:{Value & 0xFFFF}",
            _ => $"0x{Value:x16}",
        };
    }

    /// <summary>Parses the text <see cref="ToString"/> produces.</summary>
    /// <param name="text">The text.</param>
    /// <param name="community">The community.</param>
    /// <returns>True when the text is an extended community.</returns>
    public static bool TryParse(string text, out ExtendedCommunity community)
    {
        ArgumentNullException.ThrowIfNull(text);
        community = default;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var raw))
            {
                community = new ExtendedCommunity(raw);
                return true;
            }

            return false;
        }

        var parts = text.Split(':');
        if (parts.Length != 3 || !uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var local))
        {
            return false;
        }

        ulong subtype = parts[0] switch { "rt" => 0x02, "soo" => 0x03, _ => 0 };
        if (subtype == 0)
        {
            return false;
        }

        if (RouterId.TryParse(parts[1], out var id) && local <= ushort.MaxValue)
        {
            community = new ExtendedCommunity((0x01UL << 56) | (subtype << 48) | ((ulong)id.Value << 16) | local);
            return true;
        }

        if (!uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var global))
        {
            return false;
        }

        if (global <= ushort.MaxValue)
        {
            community = new ExtendedCommunity((subtype << 48) | ((ulong)global << 32) | local);
            return true;
        }

        if (local <= ushort.MaxValue)
        {
            community = new ExtendedCommunity((0x02UL << 56) | (subtype << 48) | ((ulong)global << 16) | local);
            return true;
        }

        return false;
    }
}

/// <summary>An IPv6 address specific extended community (RFC 5701): 20 octets.</summary>
/// <param name="TypeHigh">The type octet (0x00 transitive, 0x40 non-transitive).</param>
/// <param name="SubType">The subtype (0x02 route target, 0x03 route origin).</param>
/// <param name="GlobalAdministrator">The IPv6 address as a host-order number.</param>
/// <param name="LocalAdministrator">The local administrator.</param>
public readonly record struct Ipv6ExtendedCommunity(byte TypeHigh, byte SubType, UInt128 GlobalAdministrator, ushort LocalAdministrator)
{
    /// <summary>The global administrator as an address.</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, GlobalAdministrator);
            return new IPAddress(bytes);
        }
    }

    /// <summary>Text such as <c>0x00:0x02:[2001:db8::1]:100</c>.</summary>
    public override string ToString() => $"0x{TypeHigh:x2}:0x{SubType:x2}:[{Address}]:{LocalAdministrator}";
}

/// <summary>AGGREGATOR (RFC 4271 §5.1.7): the AS and BGP Identifier of the speaker that aggregated.</summary>
/// <param name="Asn">The aggregating AS (4 octets; AS4_AGGREGATOR merged in for a 2-octet peer).</param>
/// <param name="Address">The aggregating speaker's identifier.</param>
public readonly record struct Aggregator(uint Asn, RouterId Address)
{
    /// <summary>Text <c>asn address</c>.</summary>
    public override string ToString() => $"{Asn} {Address}";
}
