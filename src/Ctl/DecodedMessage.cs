using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl;

/// <summary>
/// One message found in the input: the decoded model, or the verdict on a malformed message, with
/// where it sat in the input.
/// </summary>
/// <param name="Offset">The offset of the message in the input.</param>
/// <param name="Raw">The message octets (what framing delimited; the rest of the input when the header was invalid).</param>
/// <param name="Type">The message type from the header, when the header could be read.</param>
/// <param name="Message">The decoded message, or null when it was malformed.</param>
/// <param name="Error">The NOTIFICATION verdict when the message was malformed, or null.</param>
public sealed record DecodedMessage(int Offset, EquatableArray<byte> Raw, BgpMessageType? Type, BgpMessage? Message, BgpError? Error)
{
    /// <summary>True when the message was malformed or carries RFC 7606 attribute errors.</summary>
    public bool HasErrors => Error is not null || Message is UpdateMessage { AttributeErrors.IsEmpty: false };

    /// <summary>
    /// Splits <paramref name="input"/> into messages by framing and decodes each. Framing stops at an
    /// invalid header (the stream cannot be resynchronised) or at a message cut short.
    /// </summary>
    /// <param name="input">Messages back to back.</param>
    /// <param name="context">The context of the direction the messages travelled.</param>
    public static IReadOnlyList<DecodedMessage> DecodeAll(ReadOnlySpan<byte> input, CodecContext context)
    {
        var results = new List<DecodedMessage>();
        var offset = 0;
        while (offset < input.Length)
        {
            var rest = input[offset..];
            BgpMessageType? type = rest.Length > BgpHeader.Size - 1 ? (BgpMessageType)rest[BgpHeader.Size - 1] : null;
            if (!BgpMessage.TryDecodeNext(rest, context, out var result, out var consumed))
            {
                var error = BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [], $"the input ends {rest.Length} octets into a message");
                results.Add(new DecodedMessage(offset, rest.ToArray(), type, null, error));
                break;
            }

            if (consumed == 0)
            {
                results.Add(new DecodedMessage(offset, rest.ToArray(), type, null, result.Error));
                break;
            }

            var raw = rest[..consumed].ToArray();
            results.Add(result.TryGetValue(out var message, out var decodeError)
                ? new DecodedMessage(offset, raw, message.Type, message, null)
                : new DecodedMessage(offset, raw, type, null, decodeError));
            offset += consumed;
        }

        return results;
    }
}
