using System.Buffers;
using System.IO.Pipelines;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// Packs messages densely into the output pipe. Encoders ask for the largest message size up front
/// (4096 or 65535 octets) and usually write far less; asked directly, the pipe would start a new
/// segment whenever its current one has less room than that, so a stream of KEEPALIVEs would pin
/// one 4 KiB segment per 19-octet message. Here a request the current segment can hold is served
/// from the pipe (no copy); a larger one from a pooled scratch buffer that is copied into the pipe
/// on <see cref="Advance"/>. Used under the connection's write lock only.
/// </summary>
internal sealed class PackingWriter : IBufferWriter<byte>
{
    private readonly PipeWriter _pipe;
    private byte[]? _scratch;
    private bool _direct;

    /// <summary>Writes into <paramref name="pipe"/>.</summary>
    /// <param name="pipe">The output pipe's writer.</param>
    internal PackingWriter(PipeWriter pipe) => _pipe = pipe;

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var direct = _pipe.GetMemory(1);
        _direct = direct.Length >= Math.Max(sizeHint, 1);
        return _direct ? direct : Scratch(sizeHint);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if (_direct)
        {
            _pipe.Advance(count);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _scratch?.Length ?? 0);
        if (count > 0)
        {
            _pipe.Write(_scratch.AsSpan(0, count));
        }
    }

    /// <summary>Returns the scratch buffer to the pool (after each send, so idle connections hold none).</summary>
    internal void Release()
    {
        if (_scratch is { } scratch)
        {
            _scratch = null;
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private Memory<byte> Scratch(int sizeHint)
    {
        var size = Math.Max(sizeHint, 1);
        if (_scratch is null || _scratch.Length < size)
        {
            Release();
            _scratch = ArrayPool<byte>.Shared.Rent(size);
        }

        return _scratch;
    }
}
