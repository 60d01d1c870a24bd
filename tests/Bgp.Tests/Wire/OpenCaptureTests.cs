using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>OPENs written out as the usual implementations send them: decoded to the model and re-encoded octet for octet.</summary>
public class OpenCaptureTests
{
    // BIRD 2 style: every capability in one Capabilities parameter.
    private const string BirdBody =
        "04 FDE9 00F0 C0000201 21" +
        " 02 1F" +
        " 0104 0001 00 01" +                // multiprotocol ipv4-unicast
        " 0200" +                           // route refresh
        " 4002 0078" +                      // graceful restart, 120 s, no families
        " 4104 0000FDE9" +                  // 4-octet AS 65001
        " 4600" +                           // enhanced route refresh
        " 4700" +                           // long-lived graceful restart, no families
        " 4907 05 6269726431 00";           // FQDN "bird1", no domain

    // FRR / GoBGP style: one Capabilities parameter per capability, with the pre-standard route refresh (128).
    private const string FrrBody =
        "04 FDEA 00B4 C6120002 40" +
        " 0206 0104 0001 00 01" +           // multiprotocol ipv4-unicast
        " 0206 0104 0002 00 01" +           // multiprotocol ipv6-unicast
        " 0202 8000" +                      // route refresh, old Cisco code 128
        " 0202 0200" +                      // route refresh
        " 0206 4104 0000FDEA" +             // 4-octet AS 65002
        " 0206 4504 0001 01 01" +           // ADD-PATH ipv4-unicast receive
        " 0208 4906 04 66727231 00" +       // FQDN "frr1", no domain
        " 0208 4006 C078 0001 01 80" +      // graceful restart R N 120 s, ipv4-unicast F
        " 0202 4600";                       // enhanced route refresh

    [Fact]
    public void Bird_style_open_decodes_to_the_model_and_re_encodes_identically()
    {
        var bytes = Hex.Message(1, BirdBody);
        var expected = new OpenMessage(4, 65001, 240, RouterId.Parse("192.0.2.1"), new Capability[]
        {
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new RouteRefreshCapability(),
            new GracefulRestartCapability(false, false, 120, EquatableArray<GracefulRestartFamily>.Empty),
            new FourOctetAsCapability(65001),
            new EnhancedRouteRefreshCapability(),
            new LongLivedGracefulRestartCapability(EquatableArray<LongLivedGracefulRestartFamily>.Empty),
            new FqdnCapability("bird1", ""),
        })
        {
            Layout = OptionalParameterLayout.SingleParameter,
        };

        var decoded = BgpMessage.Decode(bytes, CodecContext.Default);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(expected, decoded.Value);
        Assert.Equal(bytes, decoded.Value!.ToBytes(CodecContext.Default));
        Assert.Equal(bytes, expected.ToBytes(CodecContext.Default));
    }

