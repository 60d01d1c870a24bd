using System.Net;
using System.Net.NetworkInformation;

namespace BgpStack.Netlink.Links;

/// <summary>A veth pair: one end here, the peer here or created directly in another namespace.</summary>
public sealed record VethPairOptions
{
    /// <summary>The name of the end in this client's namespace.</summary>
    public required string Name { get; init; }

    /// <summary>The peer's name.</summary>
    public required string PeerName { get; init; }

    /// <summary>The namespace the peer is created in (IFLA_NET_NS_FD), or null for this one.</summary>
    public string? PeerNamespace { get; init; }

    /// <summary>The MTU of both ends, or null for the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The peer's MAC address, or null for a random one.</summary>
    public PhysicalAddress? PeerMacAddress { get; init; }
}

/// <summary>An IPIP tunnel device (what Calico's tunl0 is).</summary>
public sealed record IpipTunnelOptions
{
    /// <summary>The device name.</summary>
    public required string Name { get; init; }

    /// <summary>The local endpoint, or null for any.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>The remote endpoint, or null for a point-to-multipoint device (routes choose the far end).</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>The outer TTL, 0 to inherit.</summary>
    public byte Ttl { get; init; }

    /// <summary>The underlying interface index, or 0.</summary>
    public int UnderlayIndex { get; init; }

    /// <summary>The MTU, or null for the default.</summary>
    public int? Mtu { get; init; }
}

/// <summary>A VXLAN device.</summary>
public sealed record VxlanOptions
{
    /// <summary>The device name.</summary>
    public required string Name { get; init; }

    /// <summary>The VXLAN network identifier (24 bits).</summary>
    public required uint Vni { get; init; }

    /// <summary>The local endpoint address, or null.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>The UDP destination port (4789 is IANA's).</summary>
    public ushort Port { get; init; } = 4789;

    /// <summary>The underlying interface index, or 0.</summary>
    public int UnderlayIndex { get; init; }

    /// <summary>Learn remote MACs from traffic (Calico and Flannel turn this off and program FDB entries).</summary>
    public bool Learning { get; init; }

    /// <summary>The MTU, or null for the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The MAC address, or null for a random one.</summary>
    public PhysicalAddress? MacAddress { get; init; }
}

/// <summary>Changes to an existing link; null fields stay as they are.</summary>
public sealed record LinkChange
{
    /// <summary>The link index.</summary>
    public required int Index { get; init; }

    /// <summary>Set up (true) or down (false).</summary>
    public bool? Up { get; init; }

    /// <summary>A new MTU.</summary>
    public int? Mtu { get; init; }

    /// <summary>A new MAC address.</summary>
    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>Move the link into this namespace.</summary>
    public string? Namespace { get; init; }
}
