using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>Each capability as (octets, model) pairs driving both decode and encode.</summary>
public class CapabilityTests
{
    public static TheoryData<string, Capability> Canonical => new()
    {
        { "0104 0001 00 01", new MultiprotocolCapability(AfiSafi.Ipv4Unicast) },
        { "0104 0019 00 46", new MultiprotocolCapability(new AfiSafi(Afi.L2vpn, Safi.Evpn)) },
        { "0200", new RouteRefreshCapability() },
        { "0600", new ExtendedMessageCapability() },
        { "4600", new EnhancedRouteRefreshCapability() },
        { "4104 FA56EA01", new FourOctetAsCapability(4200000001) },
        { "0500", new ExtendedNextHopCapability(EquatableArray<ExtendedNextHopEntry>.Empty) },
        {
            "050C 0001 0001 0002 0001 0080 0002",
            new ExtendedNextHopCapability(new[] { new ExtendedNextHopEntry(Afi.Ipv4, 1, Afi.Ipv6), new ExtendedNextHopEntry(Afi.Ipv4, 128, Afi.Ipv6) })
        },
        { "4002 0000", new GracefulRestartCapability(false, false, 0, EquatableArray<GracefulRestartFamily>.Empty) },
        {
            "400A 8FFF 0001 01 80 0002 01 00",
            new GracefulRestartCapability(true, false, 4095, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true), new GracefulRestartFamily(AfiSafi.Ipv6Unicast, false) })
        },
        { "4002 4078", new GracefulRestartCapability(false, true, 120, EquatableArray<GracefulRestartFamily>.Empty) },
        {
            "450C 0001 01 01 0002 01 02 0001 80 03",
            new AddPathCapability(new[]
            {
                new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Receive),
                new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Send),
                new AddPathFamily(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), AddPathMode.Both),
            })
        },
        { "4700", new LongLivedGracefulRestartCapability(EquatableArray<LongLivedGracefulRestartFamily>.Empty) },
        {
            "470E 0001 01 80 FFFFFF 0002 01 00 000E10",
            new LongLivedGracefulRestartCapability(new[]
            {
                new LongLivedGracefulRestartFamily(AfiSafi.Ipv4Unicast, true, 0xFFFFFF),
                new LongLivedGracefulRestartFamily(AfiSafi.Ipv6Unicast, false, 3600),
            })
        },
        { "490D 04 6E6F6465 07 6578616D706C65", new FqdnCapability("node", "example") },
        { "4902 00 00", new FqdnCapability("", "") },
        { "4905 03 C3A97A 00", new FqdnCapability("éz", "") },
        { "8000", new UnknownCapability(128, EquatableArray<byte>.Empty) },
        { "0B03 010203", new UnknownCapability(11, new byte[] { 1, 2, 3 }) },
        { "FF01 AA", new UnknownCapability(255, new byte[] { 0xAA }) },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Capability_decodes_to_the_model_and_encodes_to_the_same_octets(string hex, Capability capability)
    {
        var bytes = Hex.Bytes(hex);
        var decoded = CapabilityCodec.DecodeParameter(bytes);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(EquatableArray.Create(capability), decoded.Value);
        Assert.Equal(bytes, OpenValidation.EncodeCapability(capability));
    }

    [Fact]
    public void Multiprotocol_reserved_octet_is_ignored_on_decode_and_zero_on_encode()
    {
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes("0104 0002 FF 01")).Value;
        Assert.Equal(EquatableArray.Create<Capability>(new MultiprotocolCapability(AfiSafi.Ipv6Unicast)), decoded);
        Assert.Equal(Hex.Bytes("0104 0002 00 01"), OpenValidation.EncodeCapability(decoded[0]));
    }

    [Fact]
    public void Graceful_restart_reserved_flag_bits_are_ignored()
    {
        // Restart Flags 0x3 and per-family flags 0x7F are reserved (RFC 4724 §3).
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes("4006 3078 0001 01 7F")).Value;
        Assert.Equal(
            EquatableArray.Create<Capability>(new GracefulRestartCapability(false, false, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, false) })),
            decoded);
    }

    [Fact]
    public void Add_path_with_send_receive_outside_1_to_3_is_kept_as_unknown_rfc_7911()
    {
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes("4508 0001 01 01 0002 01 04"));
        Assert.True(decoded.IsSuccess);
        Assert.Equal(EquatableArray.Create<Capability>(new UnknownCapability(69, Hex.Bytes("0001 01 01 0002 01 04"))), decoded.Value);
        Assert.Equal(Hex.Bytes("4508 0001 01 01 0002 01 04"), OpenValidation.EncodeCapability(decoded.Value[0]));
    }

    [Fact]
    public void Fqdn_with_invalid_utf8_is_kept_as_unknown()
    {
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes("4904 02 C328 00"));
        Assert.True(decoded.IsSuccess);
        Assert.Equal(EquatableArray.Create<Capability>(new UnknownCapability(73, Hex.Bytes("02 C328 00"))), decoded.Value);
    }

    [Fact]
    public void Several_capabilities_in_one_parameter_decode_in_order()
    {
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes("0104 0001 0001 0200 4104 0000FDE9"));
        Assert.Equal(
            EquatableArray.Create<Capability>(new MultiprotocolCapability(AfiSafi.Ipv4Unicast), new RouteRefreshCapability(), new FourOctetAsCapability(65001)),
            decoded.Value);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("0105 0001 0001")]
    [InlineData("0103 000101")]
    [InlineData("0201 00")]
    [InlineData("4103 000001")]
    [InlineData("4001 00")]
    [InlineData("4005 0078 000101")]
    [InlineData("4502 0001")]
    [InlineData("4708 0001 01 80 000000 00")]
    [InlineData("0507 0001 0001 0002 00")]
    [InlineData("4901 05")]
    public void Malformed_known_capability_is_open_message_error_unspecific_2_0(string hex)
    {
        var decoded = CapabilityCodec.DecodeParameter(Hex.Bytes(hex));
        Assert.False(decoded.IsSuccess);
        Assert.Equal(NotificationCode.OpenMessageError, decoded.Error!.Code);
        Assert.Equal(0, decoded.Error.Subcode);
        Assert.Empty(decoded.Error.Data);
    }

    [Fact]
    public void Encoder_rejects_values_the_wire_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(new GracefulRestartCapability(false, false, 4096, EquatableArray<GracefulRestartFamily>.Empty)));
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(
            new LongLivedGracefulRestartCapability(new[] { new LongLivedGracefulRestartFamily(AfiSafi.Ipv4Unicast, false, 0x1000000) })));
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(new FqdnCapability(new string('é', 128), "")));
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(new AddPathCapability(new[] { new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.None) })));
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(new UnknownCapability(200, new byte[256])));
        Assert.Throws<ArgumentException>(() => OpenValidation.EncodeCapability(
            new GracefulRestartCapability(false, false, 1, Enumerable.Repeat(new GracefulRestartFamily(AfiSafi.Ipv4Unicast, false), 64).ToArray())));
    }
}
