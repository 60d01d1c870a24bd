using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// Reads whole BGP messages from a <see cref="PipeReader"/> in pooled batches: ReadAsync, frame
/// by headers, copy the whole messages once, AdvanceTo(consumed, examined) in finally.
/// </summary>
internal sealed class MessageReader
{
    /// <summary>The most messages one batch may hold, whatever the caller asks for.</summary>
    internal const int MaxBatchMessages = 1 << 16;

    private readonly PipeReader _reader;
    private BgpError? _framingError;

    /// <summary>Reads from <paramref name="reader"/>.</summary>
    /// <param name="reader">The input.</param>
    internal MessageReader(PipeReader reader) => _reader = reader;

    /// <summary>The receive context framing checks lengths against.</summary>
    internal CodecContext Context { get; set; } = CodecContext.Default;

    /// <summary>Waits for at least one whole message, the end of the stream or a header error.</summary>
    /// <param name="maxMessages">The cap on messages in the batch.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<MessageBatch> ReadAsync(int maxMessages, CancellationToken cancellationToken)
    {
        if (_framingError is not null)
        {
            // RFC 4271 §6.1: the stream cannot be resynchronised after a bad header.
            return new MessageBatch(null, null, 0, completed: false, _framingError);
        }

        var cap = Math.Min(maxMessages, MaxBatchMessages);
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            int[]? ends = null;
            try
            {
                ends = ArrayPool<int>.Shared.Rent(cap + 1);
                var count = MessageFramer.Frame(buffer, Context, ends.AsSpan(1, cap), out var error);
                _framingError = error;
                var ended = result.IsCompleted || result.IsCanceled;
                if (count == 0 && error is null && !ended)
                {
                    // Only part of a message so far: examined everything, consumed nothing, wait for more.
                    continue;
                }

                var length = count == 0 ? 0 : ends[count];

                // The end of the stream is reported with the last messages, unless the cap left octets behind.
                var completed = ended && error is null && (count < cap || buffer.Length == length);
                if (count == 0)
                {
                    return new MessageBatch(null, null, 0, completed, error);
                }

                ends[0] = 0;
                var bytes = ArrayPool<byte>.Shared.Rent(length);
                buffer.Slice(0, length).CopyTo(bytes);
                consumed = buffer.GetPosition(length);
                if (count == cap)
                {
                    // Stopped by the cap: the rest may hold whole messages already, so the next read must not wait.
                    examined = consumed;
                }

                var batch = new MessageBatch(bytes, ends, count, completed, error);
                ends = null;
                return batch;
            }
            finally
            {
                if (ends is not null)
                {
                    ArrayPool<int>.Shared.Return(ends);
                }

                _reader.AdvanceTo(consumed, examined);
            }
        }
    }
}
