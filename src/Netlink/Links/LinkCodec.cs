using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using BgpStack.Netlink.Protocol;

namespace BgpStack.Netlink.Links;

/// <summary>Links from RTM_NEWLINK messages (struct ifinfomsg + IFLA_* attributes).</summary>
internal static class LinkCodec
{
    /// <summary>Writes an ifinfomsg.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="index">The interface index, or 0.</param>
    /// <param name="flags">ifi_flags.</param>
    /// <param name="change">ifi_change.</param>
    public static void WriteHeader(NetlinkMessageWriter writer, int index, uint flags, uint change)
    {
        var ifi = writer.AppendStruct(Rtnl.IfInfoMsgLength);
        ifi[0] = Rtnl.AF_UNSPEC;
        MemoryMarshal.Write(ifi[4..], index);
        MemoryMarshal.Write(ifi[8..], flags);
        MemoryMarshal.Write(ifi[12..], change);
    }

    /// <summary>Writes an RTM_NEWLINK that creates an IPIP tunnel (IFLA_LINKINFO kind "ipip" with IFLA_IPTUN_* data).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="flags">NLM_F_* flags.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="options">The tunnel.</param>
    public static void WriteIpip(NetlinkMessageWriter writer, ushort flags, uint sequence, IpipTunnelOptions options)
    {
        writer.BeginMessage(Rtnl.RTM_NEWLINK, flags, sequence);
        WriteHeader(writer, 0, 0, 0);
        writer.AddString(Rtnl.IFLA_IFNAME, options.Name);
        if (options.Mtu is { } mtu)
        {
            writer.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        }

        var linkInfo = writer.BeginNested(Rtnl.IFLA_LINKINFO);
        writer.AddString(Rtnl.IFLA_INFO_KIND, "ipip");
        var data = writer.BeginNested(Rtnl.IFLA_INFO_DATA);
        if (options.UnderlayIndex != 0)
        {
            writer.AddUInt32(Rtnl.IFLA_IPTUN_LINK, (uint)options.UnderlayIndex);
        }

        if (options.Local is { } local)
        {
            RequireIPv4(local, nameof(options));
            AddressBytes.Add(writer, Rtnl.IFLA_IPTUN_LOCAL, local);
        }

        if (options.Remote is { } remote)
        {
            RequireIPv4(remote, nameof(options));
            AddressBytes.Add(writer, Rtnl.IFLA_IPTUN_REMOTE, remote);
        }

        writer.AddUInt8(Rtnl.IFLA_IPTUN_TTL, options.Ttl);

        // Path MTU discovery needs a fixed TTL; with TTL inherit (0) the kernel requires it off.
        writer.AddUInt8(Rtnl.IFLA_IPTUN_PMTUDISC, options.Ttl == 0 ? (byte)0 : (byte)1);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage();
    }

    private static void RequireIPv4(IPAddress address, string parameter)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", parameter);
        }
    }

    /// <summary>Parses an RTM_NEWLINK / RTM_DELLINK message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="link">The link.</param>
    public static bool TryParse(NetlinkMessage message, out Link link)
    {
        link = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.IfInfoMsgLength)
        {
            return false;
        }

        var index = MemoryMarshal.Read<int>(payload[4..]);
        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        string? name = null;
        string? kind = null;
        PhysicalAddress? mac = null;
        var mtu = 0;
        var parent = 0;
        var attributes = new AttributeReader(payload[Rtnl.IfInfoMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            switch (type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = CString(value);
                    break;
                case Rtnl.IFLA_MTU when value.Length >= 4:
                    mtu = MemoryMarshal.Read<int>(value);
                    break;
                case Rtnl.IFLA_ADDRESS when value.Length > 0:
                    mac = new PhysicalAddress(value.ToArray());
                    break;
                case Rtnl.IFLA_LINK when value.Length >= 4:
                    parent = MemoryMarshal.Read<int>(value);
                    break;
                case Rtnl.IFLA_LINKINFO:
                    var info = new AttributeReader(value);
                    while (info.TryReadNext(out var infoType, out var infoValue) == ReadStatus.Item)
                    {
                        if (infoType == Rtnl.IFLA_INFO_KIND)
                        {
                            kind = CString(infoValue);
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (name is null)
        {
            return false;
        }

        link = new Link { Index = index, Name = name, Flags = flags, Mtu = mtu, MacAddress = mac, Kind = kind, ParentIndex = parent };
        return true;
    }

    /// <summary>A NUL-terminated string attribute.</summary>
    /// <param name="value">The value.</param>
    public static string CString(ReadOnlySpan<byte> value)
    {
        var nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }
}
