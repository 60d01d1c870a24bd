using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>Hand-written UPDATEs as (octets, model) pairs: each decodes to the model and the model encodes to the octets.</summary>
public class UpdateCanonicalTests
{
    private static void AssertPair(string bodyHex, UpdateMessage expected, CodecContext context)
    {
        var body = Hex.Bytes(bodyHex);
        var decoded = UpdateMessage.DecodeBody(body, context);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(expected, decoded.Value);
        Assert.Empty(decoded.Value!.AttributeErrors);
        Assert.Equal(Hex.Message(2, bodyHex), expected.ToBytes(context));
    }

    [Fact]
    public void Ipv4_update_with_the_typical_attribute_set()
    {
        const string body = "0000" + "0032"
            + "40010100"
            + "4002120204 0000FDE9 0000FDEA 0000FDEB 0000FDEC"
            + "400304C0000201"
            + "80040400000064"
            + "C00808FDE90001FFFFFF01"
            + "180A0000" + "10C0A8";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.FromSequence(65001, 65002, 65003, 65004),
                NextHop = IPAddress.Parse("192.0.2.1"),
                MultiExitDisc = 100,
                Communities = EquatableArray.Create(Community.Create(65001, 1), Community.NoExport),
            },
            Nlri = EquatableArray.Create(new Nlri(IpPrefix.Parse("10.0.0.0/24")), new Nlri(IpPrefix.Parse("192.168.0.0/16"))),
        };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void Ipv6_mp_reach_with_global_and_link_local_next_hop()
    {
        const string body = "0000" + "0043"
            + "800E33 0002 01 20 20010DB8000000000000000000000001 FE800000000000000000000000000001 00 2020010DB8 4020010DB800010000"
            + "40010100"
            + "400206020100 00FDE9";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001) },
            MpReach = MpReachNlri.Create(
                AfiSafi.Ipv6Unicast,
                IPAddress.Parse("2001:db8::1"),
                IPAddress.Parse("fe80::1"),
                [new Nlri(IpPrefix.Parse("2001:db8::/32")), new Nlri(IpPrefix.Parse("2001:db8:1::/64"))]),
        };
        AssertPair(body, expected, CodecContext.Default);
        Assert.Equal(IPAddress.Parse("fe80::1"), expected.MpReach!.LinkLocalNextHop);
    }

    [Fact]
    public void Ipv4_nlri_with_an_ipv6_next_hop_rfc_8950()
    {
        const string body = "0000" + "0029"
            + "800E19 0001 01 10 20010DB8000000000000000000000001 00 180A0000"
            + "40010100"
            + "400206020100 00FDE9";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001) },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv4Unicast, IPAddress.Parse("2001:db8::1"), null, [new Nlri(IpPrefix.Parse("10.0.0.0/24"))]),
        };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void Ipv6_mp_unreach()
    {
        const string body = "0000" + "000B" + "800F08 0002 01 2020010DB8";
        var expected = new UpdateMessage { MpUnreach = new MpUnreachNlri(AfiSafi.Ipv6Unicast, EquatableArray.Create(new Nlri(IpPrefix.Parse("2001:db8::/32")))) };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void End_of_rib_ipv4_is_the_empty_update()
    {
        AssertPair("00000000", UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast), CodecContext.Default);
        var decoded = UpdateMessage.DecodeBody(Hex.Bytes("00000000"), CodecContext.Default).Value!;
        Assert.True(decoded.IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.Ipv4Unicast, family);
    }

    [Fact]
    public void End_of_rib_ipv6_is_an_empty_mp_unreach()
    {
        AssertPair("0000" + "0006" + "800F03000201", UpdateMessage.EndOfRib(AfiSafi.Ipv6Unicast), CodecContext.Default);
        var decoded = UpdateMessage.DecodeBody(Hex.Bytes("0000" + "0006" + "800F03000201"), CodecContext.Default).Value!;
        Assert.True(decoded.IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.Ipv6Unicast, family);
    }

    [Fact]
    public void Add_path_nlri_and_withdrawals_carry_path_identifiers()
    {
        var context = new CodecContext { AddPath = AddPathFamilies.Ipv4Unicast };
        const string body = "0008" + "00000007 180A0100"
            + "000E" + "40010102" + "400200" + "400304C0000201" + "00000001 180A0000" + "00000002 180A0000";
        var expected = new UpdateMessage
        {
            WithdrawnRoutes = EquatableArray.Create(new Nlri(IpPrefix.Parse("10.1.0.0/24"), 7)),
            Attributes = new PathAttributes { Origin = Origin.Incomplete, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("192.0.2.1") },
            Nlri = EquatableArray.Create(new Nlri(IpPrefix.Parse("10.0.0.0/24"), 1), new Nlri(IpPrefix.Parse("10.0.0.0/24"), 2)),
        };
        AssertPair(body, expected, context);
    }

    [Fact]
    public void Vpnv4_mp_reach_is_kept_raw()
    {
        const string body = "0000" + "0030"
            + "800E20 0001 80 0C 0000000000000000C0000201 00 70 000641 0000FDE900000001 0A0000"
            + "40010100" + "400206020100 00FDE9";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001) },
            MpReach = new MpReachNlri(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), Hex.Bytes("0000000000000000C0000201"), default)
            {
                RawNlri = Hex.Bytes("70 000641 0000FDE900000001 0A0000"),
            },
        };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void Flowspec_mp_reach_with_no_next_hop_is_kept_raw()
    {
        const string body = "0000" + "0022"
            + "800E0D 0001 85 00 00 0701180A00000281"
            + "40010100" + "400200" + "C010088006000000000000";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.Empty,
                ExtendedCommunities = EquatableArray.Create(new ExtendedCommunity(0x8006000000000000)),
            },
            MpReach = new MpReachNlri(new AfiSafi(Afi.Ipv4, Safi.FlowSpec), default, default) { RawNlri = Hex.Bytes("0701180A00000281") },
        };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void Unknown_attribute_round_trips_in_its_type_code_position_with_extended_length_kept()
    {
        const string body = "0000" + "0011"
            + "40010100" + "400200"
            + "D00B0002ABCD"
            + "C0FF0101";
        var expected = new UpdateMessage
        {
            Attributes = new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.Empty,
                UnknownAttributes = EquatableArray.Create(
                    new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive | AttributeFlags.ExtendedLength, 11, Hex.Bytes("ABCD")),
                    new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive, 255, Hex.Bytes("01"))),
            },
        };
        AssertPair(body, expected, CodecContext.Default);
    }

    [Fact]
    public void Attribute_longer_than_255_octets_uses_extended_length()
    {
        var communities = Enumerable.Range(0, 70).Select(i => new Community((uint)i)).ToEquatableArray();
        var message = new UpdateMessage { Attributes = new PathAttributes { Communities = communities } };
        var bytes = message.ToBytes(CodecContext.Default);
        Assert.Equal(0xD0, bytes[23]);
        Assert.Equal(8, bytes[24]);
        Assert.Equal(280, (bytes[25] << 8) | bytes[26]);
        Assert.Equal(message, BgpMessage.Decode(bytes, CodecContext.Default).Value);
    }

    [Fact]
    public void As_path_segments_longer_than_255_are_split()
    {
        var asns = Enumerable.Range(1, 300).Select(i => (uint)i).ToArray();
        var message = new UpdateMessage { Attributes = new PathAttributes { AsPath = AsPath.FromSequence(asns) } };
        var decoded = (UpdateMessage)BgpMessage.Decode(message.ToBytes(CodecContext.Default), CodecContext.Default).Value!;
        Assert.Equal([255, 45], decoded.Attributes.AsPath!.Segments.Select(s => s.Asns.Count).ToArray());
        Assert.Equal(300, decoded.Attributes.AsPath.Length);
    }

    [Fact]
    public void Mp_attributes_are_encoded_first()
    {
        var message = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty },
            MpUnreach = new MpUnreachNlri(AfiSafi.Ipv6Unicast, default),
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), null, [new Nlri(IpPrefix.Parse("2001:db8::/32"))]),
        };
        var bytes = message.ToBytes(CodecContext.Default);
        Assert.Equal(14, bytes[24]);
        Assert.Equal(15, bytes[24 + 3 + bytes[25]]);
    }
}
