using System.Buffers;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Transport;

/// <summary>Finds whole messages at the start of a buffered byte sequence, from their headers alone.</summary>
internal static class MessageFramer
{
    /// <summary>
    /// Walks message headers from the start of <paramref name="buffer"/> and records the end offset
    /// of each whole message in <paramref name="ends"/> (at most its length). Stops at the first
    /// partial message, at the cap, or at an invalid header (RFC 4271 §6.1), whose error is returned.
    /// </summary>
    /// <param name="buffer">Buffered octets starting at a message boundary.</param>
    /// <param name="context">The receive context (maximum message length).</param>
    /// <param name="ends">Receives the end offset of each whole message.</param>
    /// <param name="error">The header error that stopped framing, or null.</param>
    /// <returns>The number of whole messages found.</returns>
    internal static int Frame(in ReadOnlySequence<byte> buffer, CodecContext context, Span<int> ends, out BgpError? error)
    {
        error = null;
        Span<byte> copy = stackalloc byte[BgpHeader.Size];
        var rest = buffer;
        var count = 0;
        var offset = 0;
        while (count < ends.Length && rest.Length >= BgpHeader.Size)
        {
            var first = rest.FirstSpan;
            scoped ReadOnlySpan<byte> header;
            if (first.Length >= BgpHeader.Size)
            {
                header = first[..BgpHeader.Size];
            }
            else
            {
                // A header split across pipe segments is copied once; the body never is here.
                rest.Slice(0, BgpHeader.Size).CopyTo(copy);
                header = copy;
            }

            if (BgpHeader.TryRead(header, context, out var parsed, out error) == FramingStatus.Invalid)
            {
                break;
            }

            if (rest.Length < parsed.Length || offset > int.MaxValue - parsed.Length)
            {
                break;
            }

            offset += parsed.Length;
            ends[count++] = offset;
            rest = rest.Slice(parsed.Length);
        }

        return count;
    }
}
