using System.Net;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>A next hop a policy statement sets: our own session address, or a fixed address.</summary>
public sealed record NextHopRewrite
{
    private NextHopRewrite(IPAddress? address) => Address = address;

    /// <summary>Our address on the session (<see cref="PolicyPeer.LocalAddress"/>).</summary>
    public static NextHopRewrite Self { get; } = new((IPAddress?)null);

    /// <summary>The fixed address, or null for <see cref="Self"/>.</summary>
    public IPAddress? Address { get; }

    /// <summary>True for <see cref="Self"/>.</summary>
    public bool IsSelf => Address is null;

    /// <summary>A rewrite to a fixed address.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    public static NextHopRewrite To(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new NextHopRewrite(address);
    }

    /// <summary><c>self</c> or the address.</summary>
    public override string ToString() => Address?.ToString() ?? "self";
}
