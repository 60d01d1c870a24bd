using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>The attribute block decoder as the MRT reader calls it (RFC 6396 §4.3.4).</summary>
public class AttributeBlockTests
{
    [Fact]
    public void Mrt_rib_entry_mp_reach_holds_only_the_next_hop_and_infers_ipv6_from_its_length()
    {
        var block = Hex.Bytes("40010100" + "400206020100 00FDE9" + "800E11 10 20010DB8000000000000000000000001");
        var result = PathAttributeCodec.Decode(block, new CodecContext { FourOctetAs = false }, mrtRibEntry: true);
        Assert.True(result.IsSuccess);
        var value = result.Value;
        Assert.Empty(value.Errors);
        Assert.Equal(AsPath.FromSequence(65001), value.Attributes.AsPath);
        Assert.Equal(AfiSafi.Ipv6Unicast, value.MpReach!.Family);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), value.MpReach.NextHopAddress);
        Assert.True(value.MpReach.Nlri.IsEmpty);
    }

    [Fact]
    public void Mrt_rib_entry_mp_reach_with_a_4_octet_next_hop_is_ipv4()
    {
        var result = PathAttributeCodec.Decode(Hex.Bytes("800E05 04 C0000201"), CodecContext.Default, mrtRibEntry: true);
        Assert.Equal(AfiSafi.Ipv4Unicast, result.Value.MpReach!.Family);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), result.Value.MpReach.NextHopAddress);
    }

    [Fact]
    public void Mrt_rib_entry_accepts_the_full_mp_reach_form_too()
    {
        var result = PathAttributeCodec.Decode(Hex.Bytes("800E16 0002 01 10 20010DB8000000000000000000000001 00 00"), CodecContext.Default, mrtRibEntry: true);
        Assert.True(result.IsSuccess);
        Assert.Equal(AfiSafi.Ipv6Unicast, result.Value.MpReach!.Family);
    }

    [Fact]
    public void Mrt_rib_entry_mp_reach_with_a_next_hop_length_naming_no_family_is_discarded()
    {
        var result = PathAttributeCodec.Decode(Hex.Bytes("800E04 03 C00002"), CodecContext.Default, mrtRibEntry: true);
        Assert.Null(result.Value.MpReach);
        Assert.Equal(AttributeErrorAction.AttributeDiscard, Assert.Single(result.Value.Errors).Action);
    }

    [Fact]
    public void Empty_block_is_the_empty_attribute_set()
    {
        var result = PathAttributeCodec.Decode([], CodecContext.Default, mrtRibEntry: false);
        Assert.Same(PathAttributes.Empty, result.Value.Attributes);
        Assert.Null(result.Value.MpReach);
        Assert.Null(result.Value.MpUnreach);
    }

    [Fact]
    public void Every_attribute_kind_decodes_to_its_model_value()
    {
        var block = Hex.Bytes(
            "40010101" + "400200" + "400304C0000201" + "80040400000005" + "40050400000064" + "400600"
            + "C00708 0000FDE9 C0000202" + "C00804 FFFFFF02" + "800904 C0000203" + "800A08 C0000204 C0000205"
            + "C01008 0002FDE900000001"
            + "C01914 0002 20010DB8000000000000000000000001 0007" + "C0200C 0000FDE9 00000001 00000002");
        var result = PathAttributeCodec.Decode(block, CodecContext.Default, mrtRibEntry: false);
        Assert.Empty(result.Value.Errors);
        var expected = new PathAttributes
        {
            Origin = Origin.Egp,
            AsPath = AsPath.Empty,
            NextHop = IPAddress.Parse("192.0.2.1"),
            MultiExitDisc = 5,
            LocalPref = 100,
            AtomicAggregate = true,
            Aggregator = new Aggregator(65001, RouterId.Parse("192.0.2.2")),
            Communities = EquatableArray.Create(Community.NoAdvertise),
            OriginatorId = RouterId.Parse("192.0.2.3"),
            ClusterList = EquatableArray.Create(RouterId.Parse("192.0.2.4"), RouterId.Parse("192.0.2.5")),
            HasClusterList = true,
            ExtendedCommunities = EquatableArray.Create(ExtendedCommunity.RouteTarget(65001, 1)),
            Ipv6ExtendedCommunities = EquatableArray.Create(new Ipv6ExtendedCommunity(0x00, 0x02, BinaryPrimitivesRead("20010DB8000000000000000000000001"), 7)),
            LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
        };
        Assert.Equal(expected, result.Value.Attributes);
    }

    private static UInt128 BinaryPrimitivesRead(string hex) => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(Hex.Bytes(hex));
}
