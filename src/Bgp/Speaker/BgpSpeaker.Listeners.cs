using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Sessions;
using BgpStack.Bgp.Transport;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Speaker;

/// <summary>The speaker's listeners: who may connect (configured peers, dynamic ranges) and where the connection goes.</summary>
public sealed partial class BgpSpeaker : IConnectionFilter
{
    /// <summary>Where the speaker listens (with the ports actually bound, when 0 was asked for).</summary>
    public ImmutableArray<IPEndPoint> ListenEndPoints
    {
        get
        {
            lock (listeners)
            {
                return [.. listeners.Select(l => l.LocalEndPoint)];
            }
        }
    }

    /// <inheritdoc/>
    TransportOptions? IConnectionFilter.Admit(IPEndPoint remote, IPEndPoint local)
    {
        var address = InboundUpdate.Normalize(remote.Address);
        if (peers.TryGetValue(address, out var peer))
        {
            return peer.TransportOptions;
        }

        return FindRange(address) is { } range
            ? SessionTransport.Options(new SessionSettings { Peer = range.Template, LocalAs = Options.LocalAs, RouterId = Options.RouterId })
            : null;
    }

    private DynamicNeighborRange? FindRange(IPAddress address)
    {
        foreach (var range in Options.DynamicNeighbors)
        {
            if (range.Prefix.ToIPNetwork().Contains(address))
            {
                return range;
            }
        }

        return null;
    }

    private async ValueTask OnAcceptedAsync(Socket socket, TransportOptions transport)
    {
        var address = InboundUpdate.Normalize(((IPEndPoint)socket.RemoteEndPoint!).Address);
        if (peers.TryGetValue(address, out var peer))
        {
            peer.Accept(socket);
            return;
        }

        // A dynamic neighbour: a peer made from its range's template, with the AS checked against
        // the range when its OPEN arrives.
        await control.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!peers.TryGetValue(address, out peer))
            {
                if (FindRange(address) is not { } range)
                {
                    LogRefusedLate(address);
                    socket.Dispose();
                    return;
                }

                var options = range.Template with { Address = address, RemoteAs = range.MinAs, Passive = true };
                peer = AddPeer(options, dynamic: true, remoteAsRange: (range.MinAs, range.MaxAs));
                peer.Start();
                LogDynamicPeer(address, range.Prefix);
            }
        }
        finally
        {
            control.Release();
        }

        peer.Accept(socket);
    }

    private async Task StartListenersAsync(ImmutableArray<IPEndPoint> endPoints, CancellationToken cancellationToken)
    {
        foreach (var endPoint in endPoints)
        {
            var listener = new BgpListener(endPoint, this, OnAcceptedAsync, LoggerFactory.CreateLogger<BgpListener>());
            try
            {
                await listener.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await listener.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            lock (listeners)
            {
                listeners.Add(listener);
            }
        }

        ConfigureListenerPasswords();
    }

    private async Task StopListenersAsync()
    {
        BgpListener[] stopping;
        lock (listeners)
        {
            stopping = [.. listeners];
            listeners.Clear();
        }

        foreach (var listener in stopping)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Puts the MD5 keys of configured peers and dynamic ranges on every listening socket (RFC 2385).</summary>
    private void ConfigureListenerPasswords()
    {
        lock (listeners)
        {
            foreach (var listener in listeners)
            {
                foreach (var peer in peers.Values)
                {
                    if (peer.Options.Password is { } password && AddressFits(listener, peer.Address))
                    {
                        listener.SetPassword(peer.Address, password);
                    }
                }

                foreach (var range in Options.DynamicNeighbors)
                {
                    if (range.Template.Password is { } password && AddressFits(listener, range.Prefix.Address))
                    {
                        listener.SetPassword(range.Prefix.ToIPNetwork(), password);
                    }
                }
            }
        }

        static bool AddressFits(BgpListener listener, IPAddress address) =>
            listener.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 || address.AddressFamily == AddressFamily.InterNetwork;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dynamic peer {Peer} accepted from range {Range}")]
    private partial void LogDynamicPeer(IPAddress peer, IpPrefix range);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Peer} refused: no peer or range matches it any more")]
    private partial void LogRefusedLate(IPAddress peer);
}
