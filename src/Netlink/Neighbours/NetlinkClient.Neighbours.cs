using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BgpStack.Netlink.Neighbours;
using BgpStack.Netlink.Protocol;

namespace BgpStack.Netlink;

// Neighbours of the rtnetlink client; the type is documented in NetlinkClient.cs.
public sealed partial class NetlinkClient
{
    /// <summary>Adds or replaces a static (NUD_PERMANENT) neighbour entry.</summary>
    /// <param name="neighbour">The entry; <see cref="Neighbour.LinkLayerAddress"/> is required.</param>
    public void SetNeighbour(Neighbour neighbour)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        if (neighbour.LinkLayerAddress is null)
        {
            throw new ArgumentException("A static neighbour needs a link-layer address.", nameof(neighbour));
        }

        WriteNeighbour(Rtnl.RTM_NEWNEIGH, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE, neighbour with { State = Rtnl.NUD_PERMANENT }, "set");
    }

    /// <summary>Deletes a neighbour entry.</summary>
    /// <param name="neighbour">The entry (interface and address).</param>
    public void DeleteNeighbour(Neighbour neighbour) => WriteNeighbour(Rtnl.RTM_DELNEIGH, 0, neighbour, "delete");

    /// <summary>Dumps neighbour entries.</summary>
    /// <param name="family">IPv4 (ARP), IPv6 (NDP) or Unspecified for both.</param>
    public IReadOnlyList<Neighbour> GetNeighbours(AddressFamily family = AddressFamily.Unspecified)
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETNEIGH, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, socket.NextSequence());
        var nd = request.AppendStruct(Rtnl.NdMsgLength);
        nd[0] = AddressBytes.Family(family);
        request.EndMessage();
        return socket.Dump<Neighbour>(request, TryParseNeighbour, "dump neighbours");
    }

    private void WriteNeighbour(ushort type, ushort flags, Neighbour neighbour, string verb)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        var request = Begin();
        request.BeginMessage(type, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags), socket.NextSequence());
        var nd = request.AppendStruct(Rtnl.NdMsgLength);
        nd[0] = AddressBytes.Family(neighbour.Address);
        MemoryMarshal.Write(nd[4..], neighbour.InterfaceIndex);
        MemoryMarshal.Write(nd[8..], neighbour.State);
        AddressBytes.Add(request, Rtnl.NDA_DST, neighbour.Address);
        if (neighbour.LinkLayerAddress is { } lladdr)
        {
            request.AddAttribute(Rtnl.NDA_LLADDR, lladdr.GetAddressBytes());
        }

        request.EndMessage();
        Commit($"{verb} neighbour {neighbour.Address} dev #{neighbour.InterfaceIndex}");
    }

    /// <summary>Parses an RTM_NEWNEIGH / RTM_DELNEIGH message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="neighbour">The entry.</param>
    internal static bool TryParseNeighbour(NetlinkMessage message, out Neighbour neighbour)
    {
        neighbour = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.NdMsgLength || payload[0] is not (Rtnl.AF_INET or Rtnl.AF_INET6))
        {
            return false;
        }

        System.Net.IPAddress? destination = null;
        PhysicalAddress? lladdr = null;
        var attributes = new AttributeReader(payload[Rtnl.NdMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            if (type == Rtnl.NDA_DST)
            {
                destination = AddressBytes.Read(value);
            }
            else if (type == Rtnl.NDA_LLADDR)
            {
                lladdr = new PhysicalAddress(value.ToArray());
            }
        }

        if (destination is null)
        {
            return false;
        }

        neighbour = new Neighbour
        {
            InterfaceIndex = MemoryMarshal.Read<int>(payload[4..]),
            Address = destination,
            LinkLayerAddress = lladdr,
            State = MemoryMarshal.Read<ushort>(payload[8..]),
        };
        return true;
    }
}
