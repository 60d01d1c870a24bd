using System.Buffers;
using System.Net;
using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Wire;

public class UpdateBuilderTests
{
    private static readonly PathAttributes Typical = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 65002, 65003, 65004),
        NextHop = IPAddress.Parse("192.0.2.1"),
        MultiExitDisc = 100,
        Communities = EquatableArray.Create(Community.Create(65001, 1), Community.NoExport),
    };

    private static List<Nlri> Slash24s(int count, uint first = 0x0A000000) =>
        Enumerable.Range(0, count).Select(i => new Nlri(IpPrefix.FromIPv4(first + ((uint)i << 8), 24))).ToList();

    private static List<UpdateMessage> EncodeAndDecodeAll(UpdateBuilder builder, UpdateRequest request)
    {
        var writer = new ArrayBufferWriter<byte>();
        var count = builder.WriteTo(request, writer);
        var decoded = new List<UpdateMessage>();
        var buffer = writer.WrittenSpan;
        var expected = new ArrayBufferWriter<byte>();
        foreach (var message in builder.Build(request))
        {
            message.Encode(expected, builder.Context);
        }

        // The direct path writes exactly what encoding the built messages writes.
        Assert.True(expected.WrittenSpan.SequenceEqual(buffer));
        while (!buffer.IsEmpty)
        {
            Assert.True(BgpMessage.TryDecodeNext(buffer, builder.Context, out var result, out var consumed));
            Assert.True(consumed <= builder.Context.MaxMessageLength);
            Assert.True(result.IsSuccess, result.Error?.ToString());
            var update = Assert.IsType<UpdateMessage>(result.Value);
            Assert.Empty(update.AttributeErrors);
            decoded.Add(update);
            buffer = buffer[consumed..];
        }

        Assert.Equal(count, decoded.Count);
        return decoded;
    }

    [Fact]
    public void Two_thousand_slash_24s_pack_into_the_minimum_number_of_4096_octet_messages()
    {
        var builder = new UpdateBuilder(CodecContext.Default);
        var routes = Slash24s(2000);
        var messages = EncodeAndDecodeAll(builder, new UpdateRequest { Attributes = Typical, Announce = routes });

        // 23 octets of header and length fields, 50 of attributes, 4 per /24.
        var perMessage = (CodecContext.StandardMaxMessageLength - 23 - 50) / 4;
        Assert.Equal((routes.Count + perMessage - 1) / perMessage, messages.Count);
        Assert.Equal(routes, messages.SelectMany(m => m.Nlri).ToList());
        Assert.All(messages, m => Assert.Equal(Typical, m.Attributes));
    }

    [Fact]
    public void Extended_messages_need_fewer_updates()
    {
        var routes = Slash24s(20000);
        var standard = EncodeAndDecodeAll(new UpdateBuilder(CodecContext.Default), new UpdateRequest { Attributes = Typical, Announce = routes });
        var extendedContext = new CodecContext { ExtendedMessage = true };
        var extended = EncodeAndDecodeAll(new UpdateBuilder(extendedContext), new UpdateRequest { Attributes = Typical, Announce = routes });
        Assert.Equal(20, standard.Count);
        Assert.Equal(2, extended.Count);
        Assert.Equal(routes, extended.SelectMany(m => m.Nlri).ToList());
    }

    [Fact]
    public void Withdrawals_are_packed_first_and_share_the_last_message_with_announcements()
    {
        var builder = new UpdateBuilder(CodecContext.Default);
        var withdraw = Slash24s(1500, 0x0B000000);
        var announce = Slash24s(500);
        var messages = EncodeAndDecodeAll(builder, new UpdateRequest { Attributes = Typical, Announce = announce, Withdraw = withdraw });

        // 1500 * 4 + 500 * 4 + 50 octets of attributes = 8050: two messages of 4073 usable octets.
        Assert.Equal(2, messages.Count);
        Assert.Equal(withdraw, messages.SelectMany(m => m.WithdrawnRoutes).ToList());
        Assert.Equal(announce, messages.SelectMany(m => m.Nlri).ToList());
        Assert.Equal(PathAttributes.Empty, messages[0].Attributes);
        Assert.Equal(1018, messages[0].WithdrawnRoutes.Count);
        Assert.Equal(482, messages[1].WithdrawnRoutes.Count);
        Assert.Equal(500, messages[1].Nlri.Count);
    }

    [Fact]
    public void Ipv6_routes_travel_in_mp_reach_and_mp_unreach_with_add_path()
    {
        var context = new CodecContext { AddPath = AddPathFamilies.Ipv6Unicast };
        var builder = new UpdateBuilder(context);
        var announce = Enumerable.Range(0, 800).Select(i => new Nlri(IpPrefix.FromIPv6(new UInt128(0x20010DB800000000 + ((ulong)i << 16), 0), 48), (uint)i)).ToList();
        var withdraw = Enumerable.Range(0, 300).Select(i => new Nlri(IpPrefix.FromIPv6(new UInt128(0x20010DB900000000 + ((ulong)i << 16), 0), 48), 1)).ToList();
        var nextHop = IPAddress.Parse("2001:db8::1").GetAddressBytes().Concat(IPAddress.Parse("fe80::1").GetAddressBytes()).ToArray();
        var attributes = Typical with { NextHop = null };
        var messages = EncodeAndDecodeAll(builder, new UpdateRequest
        {
            Family = AfiSafi.Ipv6Unicast,
            Attributes = attributes,
            MpNextHop = nextHop,
            Announce = announce,
            Withdraw = withdraw,
        });

        Assert.Equal(announce, messages.Where(m => m.MpReach is not null).SelectMany(m => m.MpReach!.Nlri).ToList());
        Assert.Equal(withdraw, messages.Where(m => m.MpUnreach is not null).SelectMany(m => m.MpUnreach!.Nlri).ToList());
        Assert.All(messages.Where(m => m.MpReach is not null), m => Assert.Equal(IPAddress.Parse("fe80::1"), m.MpReach!.LinkLocalNextHop));
        var total = (announce.Count * 11) + (withdraw.Count * 11) + 100;
        Assert.True(messages.Count <= (total / (4096 - 100)) + 1);
    }

    [Fact]
    public void Ipv4_can_travel_in_mp_reach()
    {
        var builder = new UpdateBuilder(CodecContext.Default);
        var routes = Slash24s(1200);
        var messages = EncodeAndDecodeAll(builder, new UpdateRequest
        {
            Attributes = Typical with { NextHop = null },
            Ipv4ViaMpReach = true,
            MpNextHop = IPAddress.Parse("192.0.2.1").GetAddressBytes(),
            Announce = routes,
        });
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Empty(m.Nlri));
        Assert.Equal(routes, messages.SelectMany(m => m.MpReach!.Nlri).ToList());
    }

    [Fact]
    public void Raw_family_routes_are_packed_whole()
    {
        var builder = new UpdateBuilder(CodecContext.Default);
        var vpn = new AfiSafi(Afi.Ipv4, Safi.MplsVpn);
        var routes = Enumerable.Range(0, 600).Select(i => (EquatableArray<byte>)Hex.Bytes($"70 000641 0000FDE900000001 0A{i >> 8:X2}{i & 0xFF:X2}")).ToList();
        var messages = EncodeAndDecodeAll(builder, new UpdateRequest
        {
            Family = vpn,
            Attributes = Typical with { NextHop = null },
            MpNextHop = Hex.Bytes("0000000000000000C0000201"),
            RawAnnounce = routes,
            RawWithdraw = routes.Take(10).ToList(),
        });
        Assert.Equal(3, messages.Count);
        var announced = messages.Where(m => m.MpReach is not null).SelectMany(m => m.MpReach!.RawNlri.AsSpan().ToArray()).ToArray();
        Assert.Equal(routes.SelectMany(r => r.AsSpan().ToArray()).ToArray(), announced);
    }

    [Fact]
    public void Nothing_to_send_builds_no_message()
    {
        Assert.Empty(new UpdateBuilder(CodecContext.Default).Build(new UpdateRequest { Attributes = Typical }));
    }

    [Fact]
    public void Attributes_too_large_for_one_route_throw()
    {
        var huge = Typical with { LargeCommunities = Enumerable.Range(0, 400).Select(i => new LargeCommunity((uint)i, 0, 0)).ToEquatableArray() };
        var builder = new UpdateBuilder(CodecContext.Default);
        Assert.Throws<MessageTooLargeException>(() => builder.Build(new UpdateRequest { Attributes = huge, Announce = Slash24s(1) }));
    }

    [Fact]
    public void Random_requests_pack_into_messages_within_the_limit_that_carry_every_route_once()
    {
        var gen = from context in UpdateGenerators.Context
                  from ipv6 in Gen.Elements(true, false)
                  from viaMp in Gen.Elements(true, false)
                  from announce in Gen.Choose(0, 1500).SelectMany(n => Gen.ArrayOf(UpdateGenerators.NlriEntry(ipv6, context.HasAddPath(ipv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast)), n))
                  from withdraw in Gen.Choose(0, 1500).SelectMany(n => Gen.ArrayOf(UpdateGenerators.NlriEntry(ipv6, context.HasAddPath(ipv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast)), n))
                  select (context, ipv6, viaMp, announce, withdraw);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var family = c.ipv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast;
            var classic = !c.ipv6 && !c.viaMp;
            var request = new UpdateRequest
            {
                Family = family,
                Ipv4ViaMpReach = c.viaMp,
                Attributes = classic ? Typical : Typical with { NextHop = null },
                MpNextHop = c.ipv6 ? new byte[16] : new byte[4],
                Announce = c.announce,
                Withdraw = c.withdraw,
            };
            var messages = EncodeAndDecodeAll(new UpdateBuilder(c.context), request);
            var announced = messages.SelectMany(m => classic ? m.Nlri.AsSpan().ToArray() : m.MpReach?.Nlri.AsSpan().ToArray() ?? []).ToArray();
            var withdrawn = messages.SelectMany(m => classic ? m.WithdrawnRoutes.AsSpan().ToArray() : m.MpUnreach?.Nlri.AsSpan().ToArray() ?? []).ToArray();
            Assert.Equal(c.announce, announced);
            Assert.Equal(c.withdraw, withdrawn);
        }));
    }
}
