using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BgpStack.Bgp.Wire;

/// <summary>A forward-only big-endian writer over a span; overflowing it is an encoding error (the message is too large).</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> buffer;

    public SpanWriter(Span<byte> buffer)
    {
        this.buffer = buffer;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => buffer.Length - Position;

    public readonly Span<byte> Written => buffer[..Position];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        Ensure(1);
        buffer[Position++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[Position..], value);
        Position += 2;
    }

    public void WriteUInt24(uint value)
    {
        Ensure(3);
        buffer[Position] = (byte)(value >> 16);
        buffer[Position + 1] = (byte)(value >> 8);
        buffer[Position + 2] = (byte)value;
        Position += 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[Position..], value);
        Position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[Position..], value);
        Position += 8;
    }

    public void WriteUInt128(UInt128 value)
    {
        Ensure(16);
        BinaryPrimitives.WriteUInt128BigEndian(buffer[Position..], value);
        Position += 16;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(buffer[Position..]);
        Position += value.Length;
    }

    /// <summary>Reserves <paramref name="count"/> octets (e.g. a length to fill in later) and returns their position.</summary>
    public int Reserve(int count)
    {
        Ensure(count);
        var at = Position;
        buffer.Slice(at, count).Clear();
        Position += count;
        return at;
    }

    public readonly void WriteUInt16At(int position, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(buffer[position..], value);

    public readonly void WriteByteAt(int position, byte value) => buffer[position] = value;

    /// <summary>A span to write into directly; call <see cref="Advance"/> afterwards.</summary>
    public readonly Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return buffer.Slice(Position, count);
    }

    public void Advance(int count) => Position += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Ensure(int count)
    {
        if (count > buffer.Length - Position)
        {
            ThrowTooLarge(buffer.Length);
        }
    }

    private static void ThrowTooLarge(int capacity) =>
        throw new MessageTooLargeException($"The message does not fit in {capacity} octets; split it (UpdateBuilder does) or negotiate extended messages.");
}

/// <summary>Thrown when a message given to an encoder does not fit in the negotiated maximum message size.</summary>
public sealed class MessageTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MessageTooLargeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What did not fit.</param>
    public MessageTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What did not fit.</param>
    /// <param name="innerException">The cause.</param>
    public MessageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
