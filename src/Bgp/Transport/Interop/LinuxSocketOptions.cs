using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BgpStack.Bgp.Transport.Interop;

/// <summary>
/// The Linux socket options the transport sets that .NET has no name for (TCP_MD5SIG, IP_MINTTL,
/// IPV6_MINHOPCOUNT), with the constants of the UAPI headers. They go through
/// <see cref="Socket.SetRawSocketOption"/>, which is setsockopt on the socket's own descriptor, so
/// no P/Invoke or unsafe code is needed; the option values are blittable structs viewed as bytes.
/// </summary>
internal static class LinuxSocketOptions
{
    // linux/in.h, linux/in6.h, linux/tcp.h
    internal const int SOL_IP = 0;
    internal const int IP_TTL = 2;
    internal const int IP_MINTTL = 21;
    internal const int SOL_IPV6 = 41;
    internal const int IPV6_UNICAST_HOPS = 16;
    internal const int IPV6_MINHOPCOUNT = 73;
    internal const int IPPROTO_TCP = 6;
    internal const int TCP_INFO = 11;
    internal const int TCP_MD5SIG = 14;
    internal const int TCP_MD5SIG_EXT = 32;
    internal const byte TCP_MD5SIG_FLAG_PREFIX = 1;
    internal const int TCP_MD5SIG_MAXKEYLEN = 80;
    // include/net/tcp_states.h: the first octet of struct tcp_info.
    internal const byte TCP_FIN_WAIT2 = 5;
    internal const byte TCP_TIME_WAIT = 6;
    internal const byte TCP_CLOSE = 7;
    internal const ushort AF_INET = 2;
    internal const ushort AF_INET6 = 10;

    /// <summary>
    /// Installs (or, with a null or empty password, removes) the RFC 2385 key for segments to and
    /// from <paramref name="address"/> (or a whole prefix of addresses) on <paramref name="socket"/>.
    /// On an IPv6 socket an IPv4 peer is given as an IPv4-mapped address, which Linux files under
    /// the IPv4 key table, so a dual-stack listener signs IPv4 peers too.
    /// </summary>
    /// <param name="socket">A TCP socket (listening, or not yet connected).</param>
    /// <param name="address">The peer address or prefix base.</param>
    /// <param name="prefixLength">Null for one address; otherwise the prefix length (TCP_MD5SIG_EXT, Linux 4.13).</param>
    /// <param name="password">The key; null or empty removes it.</param>
    /// <exception cref="SocketException">The kernel refused (for example no CONFIG_TCP_MD5SIG).</exception>
    internal static void SetMd5Key(Socket socket, IPAddress address, int? prefixLength, string? password)
    {
        var value = default(TcpMd5Sig);
        var ipv6Socket = socket.AddressFamily == AddressFamily.InterNetworkV6;
        WriteSockaddr(value.Address, address, ipv6Socket);
        var keyLength = password is { Length: > 0 } ? System.Text.Encoding.UTF8.GetBytes(password, value.Key) : 0;
        value.KeyLength = (ushort)keyLength;
        var optionName = TCP_MD5SIG;
        if (prefixLength is { } length)
        {
            optionName = TCP_MD5SIG_EXT;
            value.Flags = TCP_MD5SIG_FLAG_PREFIX;
            value.PrefixLength = (byte)length;
        }

        try
        {
            socket.SetRawSocketOption(IPPROTO_TCP, optionName, MemoryMarshal.AsBytes(new ReadOnlySpan<TcpMd5Sig>(in value)));
        }
        catch (SocketException e) when (keyLength == 0 && e.NativeErrorCode == 2)
        {
            // ENOENT: removing a key that was never installed is not an error.
        }
    }

    /// <summary>Sets the outgoing TTL (IPv4 path) or hop limit (IPv6 path).</summary>
    /// <param name="socket">The socket.</param>
    /// <param name="ipv4Path">True when segments travel over IPv4 (an IPv4 socket or an IPv4-mapped peer on an IPv6 socket).</param>
    /// <param name="ttl">1..255.</param>
    internal static void SetTtl(Socket socket, bool ipv4Path, int ttl)
    {
        if (ipv4Path)
        {
            SetInt(socket, SOL_IP, IP_TTL, ttl);
        }
        else
        {
            SetInt(socket, SOL_IPV6, IPV6_UNICAST_HOPS, ttl);
        }
    }

