using System.Net.Sockets;
using System.Runtime.InteropServices;
using BgpStack.Netlink.Nexthops;
using BgpStack.Netlink.Protocol;

namespace BgpStack.Netlink;

// Nexthop objects of the rtnetlink client; the type is documented in NetlinkClient.cs.
public sealed partial class NetlinkClient
{
    private const int NextHopGroupEntryLength = 8;

    /// <summary>Creates a nexthop object; fails with EEXIST when the id is taken.</summary>
    /// <param name="nextHop">The nexthop.</param>
    public void AddNextHop(NextHopObject nextHop) => WriteNextHop(Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, nextHop, "add");

    /// <summary>Creates or replaces a nexthop object; routes using it follow at once.</summary>
    /// <param name="nextHop">The nexthop.</param>
    public void ReplaceNextHop(NextHopObject nextHop) => WriteNextHop(Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE, nextHop, "replace");

    /// <summary>Deletes a nexthop object (and the routes using it).</summary>
    /// <param name="id">The id.</param>
    public void DeleteNextHop(uint id)
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_DELNEXTHOP, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, socket.NextSequence());
        _ = request.AppendStruct(Rtnl.NhMsgLength);
        request.AddUInt32(Rtnl.NHA_ID, id);
        request.EndMessage();
        Commit($"delete nexthop {id}");
    }

    /// <summary>Dumps nexthop objects.</summary>
    public IReadOnlyList<NextHopObject> GetNextHops()
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETNEXTHOP, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, socket.NextSequence());
        _ = request.AppendStruct(Rtnl.NhMsgLength);
        request.EndMessage();
        return socket.Dump<NextHopObject>(request, TryParseNextHop, "dump nexthops");
    }

    private void WriteNextHop(ushort flags, NextHopObject nextHop, string verb)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_NEWNEXTHOP, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags), socket.NextSequence());
        var nh = request.AppendStruct(Rtnl.NhMsgLength);
        nh[0] = nextHop.Family is { } family
            ? AddressBytes.Family(family)
            : nextHop.Gateway is { } g ? AddressBytes.Family(g) : nextHop.Group.IsEmpty ? Rtnl.AF_INET : Rtnl.AF_UNSPEC;
        nh[2] = nextHop.Protocol;
        MemoryMarshal.Write(nh[4..], nextHop.OnLink ? (uint)Rtnl.RTNH_F_ONLINK : 0u);
        request.AddUInt32(Rtnl.NHA_ID, nextHop.Id);
        if (!nextHop.Group.IsEmpty)
        {
            // struct nexthop_grp { u32 id; u8 weight (weight - 1); u8 resvd1; u16 resvd2; }
            Span<byte> group = stackalloc byte[NextHopGroupEntryLength * nextHop.Group.Count];
            group.Clear();
            for (var i = 0; i < nextHop.Group.Count; i++)
            {
                var member = nextHop.Group[i];
                if (member.Weight is < 1 or > 256)
                {
                    throw new ArgumentOutOfRangeException(nameof(nextHop), member.Weight, "A group member's weight is 1 to 256.");
                }

                MemoryMarshal.Write(group[(i * NextHopGroupEntryLength)..], member.Id);
                group[(i * NextHopGroupEntryLength) + 4] = (byte)(member.Weight - 1);
            }

            request.AddAttribute(Rtnl.NHA_GROUP, group);
        }
        else if (nextHop.Blackhole)
        {
            request.AddFlag(Rtnl.NHA_BLACKHOLE);
        }
        else
        {
            if (nextHop.Gateway is { } gateway)
            {
                AddressBytes.Add(request, Rtnl.NHA_GATEWAY, gateway);
            }

            if (nextHop.InterfaceIndex != 0)
            {
                request.AddUInt32(Rtnl.NHA_OIF, (uint)nextHop.InterfaceIndex);
            }
        }

        request.EndMessage();
        Commit($"{verb} nexthop {nextHop.Id}");
    }

    /// <summary>Parses an RTM_NEWNEXTHOP message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="nextHop">The nexthop.</param>
    internal static bool TryParseNextHop(NetlinkMessage message, out NextHopObject nextHop)
    {
        nextHop = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.NhMsgLength)
        {
            return false;
        }

        uint id = 0;
        var oif = 0;
        var blackhole = false;
        System.Net.IPAddress? gateway = null;
        var members = new List<NextHopGroupMember>();
        var attributes = new AttributeReader(payload[Rtnl.NhMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            switch (type)
            {
                case Rtnl.NHA_ID when value.Length >= 4:
                    id = MemoryMarshal.Read<uint>(value);
                    break;
                case Rtnl.NHA_OIF when value.Length >= 4:
                    oif = MemoryMarshal.Read<int>(value);
                    break;
                case Rtnl.NHA_BLACKHOLE:
                    blackhole = true;
                    break;
                case Rtnl.NHA_GATEWAY:
                    gateway = AddressBytes.Read(value);
                    break;
                case Rtnl.NHA_GROUP:
                    for (var at = 0; at + NextHopGroupEntryLength <= value.Length; at += NextHopGroupEntryLength)
                    {
                        members.Add(new NextHopGroupMember(MemoryMarshal.Read<uint>(value[at..]), value[at + 4] + 1));
                    }

                    break;
                default:
                    break;
            }
        }

        if (id == 0)
        {
            return false;
        }

        nextHop = new NextHopObject
        {
            Id = id,
            Gateway = gateway,
            InterfaceIndex = oif,
            Blackhole = blackhole,
            OnLink = (MemoryMarshal.Read<uint>(payload[4..]) & Rtnl.RTNH_F_ONLINK) != 0,
            Group = [.. members],
            Protocol = payload[2],
            Family = payload[0] switch
            {
                Rtnl.AF_INET => AddressFamily.InterNetwork,
                Rtnl.AF_INET6 => AddressFamily.InterNetworkV6,
                _ => AddressFamily.Unspecified,
            },
        };
        return true;
    }
}
