using System.Buffers.Binary;
using System.Net;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>A forward-only big-endian reader over a record body; every read says whether the octets were there.</summary>
internal ref struct MrtSpanReader
{
    private ReadOnlySpan<byte> rest;

    public MrtSpanReader(ReadOnlySpan<byte> span) => rest = span;

    public readonly int Remaining => rest.Length;

    public readonly ReadOnlySpan<byte> Rest => rest;

    public bool TryReadByte(out byte value)
    {
        if (rest.IsEmpty)
        {
            value = 0;
            return false;
        }

        value = rest[0];
        rest = rest[1..];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (!BinaryPrimitives.TryReadUInt16BigEndian(rest, out value))
        {
            return false;
        }

        rest = rest[2..];
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (!BinaryPrimitives.TryReadUInt32BigEndian(rest, out value))
        {
            return false;
        }

        rest = rest[4..];
        return true;
    }

    /// <summary>Reads a 2- or 4-octet AS number.</summary>
    public bool TryReadAs(bool fourOctet, out uint value)
    {
        if (fourOctet)
        {
            return TryReadUInt32(out value);
        }

        var ok = TryReadUInt16(out var small);
        value = small;
        return ok;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || count > rest.Length)
        {
            value = default;
            return false;
        }

        value = rest[..count];
        rest = rest[count..];
        return true;
    }

    /// <summary>Reads a 4- or 16-octet address.</summary>
    public bool TryReadAddress(bool ipv6, out IPAddress? address)
    {
        if (!TryReadBytes(ipv6 ? 16 : 4, out var bytes))
        {
            address = null;
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
