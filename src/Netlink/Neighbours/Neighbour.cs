using System.Net;
using System.Net.NetworkInformation;

namespace BgpStack.Netlink.Neighbours;

/// <summary>A neighbour (ARP or NDP) entry.</summary>
public sealed record Neighbour
{
    /// <summary>The interface index.</summary>
    public required int InterfaceIndex { get; init; }

    /// <summary>The neighbour's IP address.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Its link-layer address, or null when unresolved.</summary>
    public PhysicalAddress? LinkLayerAddress { get; init; }

    /// <summary>The NUD_* state; 0x80 (NUD_PERMANENT) for the static entries this client adds.</summary>
    public ushort State { get; init; } = 0x80;

    /// <summary>True for a NUD_PERMANENT entry.</summary>
    public bool IsPermanent => (State & 0x80) != 0;
}
