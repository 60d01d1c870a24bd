using System.Net.Sockets;

namespace BgpStack.Netlink.Routes;

/// <summary>What a route dump returns; the kernel filters by these (strict checking), and so does the client.</summary>
public sealed record RouteFilter
{
    /// <summary>IPv4, IPv6 or Unspecified for both.</summary>
    public AddressFamily Family { get; init; } = AddressFamily.Unspecified;

    /// <summary>Only this table, or null for all.</summary>
    public uint? Table { get; init; }

    /// <summary>Only this protocol, or null for all.</summary>
    public byte? Protocol { get; init; }

    /// <summary>Only this type, or null for all.</summary>
    public RouteType? Type { get; init; }
}
