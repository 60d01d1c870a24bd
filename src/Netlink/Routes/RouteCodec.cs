using System.Net;
using System.Runtime.InteropServices;
using BgpStack.Netlink.Protocol;
using BgpStack.Rib;

namespace BgpStack.Netlink.Routes;

/// <summary>Routes to and from RTM_*ROUTE messages (struct rtmsg + RTA_* attributes).</summary>
internal static class RouteCodec
{
    /// <summary>Writes one RTM_NEWROUTE / RTM_DELROUTE message.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="type">RTM_NEWROUTE or RTM_DELROUTE.</param>
    /// <param name="flags">NLM_F_* flags.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="route">The route.</param>
    public static void Write(NetlinkMessageWriter writer, ushort type, ushort flags, uint sequence, Route route)
    {
        var family = route.Destination.IsIPv6 ? Rtnl.AF_INET6 : Rtnl.AF_INET;
        writer.BeginMessage(type, flags, sequence);
        var rtm = writer.AppendStruct(Rtnl.RtMsgLength);
        rtm[0] = family;
        rtm[1] = (byte)route.Destination.Length;
        rtm[4] = route.Table < 256 ? (byte)route.Table : (byte)0;
        rtm[5] = route.Protocol;
        // RT_SCOPE_NOWHERE in a delete matches any scope, as iproute2 does.
        rtm[6] = type == Rtnl.RTM_DELROUTE ? (byte)RouteScope.Nowhere : (byte)route.EffectiveScope;
        rtm[7] = (byte)route.Type;
        if (route.NextHops.Count == 1 && route.NextHops[0].OnLink)
        {
            MemoryMarshal.Write(rtm[8..], (uint)Rtnl.RTNH_F_ONLINK);
        }

        Span<byte> destination = stackalloc byte[16];
        route.Destination.WriteAddressOctets(destination);
        writer.AddAttribute(Rtnl.RTA_DST, destination[..(route.Destination.IsIPv6 ? 16 : 4)]);
        writer.AddUInt32(Rtnl.RTA_TABLE, route.Table);
        if (route.Metric is { } metric)
        {
            writer.AddUInt32(Rtnl.RTA_PRIORITY, metric);
        }

        if (route.PreferredSource is { } source)
        {
            AddressBytes.Add(writer, Rtnl.RTA_PREFSRC, source);
        }

        // A delete names the route by destination, table, type, protocol and metric; next hops are
        // left out so the route goes whatever next hops the kernel holds for it now.
        if (type != Rtnl.RTM_DELROUTE)
        {
            WriteNextHops(writer, family, route);
        }

        writer.EndMessage();
    }

    private static void WriteNextHops(NetlinkMessageWriter writer, byte family, Route route)
    {
        if (route.NextHopId is { } id)
        {
            writer.AddUInt32(Rtnl.RTA_NH_ID, id);
        }
        else if (route.NextHops.Count == 1)
        {
            var hop = route.NextHops[0];
            if (hop.Gateway is { } gateway)
            {
                AddGateway(writer, family, gateway);
            }

            if (hop.InterfaceIndex != 0)
            {
                writer.AddUInt32(Rtnl.RTA_OIF, (uint)hop.InterfaceIndex);
            }
        }
        else if (route.NextHops.Count > 1)
        {
            WriteMultipath(writer, family, route.NextHops);
        }
    }

    // RTA_MULTIPATH holds rtnexthop entries {len, flags, hops (weight - 1), ifindex} each followed by its attributes.
    private static void WriteMultipath(NetlinkMessageWriter writer, byte family, EquatableArray<NextHop> hops)
    {
        var multipath = writer.BeginNested(Rtnl.RTA_MULTIPATH);
        foreach (var hop in hops)
        {
            if (hop.Weight is < 1 or > 256)
            {
                throw new ArgumentOutOfRangeException(nameof(hops), hop.Weight, "A next hop's weight is 1 to 256.");
            }

            var start = writer.Length;
            var rtnh = writer.AppendStruct(Rtnl.RtNextHopLength);
            rtnh[2] = hop.OnLink ? Rtnl.RTNH_F_ONLINK : (byte)0;
            rtnh[3] = (byte)(hop.Weight - 1);
            MemoryMarshal.Write(rtnh[4..], hop.InterfaceIndex);
            if (hop.Gateway is { } gateway)
            {
                AddGateway(writer, family, gateway);
            }

            writer.EndNested(start);
        }

        writer.EndNested(multipath);
    }

