using System.Buffers.Binary;

namespace BgpStack.Bgp.Wire;

/// <summary>BGP message types (RFC 4271 §4.1, RFC 2918).</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum BgpMessageType : byte
#pragma warning restore CA1028
{
    /// <summary>OPEN (1).</summary>
    Open = 1,

    /// <summary>UPDATE (2).</summary>
    Update = 2,

    /// <summary>NOTIFICATION (3).</summary>
    Notification = 3,

    /// <summary>KEEPALIVE (4).</summary>
    Keepalive = 4,

    /// <summary>ROUTE-REFRESH (5, RFC 2918).</summary>
    RouteRefresh = 5,
}

/// <summary>What framing found at the start of a buffer.</summary>
public enum FramingStatus
{
    /// <summary>A valid header; the whole message is <see cref="BgpHeader.Length"/> octets (it may not all be buffered yet).</summary>
    Valid,

    /// <summary>Fewer than 19 octets are buffered.</summary>
    NeedMoreData,

    /// <summary>The header is invalid; the error says which NOTIFICATION to send.</summary>
    Invalid,
}

/// <summary>
/// The 19-octet message header (RFC 4271 §4.1). Framing validates marker, length and type from the
/// header alone, before the body is buffered, so a bad length is rejected without reading it.
/// </summary>
public readonly struct BgpHeader
{
    /// <summary>The size of the header in octets.</summary>
    public const int Size = 19;

    /// <summary>The length of the marker.</summary>
    public const int MarkerLength = 16;

    /// <summary>Minimum message lengths by type (RFC 4271 §4.2–4.5, RFC 2918).</summary>
    internal const int MinOpenLength = 29;

    /// <summary>Minimum length of an UPDATE.</summary>
    internal const int MinUpdateLength = 23;

    /// <summary>Minimum length of a NOTIFICATION.</summary>
    internal const int MinNotificationLength = 21;

    /// <summary>The length of a ROUTE-REFRESH.</summary>
    internal const int RouteRefreshLength = 23;

    /// <summary>Creates a header.</summary>
    /// <param name="length">The whole message length, header included.</param>
    /// <param name="type">The message type.</param>
    public BgpHeader(int length, BgpMessageType type)
    {
        Length = length;
        Type = type;
    }

    /// <summary>The whole message length, header included.</summary>
    public int Length { get; }

    /// <summary>The message type.</summary>
    public BgpMessageType Type { get; }

    /// <summary>
    /// Reads and validates a header (RFC 4271 §6.1, RFC 8654 §4): all-ones marker; length at least
    /// 19, at most the negotiated maximum (4096 for OPEN and KEEPALIVE whatever was negotiated), and
    /// within the bounds of its type; a known type.
    /// </summary>
    /// <param name="buffer">The buffered octets, starting at a message boundary.</param>
    /// <param name="context">The negotiated context (maximum message length).</param>
    /// <param name="header">The header, when valid.</param>
    /// <param name="error">The error, when invalid.</param>
    /// <returns>Whether a header was read.</returns>
    public static FramingStatus TryRead(ReadOnlySpan<byte> buffer, CodecContext context, out BgpHeader header, out BgpError? error)
    {
        ArgumentNullException.ThrowIfNull(context);
        header = default;
        error = null;
        if (buffer.Length < Size)
        {
            return FramingStatus.NeedMoreData;
        }

        if (buffer[..MarkerLength].ContainsAnyExcept((byte)0xFF))
        {
            error = BgpError.Header(MessageHeaderErrorSubcode.ConnectionNotSynchronized, [], "the marker is not all ones");
            return FramingStatus.Invalid;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[MarkerLength..]);
        var lengthField = buffer.Slice(MarkerLength, 2);
        var type = (BgpMessageType)buffer[18];
        var max = type is BgpMessageType.Open or BgpMessageType.Keepalive
            ? CodecContext.StandardMaxMessageLength
            : context.MaxMessageLength;
        if (length < Size || length > max)
        {
            error = BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, lengthField, $"length {length} is outside {Size}..{max}");
            return FramingStatus.Invalid;
        }

        var (min, exact) = type switch
        {
            BgpMessageType.Open => (MinOpenLength, false),
            BgpMessageType.Update => (MinUpdateLength, false),
            BgpMessageType.Notification => (MinNotificationLength, false),
            BgpMessageType.Keepalive => (Size, true),
            BgpMessageType.RouteRefresh => (Size, false), // RFC 7313 §5: a wrong length is a ROUTE-REFRESH error, found by the decoder
            _ => (-1, false),
        };
        if (min < 0)
        {
            error = BgpError.Header(MessageHeaderErrorSubcode.BadMessageType, buffer.Slice(18, 1), $"message type {(byte)type} is not known");
            return FramingStatus.Invalid;
        }

        if (length < min || (exact && length != min))
        {
            error = BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, lengthField, $"length {length} is invalid for a {type} message");
            return FramingStatus.Invalid;
        }

        header = new BgpHeader(length, type);
        return FramingStatus.Valid;
    }

    /// <summary>Writes a header: marker, length, type.</summary>
    /// <param name="destination">At least 19 octets.</param>
    /// <param name="length">The whole message length.</param>
    /// <param name="type">The message type.</param>
    public static void Write(Span<byte> destination, int length, BgpMessageType type)
    {
        destination[..MarkerLength].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(destination[MarkerLength..], checked((ushort)length));
        destination[18] = (byte)type;
    }
}
