using System.Net;
using System.Net.Sockets;

namespace BgpStack.Netlink.Protocol;

/// <summary>Addresses to and from the raw octets netlink carries, with the AF_* family byte.</summary>
internal static class AddressBytes
{
    /// <summary>AF_INET or AF_INET6 for an address.</summary>
    /// <param name="address">The address.</param>
    public static byte Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? Rtnl.AF_INET6 : Rtnl.AF_INET;

    /// <summary>AF_INET or AF_INET6 for an address family.</summary>
    /// <param name="family">The family.</param>
    public static byte Family(AddressFamily family) =>
        family switch
        {
            AddressFamily.InterNetwork => Rtnl.AF_INET,
            AddressFamily.InterNetworkV6 => Rtnl.AF_INET6,
            AddressFamily.Unspecified => Rtnl.AF_UNSPEC,
            _ => throw new ArgumentException($"Address family {family} is not IPv4 or IPv6.", nameof(family)),
        };

    /// <summary>Adds an address attribute (4 or 16 octets, network order).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="type">The attribute type.</param>
    /// <param name="address">The address.</param>
    public static void Add(NetlinkMessageWriter writer, ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out var written);
        writer.AddAttribute(type, bytes[..written]);
    }

    /// <summary>Writes an address's octets into a fixed field.</summary>
    /// <param name="destination">The field.</param>
    /// <param name="address">The address.</param>
    public static int Write(Span<byte> destination, IPAddress address)
    {
        _ = address.TryWriteBytes(destination, out var written);
        return written;
    }

    /// <summary>An address from 4 or 16 octets, or null for any other length.</summary>
    /// <param name="value">The octets.</param>
    public static IPAddress? Read(ReadOnlySpan<byte> value) =>
        value.Length is 4 or 16 ? new IPAddress(value) : null;
}