    /// <summary>Sets the minimum TTL (IP_MINTTL) or hop limit (IPV6_MINHOPCOUNT) arriving segments must carry (RFC 5082).</summary>
    /// <param name="socket">The socket.</param>
    /// <param name="ipv4Path">True when segments travel over IPv4.</param>
    /// <param name="minimum">1..255; 0 turns the check off.</param>
    internal static void SetMinimumTtl(Socket socket, bool ipv4Path, int minimum)
    {
        if (ipv4Path)
        {
            SetInt(socket, SOL_IP, IP_MINTTL, minimum);
        }
        else
        {
            SetInt(socket, SOL_IPV6, IPV6_MINHOPCOUNT, minimum);
        }
    }

    /// <summary>
    /// True once our FIN was acknowledged, which means every octet we sent was (TCP_INFO tcpi_state
    /// FIN_WAIT2, TIME_WAIT or CLOSE after shutdown(SHUT_WR)).
    /// </summary>
    /// <param name="socket">A socket whose sending side was shut down.</param>
    internal static bool AllSentDataAcknowledged(Socket socket)
    {
        Span<byte> state = stackalloc byte[1];
        socket.GetRawSocketOption(IPPROTO_TCP, TCP_INFO, state);
        return state[0] is TCP_FIN_WAIT2 or TCP_TIME_WAIT or TCP_CLOSE;
    }

    /// <summary>Reads an integer socket option (for tests and diagnostics).</summary>
    /// <param name="socket">The socket.</param>
    /// <param name="level">The level.</param>
    /// <param name="name">The option.</param>
    internal static int GetInt(Socket socket, int level, int name)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        socket.GetRawSocketOption(level, name, value);
        return BinaryPrimitives.ReadInt32LittleEndian(value);
    }

    private static void SetInt(Socket socket, int level, int name, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        MemoryMarshal.Write(bytes, in value);
        socket.SetRawSocketOption(level, name, bytes);
    }

    /// <summary>Writes a sockaddr_in or sockaddr_in6 (port 0) in host byte order for the family.</summary>
    private static void WriteSockaddr(Span<byte> destination, IPAddress address, bool ipv6Socket)
    {
        if (ipv6Socket)
        {
            // struct sockaddr_in6 { u16 family; be16 port; be32 flowinfo; u8 addr[16]; u32 scope_id; }
            var family = AF_INET6;
            MemoryMarshal.Write(destination, in family);
            var v6 = address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;
            v6.TryWriteBytes(destination.Slice(8, 16), out _);
        }
        else
        {
            // struct sockaddr_in { u16 family; be16 port; u8 addr[4]; u8 zero[8]; }
            var family = AF_INET;
            MemoryMarshal.Write(destination, in family);
            var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (v4.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"{address} is not an IPv4 address, and the socket is IPv4.", nameof(address));
            }

            v4.TryWriteBytes(destination.Slice(4, 4), out _);
        }
    }

    /// <summary>struct tcp_md5sig (linux/tcp.h): 216 octets.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TcpMd5Sig
    {
        internal SockaddrStorage Address;
        internal byte Flags;
        internal byte PrefixLength;
        internal ushort KeyLength;
        internal int InterfaceIndex;
        internal Md5KeyBytes Key;
    }

    /// <summary>struct __kernel_sockaddr_storage: 128 octets.</summary>
    [InlineArray(128)]
    internal struct SockaddrStorage
    {
        private byte _first;
    }

    /// <summary>u8 tcpm_key[TCP_MD5SIG_MAXKEYLEN].</summary>
    [InlineArray(TCP_MD5SIG_MAXKEYLEN)]
    internal struct Md5KeyBytes
    {
        private byte _first;
    }
}
