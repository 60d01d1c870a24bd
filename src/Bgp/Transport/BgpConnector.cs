using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport.Interop;

namespace BgpStack.Bgp.Transport;

/// <summary>Opens outgoing BGP connections with the peer's transport options applied before the SYN leaves.</summary>
public static class BgpConnector
{
    /// <summary>
    /// Connects to <paramref name="remote"/>. Before connecting: TCP_NODELAY, the TCP MD5 key for the
    /// peer address (RFC 2385; without it a peer that requires one silently drops our SYN), the
    /// outgoing TTL or GTSM (RFC 5082), and the source address and port. The caller bounds the wait
    /// with <paramref name="cancellationToken"/> (a peer that drops our SYN never answers).
    /// </summary>
    /// <param name="remote">The peer's address and port; an IPv4-mapped address is connected over IPv4.</param>
    /// <param name="options">The peer's transport options.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected socket, owned by the caller (wrap it in a <see cref="BgpConnection"/>).</returns>
    /// <exception cref="ArgumentException">An option is out of range or the source address family differs from the peer's.</exception>
    /// <exception cref="SocketException">The connect failed (refused, unreachable) or an option was refused by the kernel.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    public static async Task<Socket> ConnectAsync(IPEndPoint remote, TransportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        remote = TransportSocket.Normalize(remote);
        var source = options.SourceAddress is null ? null : TransportSocket.Normalize(options.SourceAddress);
        if (source is not null && source.AddressFamily != remote.AddressFamily)
        {
            throw new ArgumentException($"The source address {source} is not of the family of the peer address {remote.Address}.", nameof(options));
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            TransportSocket.ApplyConnectionOptions(socket, remote.Address, options);
            if (options.Md5Password is { Length: > 0 } password)
            {
                LinuxSocketOptions.SetMd5Key(socket, remote.Address, prefixLength: null, password);
            }

            if (source is not null || options.SourcePort != 0)
            {
                if (options.SourcePort != 0)
                {
                    // A fixed source port may still be in TIME_WAIT from the previous session.
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                }

                var any = remote.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
                socket.Bind(new IPEndPoint(source ?? any, options.SourcePort));
            }

            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
