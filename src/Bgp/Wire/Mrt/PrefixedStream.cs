namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// A read-only, forward-only stream that first returns octets already taken from an inner stream
/// (the magic number <see cref="MrtReader"/> peeked at), then the rest of the inner stream. This lets
/// compression be detected on streams that cannot seek.
/// </summary>
internal sealed class PrefixedStream : Stream
{
    private readonly Stream inner;
    private readonly bool leaveOpen;
    private ReadOnlyMemory<byte> prefix;

    public PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen)
    {
        this.prefix = prefix;
        this.inner = inner;
        this.leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    // A forward-only stream has no length or position (the Stream contract for CanSeek == false).
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer, out var taken))
        {
            return taken;
        }

        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span, out var taken))
        {
            return ValueTask.FromResult(taken);
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool TakePrefix(Span<byte> destination, out int taken)
    {
        taken = 0;
        if (prefix.IsEmpty || destination.IsEmpty)
        {
            return false;
        }

        taken = Math.Min(prefix.Length, destination.Length);
        prefix.Span[..taken].CopyTo(destination);
        prefix = prefix[taken..];
        return true;
    }
}
