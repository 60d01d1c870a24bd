using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BgpStack.Rib;

/// <summary>
/// An IPv4 or IPv6 prefix in a compact, allocation-free form: the address bits (an IPv4 address in
/// the low 32 bits) with host bits cleared, the length and the family. 24 bytes: the bits are two
/// 64-bit halves because <see cref="UInt128"/> is 16-byte aligned and would pad the struct to 32.
/// </summary>
public readonly struct IpPrefix : IEquatable<IpPrefix>, IComparable<IpPrefix>
{
    private readonly ulong high;
    private readonly ulong low;
    private readonly byte length;
    private readonly bool isIPv6;

    private IpPrefix(UInt128 bits, byte length, bool isIPv6)
    {
        high = (ulong)(bits >> 64);
        low = (ulong)bits;
        this.length = length;
        this.isIPv6 = isIPv6;
    }

    private UInt128 Bits => new(high, low);

    /// <summary>True for an IPv6 prefix, false for IPv4.</summary>
    public bool IsIPv6 => isIPv6;

    /// <summary>The address family.</summary>
    public AddressFamily Family => isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>The prefix length in bits.</summary>
    public int Length => length;

    /// <summary>The largest prefix length of the family: 32 or 128.</summary>
    public int MaxLength => isIPv6 ? 128 : 32;

    /// <summary>The IPv4 network address as a host-order number (IPv4 prefixes only).</summary>
    public uint Ipv4Bits => isIPv6 ? throw new InvalidOperationException("Not an IPv4 prefix.") : (uint)low;

    /// <summary>The IPv6 network address as a host-order number (IPv6 prefixes only).</summary>
    public UInt128 Ipv6Bits => isIPv6 ? Bits : throw new InvalidOperationException("Not an IPv6 prefix.");

    /// <summary>Creates an IPv4 prefix; host bits are cleared.</summary>
    /// <param name="address">The address as a host-order number.</param>
    /// <param name="prefixLength">0 to 32.</param>
    public static IpPrefix FromIPv4(uint address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return new IpPrefix(address & mask, (byte)prefixLength, false);
    }

    /// <summary>Creates an IPv6 prefix; host bits are cleared.</summary>
    /// <param name="address">The address as a host-order number.</param>
    /// <param name="prefixLength">0 to 128.</param>
    public static IpPrefix FromIPv6(UInt128 address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 128);
        var mask = prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);
        return new IpPrefix(address & mask, (byte)prefixLength, true);
    }

    /// <summary>Creates a prefix from an address and length; host bits are cleared.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <param name="prefixLength">The prefix length.</param>
    public static IpPrefix Create(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("Unsupported address.", nameof(address));
        }

        return written == 4
            ? FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes), prefixLength)
            : FromIPv6(BinaryPrimitives.ReadUInt128BigEndian(bytes), prefixLength);
    }

    /// <summary>Converts from <see cref="IPNetwork"/>.</summary>
    /// <param name="network">The network.</param>
    public static IpPrefix FromIPNetwork(IPNetwork network) => Create(network.BaseAddress, network.PrefixLength);

    /// <summary>Converts to <see cref="IPNetwork"/>.</summary>
    public IPNetwork ToIPNetwork() => new(Address, length);

    /// <summary>The network address.</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            if (isIPv6)
            {
                BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
                return new IPAddress(bytes);
            }

            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)low);
            return new IPAddress(bytes[..4]);
        }
    }

    /// <summary>The number of octets the prefix occupies in NLRI: ceil(length / 8).</summary>
    public int WireOctets => (length + 7) >> 3;

    /// <summary>Writes the significant address octets (<see cref="WireOctets"/> of them), most significant first.</summary>
    /// <param name="destination">At least <see cref="WireOctets"/> octets.</param>
    public void WriteAddressOctets(Span<byte> destination)
    {
        var count = WireOctets;
        if (isIPv6)
        {
            Span<byte> all = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(all, Bits);
            all[..count].CopyTo(destination);
        }
        else
        {
            Span<byte> all = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(all, (uint)low);
            all[..count].CopyTo(destination);
        }
    }

    /// <summary>Parses <c>a.b.c.d/len</c> or <c>x::y/len</c>.</summary>
    /// <param name="text">The prefix text.</param>
    /// <param name="prefix">The prefix.</param>
    /// <returns>True when the text is a prefix.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPrefix prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var len))
        {
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (len > max)
        {
            return false;
        }

        prefix = Create(address, len);
        return true;
    }

    /// <summary>Parses <c>a.b.c.d/len</c> or <c>x::y/len</c>.</summary>
    /// <param name="text">The prefix text.</param>
    /// <exception cref="FormatException">The text is not a prefix.</exception>
    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not an IP prefix.");

    /// <inheritdoc/>
    public bool Equals(IpPrefix other) => low == other.low && high == other.high && length == other.length && isIPv6 == other.isIPv6;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IpPrefix other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(high, low, length, isIPv6);

    /// <summary>Orders IPv4 before IPv6, then by address, then by length.</summary>
    /// <param name="other">The other prefix.</param>
    public int CompareTo(IpPrefix other)
    {
        var c = isIPv6.CompareTo(other.isIPv6);
        if (c != 0)
        {
            return c;
        }

        c = high.CompareTo(other.high);
        if (c == 0)
        {
            c = low.CompareTo(other.low);
        }

        return c != 0 ? c : length.CompareTo(other.length);
    }

    /// <summary>Equality.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator ==(IpPrefix left, IpPrefix right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator !=(IpPrefix left, IpPrefix right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator <(IpPrefix left, IpPrefix right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator >(IpPrefix left, IpPrefix right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator <=(IpPrefix left, IpPrefix right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator >=(IpPrefix left, IpPrefix right) => left.CompareTo(right) >= 0;

    /// <summary>Text such as <c>10.0.0.0/24</c> or <c>2001:db8::/32</c>.</summary>
    public override string ToString() => $"{Address}/{length}";
}
