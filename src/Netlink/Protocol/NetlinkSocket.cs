using System.Runtime.InteropServices;
using System.Text;
using BgpStack.Netlink.Interop;

namespace BgpStack.Netlink.Protocol;

/// <summary>Parses one reply message into a value; returns false to skip it.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="message">The message.</param>
/// <param name="value">The value.</param>
internal delegate bool MessageParser<T>(NetlinkMessage message, out T value);

/// <summary>
/// A NETLINK_ROUTE socket with the request/reply discipline: extended ACKs, capped ACKs and strict
/// dump checking on; every reply's sequence number and port id checked; dumps read until NLMSG_DONE.
/// Not thread-safe: one owner at a time.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    // Dump datagrams are at most 32 KiB (or a page); a larger buffer avoids truncation.
    private const int ReceiveBufferLength = 128 * 1024;

    // Requests larger than the socket's send buffer fail with EMSGSIZE; batches go out in slices of this size.
    private const int SendSliceLength = 64 * 1024;

    private readonly byte[] receiveBuffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength);
    private uint sequence;

    private NetlinkSocket(SafeNetlinkHandle handle, uint portId)
    {
        Handle = handle;
        PortId = portId;
        sequence = (uint)Environment.TickCount;
    }

    /// <summary>The descriptor.</summary>
    internal SafeNetlinkHandle Handle { get; }

    /// <summary>The port id the kernel gave this socket (nl_pid).</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    /// <param name="receiveBufferSize">SO_RCVBUF in octets (the kernel doubles it).</param>
    /// <param name="groups">RTNLGRP_* multicast groups to join.</param>
    public static NetlinkSocket Open(int receiveBufferSize, IReadOnlyList<int> groups)
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK)");
        }

        var handle = new SafeNetlinkHandle(fd);
        try
        {
            SetOption(handle, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            SetOption(handle, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            SetOption(handle, Libc.SOL_NETLINK, Libc.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            SetOption(handle, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 1 << 20, "SO_SNDBUF");

            // SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN; without it, SO_RCVBUF is capped.
            var size = receiveBufferSize;
            if (Libc.SetSockOpt(handle, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &size, sizeof(int)) != 0)
            {
                SetOption(handle, Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBufferSize, "SO_RCVBUF");
            }

            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            if (Libc.Bind(handle, &address, sizeof(Libc.SockaddrNl)) != 0)
            {
                throw Failure("bind(AF_NETLINK)");
            }

            var bound = default(Libc.SockaddrNl);
            var boundLength = sizeof(Libc.SockaddrNl);
            if (Libc.GetSockName(handle, &bound, &boundLength) != 0)
            {
                throw Failure("getsockname(AF_NETLINK)");
            }

            foreach (var group in groups)
            {
                SetOption(handle, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP");
            }

            return new NetlinkSocket(handle, bound.PortId);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The next sequence number (never 0, which notifications carry).</summary>
    public uint NextSequence()
    {
        sequence++;
        if (sequence == 0)
        {
            sequence = 1;
        }

        return sequence;
    }

    /// <summary>Sends octets holding one or more whole messages to the kernel.</summary>
    /// <param name="data">The messages.</param>
    public void Send(ReadOnlySpan<byte> data)
    {
        var kernel = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
        fixed (byte* p = data)
        {
            while (true)
            {
                var sent = Libc.SendTo(Handle, p, (nuint)data.Length, 0, &kernel, sizeof(Libc.SockaddrNl));
                if (sent >= 0)
                {
                    return;
                }

                if (Marshal.GetLastPInvokeError() != Libc.EINTR)
                {
                    throw Failure("sendto(netlink)");
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram from the kernel into the socket's buffer. Returns its length, or a negative
    /// errno (for example -EAGAIN with <paramref name="nonBlocking"/>, -ENOBUFS after an overflow).
    /// Datagrams from anyone but the kernel are dropped.
    /// </summary>
    /// <param name="nonBlocking">MSG_DONTWAIT.</param>
    public int Receive(bool nonBlocking)
    {
        var flags = Libc.MSG_TRUNC | (nonBlocking ? Libc.MSG_DONTWAIT : 0);
        while (true)
        {
            var source = default(Libc.SockaddrNl);
            var sourceLength = sizeof(Libc.SockaddrNl);
            nint received;
            fixed (byte* p = receiveBuffer)
            {
                received = Libc.RecvFrom(Handle, p, (nuint)receiveBuffer.Length, flags, &source, &sourceLength);
            }

            if (received < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                return -errno;
            }

            if (source.PortId != 0)
            {
                continue;
            }

            if (received > receiveBuffer.Length)
            {
                throw new NetlinkException($"A netlink datagram of {received} octets was truncated to {receiveBuffer.Length}.");
            }

            return (int)received;
        }
    }

    /// <summary>The datagram last received.</summary>
    /// <param name="length">What <see cref="Receive"/> returned.</param>
    public ReadOnlySpan<byte> Received(int length) => receiveBuffer.AsSpan(0, length);

    /// <summary>Sends one dump request (NLM_F_DUMP) and parses every reply until NLMSG_DONE.</summary>
    /// <typeparam name="T">The parsed value.</typeparam>
    /// <param name="request">One message; its sequence number is read from it.</param>
    /// <param name="parser">Parses a reply message.</param>
    /// <param name="what">The request's description for errors.</param>
    public List<T> Dump<T>(NetlinkMessageWriter request, MessageParser<T> parser, string what)
    {
        // A dump interrupted by a concurrent change (NLM_F_DUMP_INTR) may be inconsistent: run it again.
        for (var attempt = 0; ; attempt++)
        {
            var results = new List<T>();
            var expected = MemoryMarshal.Read<uint>(request.Written[8..]);
            Send(request.Written);
            var interrupted = false;
            while (true)
            {
                var length = ReceiveOrThrow(what);
                var reader = new NetlinkMessageReader(Received(length));
                var done = false;
                while (true)
                {
                    var status = reader.TryReadNext(out var message);
                    if (status == ReadStatus.End)
                    {
                        break;
                    }

                    if (status == ReadStatus.Malformed)
                    {
                        throw new NetlinkException($"{what}: malformed reply: {reader.Error}");
                    }

                    if (message.Sequence != expected || message.PortId != PortId)
                    {
                        continue;
                    }

                    interrupted |= (message.Flags & Rtnl.NLM_F_DUMP_INTR) != 0;
                    if (message.Type == Rtnl.NLMSG_DONE || message.Type == Rtnl.NLMSG_ERROR)
                    {
                        var error = ParseError(message, request.Written, what);
                        if (error is not null)
                        {
                            throw new NetlinkException(error);
                        }

                        done = true;
                        break;
                    }

                    if (parser(message, out var value))
                    {
                        results.Add(value);
                    }
                }

                if (done)
                {
                    break;
                }
            }

            if (!interrupted)
            {
                return results;
            }

            if (attempt >= 4)
            {
                throw new NetlinkException($"{what}: dump was interrupted by concurrent changes five times.");
            }
        }
    }

    /// <summary>Sends one request and returns the first reply it parses, or default when the kernel answers with <paramref name="notFoundErrno"/>.</summary>
    /// <typeparam name="T">The parsed value.</typeparam>
    /// <param name="request">One message without NLM_F_ACK.</param>
    /// <param name="parser">Parses the reply.</param>
    /// <param name="notFoundErrno">The errno that means "no such object".</param>
    /// <param name="what">The request's description for errors.</param>
    public T? Get<T>(NetlinkMessageWriter request, MessageParser<T> parser, int notFoundErrno, string what)
    {
        var expected = MemoryMarshal.Read<uint>(request.Written[8..]);
        Send(request.Written);
        while (true)
        {
            var length = ReceiveOrThrow(what);
            var reader = new NetlinkMessageReader(Received(length));
            while (true)
            {
                var status = reader.TryReadNext(out var message);
                if (status == ReadStatus.End)
                {
                    break;
                }

                if (status == ReadStatus.Malformed)
                {
                    throw new NetlinkException($"{what}: malformed reply: {reader.Error}");
                }

                if (message.Sequence != expected || message.PortId != PortId)
                {
                    continue;
                }

                if (message.Type == Rtnl.NLMSG_ERROR)
                {
                    var error = ParseError(message, request.Written, what);
                    if (error is null || error.Errno == notFoundErrno)
                    {
                        return default;
                    }

                    throw new NetlinkException(error);
                }

                // The one reply to a get: a value, or nothing when it is not what the parser reads.
                return parser(message, out var value) ? value : default;
            }
        }
    }

    /// <summary>
    /// Sends a batch of change requests, each with NLM_F_ACK and its own sequence number, in as few
    /// sendto calls as the send buffer allows, and matches every ACK to its request: one refused
    /// message is reported for that message only, while the kernel applies the others.
    /// </summary>
    /// <param name="batch">The requests.</param>
    /// <param name="describe">Describes request i for errors.</param>
    /// <returns>Per request: null when applied, else the kernel's error.</returns>
    public NetlinkError?[] Acknowledge(NetlinkMessageWriter batch, Func<int, string> describe)
    {
        var count = batch.MessageCount;
        var results = new NetlinkError?[count];
        var all = batch.Written;
        var first = 0;
        while (first < count)
        {
            // One slice: whole messages while they fit in SendSliceLength octets (at least one message).
            var start = batch.MessageOffset(first);
            var last = first + 1;
            while (last < count && EndOf(batch, last) - start <= SendSliceLength)
            {
                last++;
            }

            var end = EndOf(batch, last - 1);
            var bySequence = new Dictionary<uint, int>(last - first);
            for (var i = first; i < last; i++)
            {
                bySequence[MemoryMarshal.Read<uint>(all[(batch.MessageOffset(i) + 8)..])] = i;
            }

            Send(all[start..end]);
            var pending = last - first;
            while (pending > 0)
            {
                var length = Receive(nonBlocking: false);
                if (length < 0)
                {
                    // ENOBUFS here means ACKs were lost; the caller must not trust a partial answer.
                    throw new NetlinkException(new NetlinkError(-length, "recvfrom failed while waiting for ACKs", null, describe(first)));
                }

                var reader = new NetlinkMessageReader(Received(length));
                while (true)
                {
                    var status = reader.TryReadNext(out var message);
                    if (status == ReadStatus.End)
                    {
                        break;
                    }

                    if (status == ReadStatus.Malformed)
                    {
                        throw new NetlinkException($"{describe(first)}: malformed reply: {reader.Error}");
                    }

                    if (message.Type != Rtnl.NLMSG_ERROR || message.PortId != PortId
                        || !bySequence.Remove(message.Sequence, out var index))
                    {
                        continue;
                    }

                    pending--;
                    if (IsAck(message))
                    {
                        continue;
                    }

                    results[index] = ParseError(message, all[batch.MessageOffset(index)..EndOf(batch, index)], describe(index));
                }
            }

            first = last;
        }

        return results;
    }

    /// <summary>Sends change requests and throws the first error.</summary>
    /// <param name="batch">The requests, each with NLM_F_ACK.</param>
    /// <param name="describe">Describes request i.</param>
    public void AcknowledgeOrThrow(NetlinkMessageWriter batch, Func<int, string> describe)
    {
        foreach (var error in Acknowledge(batch, describe))
        {
            if (error is not null)
            {
                throw new NetlinkException(error);
            }
        }
    }

    /// <summary>
    /// Reads an NLMSG_ERROR (or NLMSG_DONE) payload: the negative errno, the echoed request header
    /// (the whole request unless NLM_F_CAPPED) and, with NLM_F_ACK_TLVS, the extended-ack attributes.
    /// Returns null for an ACK (errno 0).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="request">The request it answers (for the attribute offset).</param>
    /// <param name="what">The request's description.</param>
    internal static NetlinkError? ParseError(NetlinkMessage message, ReadOnlySpan<byte> request, string what)
    {
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            return message.Type == Rtnl.NLMSG_DONE ? null : new NetlinkError(0, "short NLMSG_ERROR", null, what);
        }

        var errno = -MemoryMarshal.Read<int>(payload);
        if (errno == 0)
        {
            return null;
        }

        string? text = null;
        int? offset = null;
        var rest = payload[4..];
        if (message.Type == Rtnl.NLMSG_ERROR && rest.Length >= Rtnl.HeaderLength)
        {
            var echoed = (message.Flags & Rtnl.NLM_F_CAPPED) != 0
                ? Rtnl.HeaderLength
                : (int)Math.Min(MemoryMarshal.Read<uint>(rest), (uint)rest.Length);
            rest = rest[Math.Min(Rtnl.Align(Math.Max(echoed, Rtnl.HeaderLength)), rest.Length)..];
        }

        if ((message.Flags & Rtnl.NLM_F_ACK_TLVS) != 0)
        {
            var attributes = new AttributeReader(rest);
            while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
            {
                if (type == Rtnl.NLMSGERR_ATTR_MSG)
                {
                    text = Encoding.UTF8.GetString(value.IndexOf((byte)0) is var nul and >= 0 ? value[..nul] : value);
                }
                else if (type == Rtnl.NLMSGERR_ATTR_OFFS && value.Length >= 4)
                {
                    var at = MemoryMarshal.Read<uint>(value);
                    offset = at < (uint)Math.Max(request.Length, 1) ? (int)at : null;
                }
            }
        }

        return new NetlinkError(errno, text, offset, what);
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();

    // Where message i of a batch ends.
    private static int EndOf(NetlinkMessageWriter batch, int index) =>
        index + 1 < batch.MessageCount ? batch.MessageOffset(index + 1) : batch.Length;

    // An NLMSG_ERROR whose errno is 0: the request was applied (checked before any error text is built).
    private static bool IsAck(NetlinkMessage message) =>
        message.Payload.Length >= 4 && MemoryMarshal.Read<int>(message.Payload) == 0;

    private int ReceiveOrThrow(string what)
    {
        var length = Receive(nonBlocking: false);
        if (length < 0)
        {
            // ENOBUFS here means replies were lost; the caller must not trust a partial answer.
            throw new NetlinkException(new NetlinkError(-length, "recvfrom failed", null, what));
        }

        return length;
    }

    private static void SetOption(SafeNetlinkHandle handle, int level, int name, int value, string what)
    {
        if (Libc.SetSockOpt(handle, level, name, &value, sizeof(int)) != 0)
        {
            throw Failure($"setsockopt({what})");
        }
    }

    private static NetlinkException Failure(string call) =>
        new(new NetlinkError(Marshal.GetLastPInvokeError(), null, null, call));
}
