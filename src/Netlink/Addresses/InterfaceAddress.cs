using System.Net;

namespace BgpStack.Netlink.Addresses;

/// <summary>An address on an interface, with its prefix length and scope.</summary>
public sealed record InterfaceAddress
{
    /// <summary>The interface index.</summary>
    public required int InterfaceIndex { get; init; }

    /// <summary>The address (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The prefix length.</summary>
    public required int PrefixLength { get; init; }

    /// <summary>The scope (0 universe, 253 link, 254 host).</summary>
    public byte Scope { get; init; }

    /// <summary>For IPv6: skip duplicate address detection so the address is usable at once (IFA_F_NODAD).</summary>
    public bool NoDuplicateAddressDetection { get; init; }
}
