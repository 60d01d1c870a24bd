using System.Buffers;

namespace BgpStack.Control;

/// <summary>
/// Splits a byte stream into newline-terminated lines of at most a given length. A longer line is
/// dropped as it arrives (so a client cannot make the server buffer without bound) and reported
/// once, when its newline comes, as too long.
/// </summary>
internal sealed class LineReader(int maxLineBytes)
{
    private readonly ArrayBufferWriter<byte> pending = new();
    private readonly Queue<byte[]?> lines = new();
    private bool discarding;

    /// <summary>Adds bytes read from the stream.</summary>
    /// <param name="data">The bytes.</param>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var newline = data.IndexOf((byte)'\n');
            var segment = newline < 0 ? data : data[..newline];
            if (!discarding)
            {
                if (pending.WrittenCount + segment.Length > maxLineBytes)
                {
                    discarding = true;
                    pending.ResetWrittenCount();
                }
                else
                {
                    pending.Write(segment);
                }
            }

            if (newline < 0)
            {
                return;
            }

            // A null entry stands for a line that was too long.
            lines.Enqueue(discarding ? null : pending.WrittenSpan.ToArray());
            discarding = false;
            pending.ResetWrittenCount();
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Takes the next complete line (without its newline), or says there is none yet.</summary>
    /// <param name="line">The line's bytes, a copy the caller owns; empty when <paramref name="tooLong"/>.</param>
    /// <param name="tooLong">True when the line was longer than the limit and was dropped.</param>
    /// <returns>True when a line was taken.</returns>
    public bool TryTakeLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        if (!lines.TryDequeue(out var next))
        {
            line = default;
            tooLong = false;
            return false;
        }

        tooLong = next is null;
        line = next ?? ReadOnlyMemory<byte>.Empty;
        return true;
    }
}
