using System.Buffers.Binary;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// The 12-octet MRT common header (RFC 6396 §2): timestamp, type, subtype and the length of what
/// follows. For the _ET types the first 4 octets after it are a microsecond timestamp, counted in
/// <see cref="Length"/>.
/// </summary>
/// <param name="TimestampSeconds">Seconds since the Unix epoch.</param>
/// <param name="Type">The record type.</param>
/// <param name="Subtype">The record subtype.</param>
/// <param name="Length">The octets after the common header (microsecond field included).</param>
public readonly record struct MrtHeader(uint TimestampSeconds, MrtType Type, ushort Subtype, uint Length)
{
    /// <summary>The size of the common header in octets.</summary>
    public const int Size = 12;

    /// <summary>True for the types whose body starts with a 4-octet microsecond timestamp (RFC 6396 §3).</summary>
    public bool HasMicroseconds => Type is MrtType.Bgp4mpEt or MrtType.IsisEt or MrtType.Ospfv3Et;

    /// <summary>The timestamp (whole seconds; the microseconds of _ET types are in the body).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(TimestampSeconds);

    /// <summary>Reads a common header.</summary>
    /// <param name="buffer">At least 12 octets starting at a record boundary.</param>
    /// <param name="header">The header.</param>
    /// <returns>False when fewer than 12 octets are given.</returns>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out MrtHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }

        header = new MrtHeader(
            BinaryPrimitives.ReadUInt32BigEndian(buffer),
            (MrtType)BinaryPrimitives.ReadUInt16BigEndian(buffer[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(buffer[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]));
        return true;
    }
}
