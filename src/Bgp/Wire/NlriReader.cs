using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BgpStack.Bgp.Wire;

/// <summary>Why an NLRI field could not be read to its end.</summary>
public enum NlriError
{
    /// <summary>No error (so far).</summary>
    None = 0,

    /// <summary>A prefix length exceeds 32 (IPv4) or 128 (IPv6).</summary>
    PrefixTooLong = 1,

    /// <summary>The field ends inside a path identifier, a length octet or a prefix.</summary>
    Truncated = 2,
}

/// <summary>
/// Walks an IPv4 or IPv6 unicast NLRI field (RFC 4271 §4.3, RFC 4760 §5, with RFC 7911 path
/// identifiers when ADD-PATH is in use) without allocating. Call <see cref="TryRead"/> until it
/// returns false, then check <see cref="Error"/>: <see cref="NlriError.None"/> means the field
/// ended cleanly.
/// </summary>
public ref struct NlriReader
{
    private readonly ReadOnlySpan<byte> data;
    private readonly bool ipv6;
    private readonly bool addPath;
    private int position;

    /// <summary>Creates a reader over an NLRI field.</summary>
    /// <param name="nlri">The NLRI octets.</param>
    /// <param name="ipv6">True for IPv6 prefixes, false for IPv4.</param>
    /// <param name="addPath">True when each prefix is preceded by a 4-octet path identifier (RFC 7911 §3).</param>
    public NlriReader(ReadOnlySpan<byte> nlri, bool ipv6, bool addPath)
    {
        data = nlri;
        this.ipv6 = ipv6;
        this.addPath = addPath;
        position = 0;
        Error = NlriError.None;
    }

    /// <summary>Why reading stopped early; <see cref="NlriError.None"/> while the field is well formed.</summary>
    public NlriError Error { get; private set; }

    /// <summary>The offset of the next entry within the field.</summary>
    public readonly int Position => position;

    /// <summary>True once every octet has been read without error.</summary>
    public readonly bool IsAtEnd => position == data.Length && Error == NlriError.None;

    /// <summary>Reads the next entry.</summary>
    /// <param name="nlri">The entry read.</param>
    /// <returns>False at the end of the field or on malformed input (see <see cref="Error"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out Nlri nlri)
    {
        var span = data;
        var at = position;
        if ((uint)at >= (uint)span.Length || Error != NlriError.None)
        {
            nlri = default;
            return false;
        }

        uint pathId = 0;
        if (addPath)
        {
            if (span.Length - at < 5)
            {
                return Fail(NlriError.Truncated, out nlri);
            }

            pathId = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            at += 4;
        }

        int length = span[at++];
        var octets = (length + 7) >> 3;
        if (span.Length - at < octets)
        {
            return Fail(length > (ipv6 ? 128 : 32) ? NlriError.PrefixTooLong : NlriError.Truncated, out nlri);
        }

        if (!ipv6)
        {
            if (length > 32)
            {
                return Fail(NlriError.PrefixTooLong, out nlri);
            }

            // Reading a whole word past the prefix is harmless: FromIPv4 clears the host bits.
            uint address;
            if (span.Length - at >= 4)
            {
                address = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            }
            else
            {
                address = (uint)(ReadShort(span.Slice(at, octets)) >> 96);
            }

            position = at + octets;
            nlri = new Nlri(IpPrefix.FromIPv4(address, length), pathId);
            return true;
        }

        if (length > 128)
        {
            return Fail(NlriError.PrefixTooLong, out nlri);
        }

        UInt128 bits;
        if (span.Length - at >= 16)
        {
            bits = BinaryPrimitives.ReadUInt128BigEndian(span[at..]);
        }
        else
        {
            bits = ReadShort(span.Slice(at, octets));
        }

        position = at + octets;
        nlri = new Nlri(IpPrefix.FromIPv6(bits, length), pathId);
        return true;
    }

    /// <summary>The last prefix of a field, shorter than a whole address: left-aligned in 128 bits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static UInt128 ReadShort(ReadOnlySpan<byte> octets)
    {
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        octets.CopyTo(buffer);
        return BinaryPrimitives.ReadUInt128BigEndian(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Fail(NlriError error, out Nlri nlri)
    {
        Error = error;
        nlri = default;
        return false;
    }
}

/// <summary>Writes and sizes NLRI entries (RFC 4271 §4.3, RFC 7911 §3).</summary>
internal static class NlriWriter
{
    /// <summary>The encoded size of one entry.</summary>
    public static int Size(in Nlri nlri, bool addPath) => (addPath ? 5 : 1) + nlri.Prefix.WireOctets;

    /// <summary>The encoded size of a list of entries.</summary>
    public static int Size(ReadOnlySpan<Nlri> nlri, bool addPath)
    {
        var size = 0;
        foreach (ref readonly var n in nlri)
        {
            size += Size(n, addPath);
        }

        return size;
    }

    /// <summary>Writes one entry.</summary>
    public static void Write(ref SpanWriter writer, in Nlri nlri, bool addPath)
    {
        if (addPath)
        {
            writer.WriteUInt32(nlri.PathId);
        }

        var prefix = nlri.Prefix;
        writer.WriteByte((byte)prefix.Length);
        var octets = prefix.WireOctets;
        prefix.WriteAddressOctets(writer.GetSpan(octets));
        writer.Advance(octets);
    }

    /// <summary>Writes a list of entries.</summary>
    public static void Write(ref SpanWriter writer, ReadOnlySpan<Nlri> nlri, bool addPath)
    {
        foreach (ref readonly var n in nlri)
        {
            Write(ref writer, n, addPath);
        }
    }

    /// <summary>Validates a field and counts its entries by walking the length octets only.</summary>
    public static NlriError Count(ReadOnlySpan<byte> field, bool ipv6, bool addPath, out int count)
    {
        count = 0;
        var max = ipv6 ? 128 : 32;
        var skip = addPath ? 4 : 0;
        var at = 0;
        while (at < field.Length)
        {
            if (field.Length - at <= skip)
            {
                return NlriError.Truncated;
            }

            int length = field[at + skip];
            if (length > max)
            {
                return NlriError.PrefixTooLong;
            }

            at += skip + 1 + ((length + 7) >> 3);
            if (at > field.Length)
            {
                return NlriError.Truncated;
            }

            count++;
        }

        return NlriError.None;
    }

    /// <summary>Decodes a whole NLRI field into an array (counting first so the array is exact).</summary>
    /// <returns>The error that stopped the walk, or <see cref="NlriError.None"/>.</returns>
    public static NlriError ReadAll(ReadOnlySpan<byte> field, bool ipv6, bool addPath, out EquatableArray<Nlri> result)
    {
        result = default;
        if (field.IsEmpty)
        {
            return NlriError.None;
        }

        var error = Count(field, ipv6, addPath, out var count);
        if (error != NlriError.None)
        {
            return error;
        }

        var items = new Nlri[count];
        var reader = new NlriReader(field, ipv6, addPath);
        for (var i = 0; i < items.Length; i++)
        {
            reader.TryRead(out items[i]);
        }

        result = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(items);
        return NlriError.None;
    }
}
