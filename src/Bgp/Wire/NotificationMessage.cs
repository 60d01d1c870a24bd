using System.Text;

namespace BgpStack.Bgp.Wire;

/// <summary>
/// NOTIFICATION (RFC 4271 §4.5): error code, subcode and data. Helpers read the shutdown
/// communication of RFC 9003 and the inner error of an RFC 8538 Hard Reset.
/// </summary>
/// <param name="Code">The error code.</param>
/// <param name="Subcode">The error subcode.</param>
/// <param name="Data">The data field.</param>
public sealed record NotificationMessage(NotificationCode Code, byte Subcode, EquatableArray<byte> Data) : BgpMessage
{
    /// <summary>The largest shutdown communication in octets (RFC 9003 §2).</summary>
    public const int MaxShutdownCommunicationLength = 255;

    /// <inheritdoc/>
    public override BgpMessageType Type => BgpMessageType.Notification;

    /// <summary>Creates a NOTIFICATION with no data.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="subcode">The error subcode.</param>
    public NotificationMessage(NotificationCode code, byte subcode)
        : this(code, subcode, EquatableArray<byte>.Empty)
    {
    }

    /// <summary>
    /// A Cease with Administrative Shutdown or Administrative Reset carrying a shutdown communication
    /// (RFC 9003): a length octet and at most 255 octets of UTF-8.
    /// </summary>
    /// <param name="subcode">Administrative Shutdown or Administrative Reset.</param>
    /// <param name="message">The communication; truncated to 255 octets on a character boundary.</param>
    public static NotificationMessage Shutdown(CeaseSubcode subcode, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (subcode is not (CeaseSubcode.AdministrativeShutdown or CeaseSubcode.AdministrativeReset))
        {
            throw new ArgumentException("A shutdown communication goes with Administrative Shutdown or Administrative Reset.", nameof(subcode));
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var length = bytes.Length;
        if (length > MaxShutdownCommunicationLength)
        {
            length = MaxShutdownCommunicationLength;
            while (length > 0 && (bytes[length] & 0xC0) == 0x80)
            {
                length--; // do not cut a multi-octet character
            }
        }

        var data = new byte[length + 1];
        data[0] = (byte)length;
        bytes.AsSpan(0, length).CopyTo(data.AsSpan(1));
        return new NotificationMessage(NotificationCode.Cease, (byte)subcode, data);
    }

    /// <summary>A Cease / Hard Reset (RFC 8538) wrapping another error.</summary>
    /// <param name="inner">The error being reported.</param>
    public static NotificationMessage HardReset(NotificationMessage inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var data = new byte[2 + inner.Data.Count];
        data[0] = (byte)inner.Code;
        data[1] = inner.Subcode;
        inner.Data.AsSpan().CopyTo(data.AsSpan(2));
        return new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.HardReset, data);
    }

    /// <summary>
    /// The shutdown communication (RFC 9003) of an Administrative Shutdown or Reset, or null when
    /// there is none or it is malformed (a length past the data, or invalid UTF-8).
    /// </summary>
    public string? ShutdownCommunication
    {
        get
        {
            if (Code != NotificationCode.Cease
                || Subcode is not ((byte)CeaseSubcode.AdministrativeShutdown or (byte)CeaseSubcode.AdministrativeReset)
                || Data.Count == 0)
            {
                return null;
            }

            var data = Data.AsSpan();
            var length = data[0];
            if (length == 0 || length > data.Length - 1)
            {
                return null;
            }

            try
            {
                return new UTF8Encoding(false, true).GetString(data.Slice(1, length));
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }

    /// <summary>The error inside a Cease / Hard Reset (RFC 8538), or null.</summary>
    public NotificationMessage? HardResetInner =>
        Code == NotificationCode.Cease && Subcode == (byte)CeaseSubcode.HardReset && Data.Count >= 2
            ? new NotificationMessage((NotificationCode)Data[0], Data[1], Data.AsSpan()[2..].ToArray())
            : null;

    /// <summary>Decodes a NOTIFICATION body (code, subcode, data).</summary>
    /// <param name="body">The octets after the header; framing guarantees at least two.</param>
    public static DecodeResult<NotificationMessage> DecodeBody(ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [], "a NOTIFICATION needs a code and a subcode");
        }

        return new NotificationMessage((NotificationCode)body[0], body[1], body[2..].ToArray());
    }

    private protected override void EncodeBody(ref SpanWriter writer, CodecContext context)
    {
        writer.WriteByte((byte)Code);
        writer.WriteByte(Subcode);
        writer.WriteBytes(Data.AsSpan());
    }

    /// <summary>Text such as <c>NOTIFICATION Cease / Administrative Shutdown "maintenance"</c>.</summary>
    public override string ToString()
    {
        var text = $"NOTIFICATION {NotificationNames.CodeName(Code)} / {NotificationNames.SubcodeName(Code, Subcode)}";
        if (ShutdownCommunication is { } communication)
        {
            return $"{text} \"{communication}\"";
        }

        if (HardResetInner is { } inner)
        {
            return $"{text} ({inner})";
        }

        return Data.IsEmpty ? text : $"{text} data {Convert.ToHexString(Data.AsSpan())}";
    }
}
