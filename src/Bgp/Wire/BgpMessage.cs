using System.Buffers;

namespace BgpStack.Bgp.Wire;

/// <summary>A BGP message: OPEN, UPDATE, NOTIFICATION, KEEPALIVE or ROUTE-REFRESH.</summary>
public abstract record BgpMessage
{
    private protected BgpMessage()
    {
    }

    /// <summary>The message type.</summary>
    public abstract BgpMessageType Type { get; }

    /// <summary>
    /// Decodes exactly one whole message (header and body). Never throws on malformed input: the
    /// result carries the NOTIFICATION to send instead.
    /// </summary>
    /// <param name="message">The message octets, header included, and nothing after them.</param>
    /// <param name="context">The negotiated context for the direction the message travelled.</param>
    public static DecodeResult<BgpMessage> Decode(ReadOnlySpan<byte> message, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (BgpHeader.TryRead(message, context, out var header, out var error))
        {
            case FramingStatus.Invalid:
                return error!;
            case FramingStatus.NeedMoreData:
                return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [], $"{message.Length} octets is shorter than a message header");
        }

        if (message.Length != header.Length)
        {
            var lengthField = message.Slice(BgpHeader.MarkerLength, 2);
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, lengthField, $"the header says {header.Length} octets but {message.Length} are given");
        }

        return DecodeBody(header, message, context);
    }

    /// <summary>
    /// Decodes the first message of a buffer that may hold a partial message or several. Returns
    /// false when more data is needed; otherwise <paramref name="consumed"/> is the message length
    /// (0 when the header itself is invalid, since the stream cannot be resynchronised).
    /// </summary>
    /// <param name="buffer">Buffered octets starting at a message boundary.</param>
    /// <param name="context">The negotiated context.</param>
    /// <param name="result">The decoded message or error.</param>
    /// <param name="consumed">Octets consumed.</param>
    /// <returns>True when <paramref name="result"/> holds an outcome.</returns>
    public static bool TryDecodeNext(ReadOnlySpan<byte> buffer, CodecContext context, out DecodeResult<BgpMessage> result, out int consumed)
    {
        ArgumentNullException.ThrowIfNull(context);
        consumed = 0;
        result = default;
        switch (BgpHeader.TryRead(buffer, context, out var header, out var error))
        {
            case FramingStatus.NeedMoreData:
                return false;
            case FramingStatus.Invalid:
                result = error!;
                return true;
        }

        if (buffer.Length < header.Length)
        {
            return false;
        }

        consumed = header.Length;
        result = DecodeBody(header, buffer[..header.Length], context);
        return true;
    }

    private static DecodeResult<BgpMessage> DecodeBody(BgpHeader header, ReadOnlySpan<byte> message, CodecContext context)
    {
        var body = message[BgpHeader.Size..];
        return header.Type switch
        {
            BgpMessageType.Open => OpenMessage.DecodeBody(body).As<BgpMessage>(),
            BgpMessageType.Update => UpdateMessage.DecodeBody(body, context).As<BgpMessage>(),
            BgpMessageType.Notification => NotificationMessage.DecodeBody(body).As<BgpMessage>(),
            BgpMessageType.Keepalive => KeepaliveMessage.Instance,
            BgpMessageType.RouteRefresh => RouteRefreshMessage.Decode(message).As<BgpMessage>(),
            _ => throw new InvalidOperationException("framing admitted an unknown type"),
        };
    }

    /// <summary>Encodes the whole message (header and body) into <paramref name="writer"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="context">The negotiated context for the direction the message travels.</param>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="MessageTooLargeException">The message does not fit in the maximum message size.</exception>
    public int Encode(IBufferWriter<byte> writer, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(context);
        var max = Type is BgpMessageType.Open or BgpMessageType.Keepalive
            ? CodecContext.StandardMaxMessageLength
            : context.MaxMessageLength;
        var span = writer.GetSpan(max)[..max];
        var w = new SpanWriter(span);
        w.Reserve(BgpHeader.Size);
        EncodeBody(ref w, context);
        BgpHeader.Write(span, w.Position, Type);
        writer.Advance(w.Position);
        return w.Position;
    }

    /// <summary>Encodes the whole message into a new array.</summary>
    /// <param name="context">The negotiated context for the direction the message travels.</param>
    /// <exception cref="MessageTooLargeException">The message does not fit in the maximum message size.</exception>
    public byte[] ToBytes(CodecContext context)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Encode(writer, context);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body after the header.</summary>
    private protected abstract void EncodeBody(ref SpanWriter writer, CodecContext context);
}

/// <summary>KEEPALIVE (RFC 4271 §4.4): a header and nothing else.</summary>
public sealed record KeepaliveMessage : BgpMessage
{
    private KeepaliveMessage()
    {
    }

    /// <summary>The one KEEPALIVE.</summary>
    public static KeepaliveMessage Instance { get; } = new();

    /// <inheritdoc/>
    public override BgpMessageType Type => BgpMessageType.Keepalive;

    private protected override void EncodeBody(ref SpanWriter writer, CodecContext context)
    {
    }

    /// <summary>The text <c>KEEPALIVE</c>.</summary>
    public override string ToString() => "KEEPALIVE";
}