    [Fact]
    public void Frr_style_open_decodes_to_the_model_and_re_encodes_identically()
    {
        var bytes = Hex.Message(1, FrrBody);
        var expected = new OpenMessage(4, 65002, 180, RouterId.Parse("198.18.0.2"), new Capability[]
        {
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
            new UnknownCapability(128, EquatableArray<byte>.Empty),
            new RouteRefreshCapability(),
            new FourOctetAsCapability(65002),
            new AddPathCapability(new[] { new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Receive) }),
            new FqdnCapability("frr1", ""),
            new GracefulRestartCapability(true, true, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true) }),
            new EnhancedRouteRefreshCapability(),
        });

        var decoded = BgpMessage.Decode(bytes, CodecContext.Default);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        var open = Assert.IsType<OpenMessage>(decoded.Value);
        Assert.Equal(expected, open);
        Assert.Equal(OptionalParameterLayout.ParameterPerCapability, open.Layout);
        Assert.False(open.ExtendedOptionalParameters);
        Assert.Equal(65002u, open.AutonomousSystem);
        Assert.Equal(bytes, open.ToBytes(CodecContext.Default));
        Assert.Equal(bytes, expected.ToBytes(CodecContext.Default));
    }

    [Fact]
    public void Hand_written_rfc_9072_encoding_decodes_and_re_encodes_identically()
    {
        // Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length 9, then one
        // Capabilities parameter with a 2-octet length holding multiprotocol ipv4-unicast.
        var bytes = Hex.Message(1, "04 FDE9 00B4 C0000201 FF FF 0009 02 0006 0104 0001 0001");
        var decoded = BgpMessage.Decode(bytes, CodecContext.Default);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        var open = Assert.IsType<OpenMessage>(decoded.Value);
        Assert.Equal(EquatableArray.Create<Capability>(new MultiprotocolCapability(AfiSafi.Ipv4Unicast)), open.Capabilities);

        // The sender chose the extended format without needing it: that choice is kept.
        Assert.True(open.ExtendedOptionalParameters);
        Assert.Equal(bytes, open.ToBytes(CodecContext.Default));
    }

    [Fact]
    public void Rfc_9072_receiver_keys_on_the_type_not_the_non_extended_length()
    {
        // RFC 9072 §2: any non-zero Non-Ext OP Len followed by type 255 is the extended format.
        var open = OpenMessage.DecodeBody(Hex.Bytes("04 FDE9 00B4 C0000201 07 FF 0005 02 0002 0200")).Value!;
        Assert.Equal(EquatableArray.Create<Capability>(new RouteRefreshCapability()), open.Capabilities);
    }

    [Theory]
    [InlineData(OptionalParameterLayout.ParameterPerCapability)]
    [InlineData(OptionalParameterLayout.SingleParameter)]
    public void More_than_255_octets_of_capabilities_use_the_extended_format_and_round_trip(OptionalParameterLayout layout)
    {
        var capabilities = Enumerable.Range(0, 3)
            .Select(i => (Capability)new UnknownCapability((byte)(200 + i), Enumerable.Repeat((byte)i, 120).ToArray()))
            .Append(new FqdnCapability(new string('h', 200), "example.net"))
            .ToArray();
        var open = OpenMessage.Create(4200000001, 90, RouterId.Parse("198.18.0.1"), capabilities) with { Layout = layout };

        var bytes = open.ToBytes(CodecContext.Default);
        Assert.Equal(0xFF, bytes[19 + 9]);  // Non-Ext OP Len
        Assert.Equal(0xFF, bytes[19 + 10]); // Non-Ext OP Type
        var extendedLength = (bytes[19 + 11] << 8) | bytes[19 + 12];
        Assert.Equal(bytes.Length - 19 - 13, extendedLength);

        var decoded = (OpenMessage)BgpMessage.Decode(bytes, CodecContext.Default).Value!;
        Assert.Equal(open, decoded);
        Assert.False(decoded.ExtendedOptionalParameters); // needed, so not a choice to record
        Assert.Equal(OpenMessage.AsTrans, decoded.MyAutonomousSystem);
    }

    [Fact]
    public void Extended_format_with_no_parameters_round_trips()
    {
        var open = OpenMessage.Create(65001, 90, RouterId.Parse("192.0.2.1")) with { ExtendedOptionalParameters = true };
        var bytes = open.ToBytes(CodecContext.Default);
        Assert.Equal(Hex.Message(1, "04 FDE9 005A C0000201 FF FF 0000"), bytes);
        Assert.Equal(open, BgpMessage.Decode(bytes, CodecContext.Default).Value);
    }

    [Fact]
    public void Open_without_parameters_encodes_a_zero_length()
    {
        var open = OpenMessage.Create(65001, 90, RouterId.Parse("192.0.2.1"));
        Assert.Equal(Hex.Message(1, "04 FDE9 005A C0000201 00"), open.ToBytes(CodecContext.Default));
    }

    [Fact]
    public void Single_parameter_layout_with_one_capability_reads_back_as_parameter_per_capability()
    {
        var open = OpenMessage.Create(65001, 90, RouterId.Parse("192.0.2.1"), new RouteRefreshCapability()) with { Layout = OptionalParameterLayout.SingleParameter };
        var bytes = open.ToBytes(CodecContext.Default);
        Assert.Equal(Hex.Message(1, "04 FDE9 005A C0000201 04 0202 0200"), bytes);
        var decoded = (OpenMessage)BgpMessage.Decode(bytes, CodecContext.Default).Value!;
        Assert.Equal(OptionalParameterLayout.ParameterPerCapability, decoded.Layout);
    }

    [Fact]
    public void Several_parameters_each_with_several_capabilities_decode_in_order()
    {
        var open = OpenMessage.DecodeBody(Hex.Bytes("04 FDE9 005A C0000201 0C 0204 0200 4600 0204 0600 8000")).Value!;
        Assert.Equal(
            EquatableArray.Create<Capability>(new RouteRefreshCapability(), new EnhancedRouteRefreshCapability(), new ExtendedMessageCapability(), new UnknownCapability(128, EquatableArray<byte>.Empty)),
            open.Capabilities);
        Assert.Equal(OptionalParameterLayout.ParameterPerCapability, open.Layout);
    }
}
