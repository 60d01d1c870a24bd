using System.Net;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// Decides, from addresses alone and before any octet is read, whether an inbound connection is
/// from a peer we talk to, and with which transport options. The speaker implements it from its
/// configured peers and dynamic-neighbour ranges.
/// </summary>
public interface IConnectionFilter
{
    /// <summary>
    /// Called on the listener's accept loop for every inbound connection. Return the peer's
    /// transport options to accept it, or null to refuse it: a refused connection is closed at once
    /// and logged with the remote address.
    /// </summary>
    /// <remarks>
    /// For an accepted connection the listener applies the options' outgoing TTL (or GTSM: TTL 255
    /// and the minimum TTL, RFC 5082) to the socket before handing it on. When the options carry an
    /// <see cref="TransportOptions.Md5Password"/>, the listener checks that it holds the same key
    /// for the peer (<see cref="BgpListener.SetPassword(IPAddress, string?)"/>), so the connection was
    /// signed; otherwise it refuses the connection. Keep it quick: it runs on the accept loop.
    /// </remarks>
    /// <param name="remote">The peer's address and port (IPv4 for an IPv4 peer of a dual-stack listener).</param>
    /// <param name="local">Our address and port of the connection.</param>
    /// <returns>The peer's options, or null to refuse.</returns>
    TransportOptions? Admit(IPEndPoint remote, IPEndPoint local);
}
