using System.Runtime.InteropServices;

namespace BgpStack.Netlink.Protocol;

/// <summary>What a reader step found.</summary>
internal enum ReadStatus
{
    /// <summary>An item was read.</summary>
    Item,

    /// <summary>The input is used up.</summary>
    End,

    /// <summary>The input is malformed; see the reader's error text.</summary>
    Malformed,
}

/// <summary>One netlink message: its header fields and its payload (after the 16-octet header).</summary>
internal readonly ref struct NetlinkMessage
{
    /// <summary>Creates a message view.</summary>
    /// <param name="type">nlmsg_type.</param>
    /// <param name="flags">nlmsg_flags.</param>
    /// <param name="sequence">nlmsg_seq.</param>
    /// <param name="portId">nlmsg_pid.</param>
    /// <param name="payload">The octets after the header, up to nlmsg_len.</param>
    public NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    /// <summary>nlmsg_type.</summary>
    public ushort Type { get; }

    /// <summary>nlmsg_flags.</summary>
    public ushort Flags { get; }

    /// <summary>nlmsg_seq.</summary>
    public uint Sequence { get; }

    /// <summary>nlmsg_pid.</summary>
    public uint PortId { get; }

    /// <summary>The payload.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}

/// <summary>
/// Walks the netlink messages of one datagram without allocating. A message's length is checked
/// against what is left before its header is used, and malformed input yields
/// <see cref="ReadStatus.Malformed"/>, never an exception.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> remaining;

    /// <summary>Creates a reader over one received datagram.</summary>
    /// <param name="data">The datagram.</param>
    public NetlinkMessageReader(ReadOnlySpan<byte> data) => remaining = data;

    /// <summary>Why the input was malformed, when it was.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the next message.</summary>
    /// <param name="message">The message, when <see cref="ReadStatus.Item"/>.</param>
    public ReadStatus TryReadNext(out NetlinkMessage message)
    {
        message = default;
        if (remaining.IsEmpty)
        {
            return ReadStatus.End;
        }

        if (remaining.Length < Rtnl.HeaderLength)
        {
            return Fail($"{remaining.Length} trailing octets are shorter than a message header.");
        }

        var declared = MemoryMarshal.Read<uint>(remaining);
        if (declared < Rtnl.HeaderLength || declared > (uint)remaining.Length)
        {
            return Fail($"nlmsg_len {declared} does not fit the {remaining.Length} octets left.");
        }

        var length = (int)declared;
        message = new NetlinkMessage(
            MemoryMarshal.Read<ushort>(remaining[4..]),
            MemoryMarshal.Read<ushort>(remaining[6..]),
            MemoryMarshal.Read<uint>(remaining[8..]),
            MemoryMarshal.Read<uint>(remaining[12..]),
            remaining[Rtnl.HeaderLength..length]);
        var next = Math.Min(Rtnl.Align(length), remaining.Length);
        remaining = remaining[next..];
        return ReadStatus.Item;
    }

    private ReadStatus Fail(string reason)
    {
        Error = reason;
        remaining = default;
        return ReadStatus.Malformed;
    }
}

/// <summary>Walks rtattrs (type-length-value, 4-aligned) without allocating; never throws on bad input.</summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> remaining;

    /// <summary>Creates a reader over a block of attributes.</summary>
    /// <param name="data">The attributes.</param>
    public AttributeReader(ReadOnlySpan<byte> data) => remaining = data;

    /// <summary>Why the input was malformed, when it was.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the next attribute.</summary>
    /// <param name="type">The type with the NLA_F_NESTED / byte-order flags masked off.</param>
    /// <param name="value">The value (without padding).</param>
    public ReadStatus TryReadNext(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (remaining.IsEmpty)
        {
            return ReadStatus.End;
        }

        if (remaining.Length < 4)
        {
            return Fail($"{remaining.Length} trailing octets are shorter than an attribute header.");
        }

        var length = MemoryMarshal.Read<ushort>(remaining);
        if (length < 4 || length > remaining.Length)
        {
            return Fail($"attribute length {length} does not fit the {remaining.Length} octets left.");
        }

        type = (ushort)(MemoryMarshal.Read<ushort>(remaining[2..]) & Rtnl.NLA_TYPE_MASK);
        value = remaining[4..length];
        remaining = remaining[Math.Min(Rtnl.Align(length), remaining.Length)..];
        return ReadStatus.Item;
    }

    private ReadStatus Fail(string reason)
    {
        Error = reason;
        remaining = default;
        return ReadStatus.Malformed;
    }
}
