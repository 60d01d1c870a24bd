using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace BgpStack.Netlink.Protocol;

/// <summary>
/// Writes netlink messages (nlmsghdr, a family header such as rtmsg, then rtattrs, possibly nested)
/// one after another into a pooled buffer, so that a whole batch goes out in one send. Fields are in
/// host byte order as netlink wants, except where a protocol field is big-endian by definition.
/// </summary>
internal sealed class NetlinkMessageWriter : IDisposable
{
    private byte[] buffer;
    private int length;
    private int messageStart = -1;
    private readonly List<int> messageOffsets = [];

    /// <summary>Creates a writer with a pooled buffer of at least <paramref name="initialCapacity"/> octets.</summary>
    /// <param name="initialCapacity">The initial capacity.</param>
    public NetlinkMessageWriter(int initialCapacity = 4096) => buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The octets written so far (complete messages only once <see cref="EndMessage"/> ran).</summary>
    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    /// <summary>The number of octets written so far.</summary>
    public int Length => length;

    /// <summary>The number of messages begun.</summary>
    public int MessageCount => messageOffsets.Count;

    /// <summary>Where message <paramref name="index"/> starts in <see cref="Written"/>.</summary>
    /// <param name="index">The message index.</param>
    public int MessageOffset(int index) => messageOffsets[index];

    /// <summary>Forgets everything written; the buffer is kept.</summary>
    public void Reset()
    {
        length = 0;
        messageStart = -1;
        messageOffsets.Clear();
    }

    /// <summary>Starts a message: writes an nlmsghdr whose length is fixed by <see cref="EndMessage"/>.</summary>
    /// <param name="type">The message type.</param>
    /// <param name="flags">The NLM_F_* flags.</param>
    /// <param name="sequence">The sequence number.</param>
    public void BeginMessage(ushort type, ushort flags, uint sequence)
    {
        if (messageStart >= 0)
        {
            throw new InvalidOperationException("The previous message was not ended.");
        }

        messageStart = length;
        messageOffsets.Add(length);
        var header = Reserve(Rtnl.HeaderLength);
        MemoryMarshal.Write(header, 0u);
        MemoryMarshal.Write(header[4..], type);
        MemoryMarshal.Write(header[6..], flags);
        MemoryMarshal.Write(header[8..], sequence);
        MemoryMarshal.Write(header[12..], 0u);
    }

    /// <summary>Reserves a zeroed, 4-aligned family header (rtmsg, ifinfomsg, ...) for the caller to fill.</summary>
    /// <param name="size">The structure size.</param>
    public Span<byte> AppendStruct(int size) => Reserve(size);

    /// <summary>Finishes the current message by writing its nlmsg_len.</summary>
    public void EndMessage()
    {
        if (messageStart < 0)
        {
            throw new InvalidOperationException("No message was begun.");
        }

        MemoryMarshal.Write(buffer.AsSpan(messageStart), (uint)(length - messageStart));
        messageStart = -1;
    }

    /// <summary>Writes an attribute with a raw value, padded to 4 octets.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        var attribute = Reserve(4 + value.Length);
        MemoryMarshal.Write(attribute, (ushort)(4 + value.Length));
        MemoryMarshal.Write(attribute[2..], type);
        value.CopyTo(attribute[4..]);
    }

    /// <summary>Writes a 32-bit attribute in host order.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, value);
        AddAttribute(type, bytes);
    }

    /// <summary>Writes a 16-bit attribute in network order (ports).</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddUInt16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = [(byte)(value >> 8), (byte)value];
        AddAttribute(type, bytes);
    }

    /// <summary>Writes an 8-bit attribute.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddUInt8(ushort type, byte value)
    {
        Span<byte> bytes = [value];
        AddAttribute(type, bytes);
    }

    /// <summary>Writes a zero-length flag attribute.</summary>
    /// <param name="type">The attribute type.</param>
    public void AddFlag(ushort type) => AddAttribute(type, []);

    /// <summary>Writes a NUL-terminated string attribute.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The string (ASCII interface names, kinds).</param>
    public void AddString(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        var attribute = Reserve(4 + count + 1);
        MemoryMarshal.Write(attribute, (ushort)(4 + count + 1));
        MemoryMarshal.Write(attribute[2..], type);
        Encoding.UTF8.GetBytes(value, attribute[4..]);
        attribute[4 + count] = 0;
    }

    /// <summary>Starts a nested attribute; returns the token to pass to <see cref="EndNested"/>.</summary>
    /// <param name="type">The attribute type (NLA_F_NESTED is not set: rtnetlink does not want it everywhere).</param>
    public int BeginNested(ushort type)
    {
        var start = length;
        var attribute = Reserve(4);
        MemoryMarshal.Write(attribute[2..], type);
        return start;
    }

    /// <summary>Ends a nested attribute by writing its length.</summary>
    /// <param name="token">What <see cref="BeginNested"/> returned.</param>
    public void EndNested(int token) => MemoryMarshal.Write(buffer.AsSpan(token), (ushort)(length - token));

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var old = buffer;
        buffer = [];
        length = 0;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    // Reserves size octets plus padding to the 4-octet boundary, zeroed; returns the unpadded span.
    private Span<byte> Reserve(int size)
    {
        var padded = Rtnl.Align(size);
        if (length + padded > buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + padded));
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }

        var span = buffer.AsSpan(length, padded);
        span.Clear();
        length += padded;
        return span[..size];
    }
}
