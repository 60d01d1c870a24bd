using System.Buffers;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// Whole messages read from a connection in one turn, copied into one pooled buffer. Dispose the
/// batch once its messages are decoded: the buffer goes back to the pool and the memory handed out
/// by the indexer must not be used afterwards.
/// </summary>
/// <remarks>
/// A batch holds up to the number of messages asked for, and may also say that nothing more will
/// follow: <see cref="FramingError"/> (a header error after the messages, RFC 4271 §6.1; send its
/// NOTIFICATION and close) or <see cref="Completed"/> (the peer closed, or the connection broke).
/// </remarks>
public sealed class MessageBatch : IDisposable
{
    private byte[]? _buffer;
    private int[]? _offsets;

    internal MessageBatch(byte[]? buffer, int[]? offsets, int count, bool completed, BgpError? framingError)
    {
        _buffer = buffer;
        _offsets = offsets;
        Count = count;
        Length = count == 0 ? 0 : offsets![count];
        Completed = completed;
        FramingError = framingError;
    }

    /// <summary>The number of whole messages in the batch.</summary>
    public int Count { get; }

    /// <summary>The total octets of the messages in the batch.</summary>
    public int Length { get; }

    /// <summary>
    /// True when the stream ended after these messages: the peer closed its side, or the
    /// connection was reset or disposed (<see cref="BgpConnection.ReceiveError"/> says which).
    /// Octets of a partial message left at the end are dropped.
    /// </summary>
    public bool Completed { get; }

    /// <summary>
    /// The header error found right after these messages (Message Header Error 1/1, 1/2 or 1/3 with
    /// its data), or null. The stream cannot be resynchronised after it: every later read returns it again.
    /// </summary>
    public BgpError? FramingError { get; }

    /// <summary>The whole message at <paramref name="index"/>, header included.</summary>
    /// <param name="index">0..<see cref="Count"/>-1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the batch.</exception>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public ReadOnlyMemory<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            var start = _offsets![index];
            return new ReadOnlyMemory<byte>(_buffer, start, _offsets[index + 1] - start);
        }
    }

    /// <summary>The type of the message at <paramref name="index"/>, as framing read it from the header.</summary>
    /// <param name="index">0..<see cref="Count"/>-1.</param>
    public BgpMessageType TypeAt(int index) => (BgpMessageType)this[index].Span[BgpHeader.Size - 1];

    /// <summary>Returns the buffer to the pool. Safe to call more than once.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var offsets = Interlocked.Exchange(ref _offsets, null);
        if (offsets is not null)
        {
            ArrayPool<int>.Shared.Return(offsets);
        }
    }
}
