using BgpStack.Bgp.Transport;

namespace BgpStack.Bgp.Sessions;

/// <summary>One TCP connection of a session: the session's own, or a second one tracked for collision detection (§6.8).</summary>
internal sealed class SessionConnection
{
    private Task? _close;

    public SessionConnection(BgpConnection connection, bool outbound)
    {
        Connection = connection;
        Outbound = outbound;
    }

    /// <summary>The transport.</summary>
    public BgpConnection Connection { get; }

    /// <summary>True when we initiated the connection.</summary>
    public bool Outbound { get; }

    /// <summary>Our OPEN went out on this connection.</summary>
    public bool OpenSent { get; set; }

    /// <summary>The peer's OPEN, once received.</summary>
    public Wire.OpenMessage? ReceivedOpen { get; set; }

    /// <summary>A KEEPALIVE followed the peer's OPEN while this was the second connection.</summary>
    public bool KeepaliveReceived { get; set; }

    /// <summary>What negotiation agreed on over this connection.</summary>
    public NegotiatedSession? Negotiated { get; set; }

    /// <summary>The read loop.</summary>
    public Task? ReadLoop { get; set; }

    /// <summary>True once the session closed the connection.</summary>
    public bool Closed => _close is not null;

    /// <summary>Closes the connection (queued octets such as a NOTIFICATION get the transport's drain time); idempotent.</summary>
    public Task CloseAsync() => _close ??= Connection.DisposeAsync().AsTask();

    /// <summary>Text such as <c>outbound 127.0.0.1:40000 -> 127.0.0.1:179</c>.</summary>
    public override string ToString() => $"{(Outbound ? "outbound" : "inbound")} {Connection.LocalEndPoint} <-> {Connection.RemoteEndPoint}";
}
