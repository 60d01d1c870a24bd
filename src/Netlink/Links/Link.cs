using System.Net.NetworkInformation;

namespace BgpStack.Netlink.Links;

/// <summary>A network interface as the kernel reports it.</summary>
public sealed record Link
{
    /// <summary>The interface index.</summary>
    public required int Index { get; init; }

    /// <summary>The interface name.</summary>
    public required string Name { get; init; }

    /// <summary>The MTU.</summary>
    public int Mtu { get; init; }

    /// <summary>The hardware address, or null when the link has none.</summary>
    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>The interface flags (IFF_*).</summary>
    public uint Flags { get; init; }

    /// <summary>True when administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & 0x1) != 0;

    /// <summary>The link kind (<c>veth</c>, <c>ipip</c>, <c>vxlan</c>...), or null for a plain device.</summary>
    public string? Kind { get; init; }

    /// <summary>The underlying or peer link index (IFLA_LINK), or 0.</summary>
    public int ParentIndex { get; init; }
}
