using System.Net.Sockets;
using System.Runtime.InteropServices;
using BgpStack.Netlink.Addresses;
using BgpStack.Netlink.Protocol;

namespace BgpStack.Netlink;

// Addresses of the rtnetlink client; the type is documented in NetlinkClient.cs.
public sealed partial class NetlinkClient
{
    /// <summary>Adds an address to an interface.</summary>
    /// <param name="address">The address.</param>
    public void AddAddress(InterfaceAddress address) =>
        WriteAddress(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, address, "add");

    /// <summary>Deletes an address from an interface.</summary>
    /// <param name="address">The address.</param>
    public void DeleteAddress(InterfaceAddress address) => WriteAddress(Rtnl.RTM_DELADDR, 0, address, "delete");

    /// <summary>Dumps addresses.</summary>
    /// <param name="family">IPv4, IPv6 or Unspecified for both.</param>
    public IReadOnlyList<InterfaceAddress> GetAddresses(AddressFamily family = AddressFamily.Unspecified)
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, socket.NextSequence());
        var ifa = request.AppendStruct(Rtnl.IfAddrMsgLength);
        ifa[0] = AddressBytes.Family(family);
        request.EndMessage();
        return socket.Dump<InterfaceAddress>(request, TryParseAddress, "dump addresses");
    }

    private void WriteAddress(ushort type, ushort flags, InterfaceAddress address, string verb)
    {
        ArgumentNullException.ThrowIfNull(address);
        var request = Begin();
        request.BeginMessage(type, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags), socket.NextSequence());
        var ifa = request.AppendStruct(Rtnl.IfAddrMsgLength);
        ifa[0] = AddressBytes.Family(address.Address);
        ifa[1] = (byte)address.PrefixLength;
        ifa[2] = address.NoDuplicateAddressDetection ? (byte)Rtnl.IFA_F_NODAD : (byte)0;
        ifa[3] = address.Scope;
        MemoryMarshal.Write(ifa[4..], address.InterfaceIndex);
        AddressBytes.Add(request, Rtnl.IFA_LOCAL, address.Address);
        AddressBytes.Add(request, Rtnl.IFA_ADDRESS, address.Address);
        request.EndMessage();
        Commit($"{verb} address {address.Address}/{address.PrefixLength} dev #{address.InterfaceIndex}");
    }

    /// <summary>Parses an RTM_NEWADDR / RTM_DELADDR message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="address">The address.</param>
    internal static bool TryParseAddress(NetlinkMessage message, out InterfaceAddress address)
    {
        address = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.IfAddrMsgLength || payload[0] is not (Rtnl.AF_INET or Rtnl.AF_INET6))
        {
            return false;
        }

        System.Net.IPAddress? local = null;
        System.Net.IPAddress? peer = null;
        var attributes = new AttributeReader(payload[Rtnl.IfAddrMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            if (type == Rtnl.IFA_LOCAL)
            {
                local = AddressBytes.Read(value);
            }
            else if (type == Rtnl.IFA_ADDRESS)
            {
                peer = AddressBytes.Read(value);
            }
        }

        if ((local ?? peer) is not { } ip)
        {
            return false;
        }

        address = new InterfaceAddress
        {
            InterfaceIndex = MemoryMarshal.Read<int>(payload[4..]),
            Address = ip,
            PrefixLength = payload[1],
            Scope = payload[3],
            NoDuplicateAddressDetection = (payload[2] & Rtnl.IFA_F_NODAD) != 0,
        };
        return true;
    }
}
