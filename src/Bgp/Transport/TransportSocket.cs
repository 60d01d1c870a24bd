using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport.Interop;

namespace BgpStack.Bgp.Transport;

/// <summary>Applies <see cref="TransportOptions"/> to sockets; shared by the connector and the listener.</summary>
internal static class TransportSocket
{
    /// <summary>Turns an IPv4-mapped IPv6 address into the IPv4 address it carries; others are returned as they are.</summary>
    /// <param name="address">The address.</param>
    internal static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The endpoint with an IPv4-mapped address turned into IPv4.</summary>
    /// <param name="endPoint">The endpoint.</param>
    internal static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    /// <summary>True when segments to <paramref name="remote"/> travel over IPv4 (also an IPv4-mapped peer of an IPv6 socket).</summary>
    /// <param name="remote">The peer address.</param>
    internal static bool IsIpv4Path(IPAddress remote) =>
        remote.AddressFamily == AddressFamily.InterNetwork || remote.IsIPv4MappedToIPv6;

    /// <summary>
    /// The per-connection options for a connected (accepted) socket or one about to connect:
    /// TCP_NODELAY (BGP writes whole messages; Nagle would only delay KEEPALIVEs and the last UPDATE
    /// of a burst), the outgoing TTL and, with GTSM, the minimum TTL (RFC 5082 §3).
    /// </summary>
    /// <param name="socket">The socket.</param>
    /// <param name="remote">The peer address.</param>
    /// <param name="options">The options.</param>
    internal static void ApplyConnectionOptions(Socket socket, IPAddress remote, TransportOptions options)
    {
        socket.NoDelay = true;
        var ipv4 = IsIpv4Path(remote);
        if (options.OutgoingTtl is { } ttl)
        {
            LinuxSocketOptions.SetTtl(socket, ipv4, ttl);
        }

        if (options.MinimumTtl is { } minimum)
        {
            LinuxSocketOptions.SetMinimumTtl(socket, ipv4, minimum);
        }
    }
}
