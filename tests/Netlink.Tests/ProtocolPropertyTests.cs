using System.Runtime.InteropServices;
using BgpStack.Netlink.Protocol;
using BgpStack.Netlink.Routes;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Netlink.Tests;

/// <summary>The message writer and readers: attributes round-trip aligned; random octets never make a reader throw.</summary>
public class ProtocolPropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(1000);

    private static Gen<byte[]> Bytes(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static readonly Gen<(ushort Type, byte[] Value, bool Nested)[]> Attributes =
        Gen.ListOf(Gen.Choose(1, 0x3fff).SelectMany(t => Bytes(40).SelectMany(v => Gen.Elements(false, true).Select(n => ((ushort)t, v, n)))))
            .Select(l => l.ToArray());

    [Fact]
    public void Attributes_round_trip_with_four_octet_alignment_in_several_messages()
    {
        Check.One(Quick, Prop.ForAll(Attributes.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (attributes, messages) =>
        {
            using var writer = new NetlinkMessageWriter(16);
            for (var m = 0; m < messages; m++)
            {
                writer.BeginMessage(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_REQUEST, (uint)m + 7);
                writer.AppendStruct(Rtnl.RtMsgLength)[0] = Rtnl.AF_INET;
                foreach (var (type, value, nested) in attributes)
                {
                    if (nested)
                    {
                        var token = writer.BeginNested(type);
                        writer.AddAttribute(1, value);
                        writer.EndNested(token);
                    }
                    else
                    {
                        writer.AddAttribute(type, value);
                    }
                }

                writer.EndMessage();
            }

            Assert.Equal(0, writer.Length % 4);
            var reader = new NetlinkMessageReader(writer.Written);
            for (var m = 0; m < messages; m++)
            {
                Assert.Equal(ReadStatus.Item, reader.TryReadNext(out var message));
                Assert.Equal((uint)m + 7, message.Sequence);
                Assert.Equal(Rtnl.RTM_NEWROUTE, message.Type);
                Assert.Equal(0, writer.MessageOffset(m) % 4);
                var attributeReader = new AttributeReader(message.Payload[Rtnl.RtMsgLength..]);
                foreach (var (type, value, nested) in attributes)
                {
                    Assert.Equal(ReadStatus.Item, attributeReader.TryReadNext(out var readType, out var readValue));
                    Assert.Equal(type, readType);
                    if (nested)
                    {
                        var inner = new AttributeReader(readValue);
                        Assert.Equal(ReadStatus.Item, inner.TryReadNext(out var innerType, out var innerValue));
                        Assert.Equal(1, innerType);
                        Assert.Equal(value, innerValue.ToArray());
                        Assert.Equal(ReadStatus.End, inner.TryReadNext(out _, out _));
                    }
                    else
                    {
                        Assert.Equal(value, readValue.ToArray());
                    }
                }

                Assert.Equal(ReadStatus.End, attributeReader.TryReadNext(out _, out _));
            }

            Assert.Equal(ReadStatus.End, reader.TryReadNext(out _));
        }));
    }

    [Fact]
    public void Readers_and_parsers_never_throw_on_random_octets()
    {
        Check.One(Quick, Prop.ForAll(Bytes(300).ToArbitrary(), data =>
        {
            var reader = new NetlinkMessageReader(data);
            var steps = 0;
            ReadStatus status;
            while ((status = reader.TryReadNext(out var message)) == ReadStatus.Item)
            {
                steps++;
                _ = RouteCodec.TryParse(message, out _);
                _ = Links.LinkCodec.TryParse(message, out _);
                _ = NetlinkClient.TryParseAddress(message, out _);
                _ = NetlinkClient.TryParseNeighbour(message, out _);
                _ = NetlinkClient.TryParseNextHop(message, out _);
                _ = NetlinkSocket.ParseError(message, data, "random");
                Assert.True(steps <= data.Length / 16);
            }

            Assert.True(status == ReadStatus.End || reader.Error is not null);
            var attributes = new AttributeReader(data);
            while ((status = attributes.TryReadNext(out _, out _)) == ReadStatus.Item)
            {
            }

            Assert.True(status == ReadStatus.End || attributes.Error is not null);
        }));
    }

    [Fact]
    public void Ipip_request_nests_iptun_attributes_under_linkinfo_data()
    {
        using var writer = new NetlinkMessageWriter();
        Links.LinkCodec.WriteIpip(writer, Rtnl.NLM_F_REQUEST, 9, new Links.IpipTunnelOptions { Name = "tunl1", Local = System.Net.IPAddress.Parse("198.18.5.1"), Ttl = 64, UnderlayIndex = 3 });
        var reader = new NetlinkMessageReader(writer.Written);
        Assert.Equal(ReadStatus.Item, reader.TryReadNext(out var message));
        Assert.Equal(Rtnl.RTM_NEWLINK, message.Type);
        var top = new Dictionary<ushort, byte[]>();
        var attributes = new AttributeReader(message.Payload[Rtnl.IfInfoMsgLength..]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            top[type] = value.ToArray();
        }

        Assert.Equal("tunl1\0"u8.ToArray(), top[Rtnl.IFLA_IFNAME]);
        var info = new Dictionary<ushort, byte[]>();
        attributes = new AttributeReader(top[Rtnl.IFLA_LINKINFO]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            info[type] = value.ToArray();
        }

        Assert.Equal("ipip\0"u8.ToArray(), info[Rtnl.IFLA_INFO_KIND]);
        var data = new Dictionary<ushort, byte[]>();
        attributes = new AttributeReader(info[Rtnl.IFLA_INFO_DATA]);
        while (attributes.TryReadNext(out var type, out var value) == ReadStatus.Item)
        {
            data[type] = value.ToArray();
        }

        Assert.Equal(new byte[] { 198, 18, 5, 1 }, data[Rtnl.IFLA_IPTUN_LOCAL]);
        Assert.Equal(new byte[] { 64 }, data[Rtnl.IFLA_IPTUN_TTL]);
        Assert.Equal(new byte[] { 1 }, data[Rtnl.IFLA_IPTUN_PMTUDISC]);
        Assert.Equal(3, MemoryMarshal.Read<int>(data[Rtnl.IFLA_IPTUN_LINK]));
        Assert.False(data.ContainsKey(Rtnl.IFLA_IPTUN_REMOTE));
    }

    [Fact]
    public void Parsers_never_throw_on_well_framed_messages_with_random_bodies()
    {
        var gen = Gen.Elements(Rtnl.AF_INET, Rtnl.AF_INET6, Rtnl.AF_UNSPEC).SelectMany(family => Bytes(200).Select(body => (family, body)));
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            using var writer = new NetlinkMessageWriter();
            writer.BeginMessage(Rtnl.RTM_NEWROUTE, 0, 1);
            var payload = writer.AppendStruct(1 + sample.body.Length);
            payload[0] = sample.family;
            sample.body.CopyTo(payload[1..]);
            writer.EndMessage();
            var reader = new NetlinkMessageReader(writer.Written);
            Assert.Equal(ReadStatus.Item, reader.TryReadNext(out var message));
            if (RouteCodec.TryParse(message, out var route))
            {
                Assert.True(route.Destination.Length <= route.Destination.MaxLength);
            }

            _ = Links.LinkCodec.TryParse(message, out _);
            _ = NetlinkClient.TryParseAddress(message, out _);
            _ = NetlinkClient.TryParseNeighbour(message, out _);
            _ = NetlinkClient.TryParseNextHop(message, out _);
            _ = NetlinkSocket.ParseError(message, writer.Written, "random");
        }));
    }

    [Fact]
    public void A_route_whose_destination_is_of_the_other_family_is_not_parsed()
    {
        using var writer = new NetlinkMessageWriter();
        writer.BeginMessage(Rtnl.RTM_NEWROUTE, 0, 1);
        var rtm = writer.AppendStruct(Rtnl.RtMsgLength);
        rtm[0] = Rtnl.AF_INET6;
        rtm[1] = 100;
        writer.AddAttribute(Rtnl.RTA_DST, [10, 0, 0, 0]);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.Written);
        Assert.Equal(ReadStatus.Item, reader.TryReadNext(out var message));
        Assert.False(RouteCodec.TryParse(message, out _));
    }

    [Fact]
    public void A_message_whose_length_overruns_the_datagram_is_malformed()
    {
        var datagram = new byte[20];
        MemoryMarshal.Write(datagram, 64u);
        var reader = new NetlinkMessageReader(datagram);
        Assert.Equal(ReadStatus.Malformed, reader.TryReadNext(out _));
        Assert.Contains("nlmsg_len 64", reader.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Extended_ack_text_and_offset_are_read_from_an_error_message()
    {
        using var writer = new NetlinkMessageWriter();
        writer.BeginMessage(Rtnl.NLMSG_ERROR, Rtnl.NLM_F_CAPPED | Rtnl.NLM_F_ACK_TLVS, 5);
        MemoryMarshal.Write(writer.AppendStruct(4), -101);
        writer.AppendStruct(Rtnl.HeaderLength);
        writer.AddString(Rtnl.NLMSGERR_ATTR_MSG, "Nexthop has invalid gateway");
        writer.AddUInt32(Rtnl.NLMSGERR_ATTR_OFFS, 32);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.Written);
        Assert.Equal(ReadStatus.Item, reader.TryReadNext(out var message));
        var error = NetlinkSocket.ParseError(message, new byte[64], "add route 10.0.0.0/8");
        Assert.Equal(new NetlinkError(101, "Nexthop has invalid gateway", 32, "add route 10.0.0.0/8"), error);
        Assert.StartsWith("add route 10.0.0.0/8: errno 101 (", error!.ToString(), StringComparison.Ordinal);
    }
}