    // An IPv4 route through an IPv6 gateway needs RTA_VIA (RFC 5549 style); same family uses RTA_GATEWAY.
    private static void AddGateway(NetlinkMessageWriter writer, byte family, IPAddress gateway)
    {
        var gatewayFamily = AddressBytes.Family(gateway);
        if (gatewayFamily == family)
        {
            AddressBytes.Add(writer, Rtnl.RTA_GATEWAY, gateway);
            return;
        }

        Span<byte> via = stackalloc byte[18];
        MemoryMarshal.Write(via, (ushort)gatewayFamily);
        var length = AddressBytes.Write(via[2..], gateway);
        writer.AddAttribute(Rtnl.RTA_VIA, via[..(2 + length)]);
    }

    /// <summary>Parses an RTM_NEWROUTE / RTM_DELROUTE message; false when it is not an IPv4/IPv6 route.</summary>
    /// <param name="message">The message.</param>
    /// <param name="route">The route.</param>
    public static bool TryParse(NetlinkMessage message, out Route route)
    {
        route = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.RtMsgLength || payload[0] is not (Rtnl.AF_INET or Rtnl.AF_INET6))
        {
            return false;
        }

        var ipv6 = payload[0] == Rtnl.AF_INET6;
        var length = payload[1];
        if (length > (ipv6 ? 128 : 32))
        {
            return false;
        }

        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        uint table = payload[4];
        uint? metric = null;
        uint? nextHopId = null;
        IPAddress? source = null;
        IPAddress? destination = null;
        IPAddress? gateway = null;
        var oif = 0;
        var hops = new List<NextHop>();
        var attributes = new AttributeReader(payload[Rtnl.RtMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            switch (type)
            {
                case Rtnl.RTA_DST:
                    // An address of the other family would make a prefix the header does not describe.
                    if (value.Length != (ipv6 ? 16 : 4))
                    {
                        return false;
                    }

                    destination = AddressBytes.Read(value);
                    break;
                case Rtnl.RTA_TABLE when value.Length >= 4:
                    table = MemoryMarshal.Read<uint>(value);
                    break;
                case Rtnl.RTA_PRIORITY when value.Length >= 4:
                    metric = MemoryMarshal.Read<uint>(value);
                    break;
                case Rtnl.RTA_PREFSRC:
                    source = AddressBytes.Read(value);
                    break;
                case Rtnl.RTA_GATEWAY:
                    gateway = AddressBytes.Read(value);
                    break;
                case Rtnl.RTA_VIA when value.Length >= 2:
                    gateway = AddressBytes.Read(value[2..]);
                    break;
                case Rtnl.RTA_OIF when value.Length >= 4:
                    oif = MemoryMarshal.Read<int>(value);
                    break;
                case Rtnl.RTA_NH_ID when value.Length >= 4:
                    nextHopId = MemoryMarshal.Read<uint>(value);
                    break;
                case Rtnl.RTA_MULTIPATH:
                    ParseMultipath(value, hops);
                    break;
                default:
                    break;
            }
        }

        if (hops.Count == 0 && (gateway is not null || oif != 0) && nextHopId is null)
        {
            hops.Add(new NextHop { Gateway = gateway, InterfaceIndex = oif, OnLink = (flags & Rtnl.RTNH_F_ONLINK) != 0 });
        }

        route = new Route
        {
            Destination = destination is null
                ? (ipv6 ? IpPrefix.FromIPv6(UInt128.Zero, 0) : IpPrefix.FromIPv4(0, 0))
                : IpPrefix.Create(destination, length),
            Type = (RouteType)payload[7],
            Table = table,
            Protocol = payload[5],
            Scope = (RouteScope)payload[6],
            Metric = metric,
            PreferredSource = source,
            NextHops = [.. hops],
            NextHopId = nextHopId,
        };
        return true;
    }

    private static void ParseMultipath(ReadOnlySpan<byte> value, List<NextHop> hops)
    {
        while (value.Length >= Rtnl.RtNextHopLength)
        {
            var length = MemoryMarshal.Read<ushort>(value);
            if (length < Rtnl.RtNextHopLength || length > value.Length)
            {
                return;
            }

            IPAddress? gateway = null;
            var attributes = new AttributeReader(value[Rtnl.RtNextHopLength..length]);
            while (attributes.TryReadNext(out var type, out var attribute) == ReadStatus.Item)
            {
                if (type == Rtnl.RTA_GATEWAY)
                {
                    gateway = AddressBytes.Read(attribute);
                }
                else if (type == Rtnl.RTA_VIA && attribute.Length >= 2)
                {
                    gateway = AddressBytes.Read(attribute[2..]);
                }
            }

            hops.Add(new NextHop
            {
                Gateway = gateway,
                InterfaceIndex = MemoryMarshal.Read<int>(value[4..]),
                Weight = value[3] + 1,
                OnLink = (value[2] & Rtnl.RTNH_F_ONLINK) != 0,
            });
            value = value[Math.Min(Rtnl.Align(length), value.Length)..];
        }
    }
}
