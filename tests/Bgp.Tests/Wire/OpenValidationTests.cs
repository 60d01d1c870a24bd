using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

public class OpenValidationTests
{
    private static readonly RouterId Id = RouterId.Parse("192.0.2.1");

    private static OpenMessage Open(ushort myAs, uint? fourOctetAs) =>
        new(4, myAs, 90, Id, fourOctetAs is { } asn ? new Capability[] { new FourOctetAsCapability(asn) } : []);

    [Theory]
    [InlineData(65001, null, 65001u, true)]
    [InlineData(65001, null, 65002u, false)]
    [InlineData(65001, 65001u, 65001u, true)]
    [InlineData(23456, 4200000001u, 4200000001u, true)]
    [InlineData(23456, 4200000001u, 4200000002u, false)]
    [InlineData(23456, null, 4200000001u, false)]      // a 2-octet peer cannot be a 4-octet AS
    [InlineData(65001, 0u, 0u, false)]                 // RFC 7607: 4-octet AS 0
    [InlineData(65001, 4200000001u, 4200000001u, false)] // RFC 6793: My AS must be AS_TRANS here
    [InlineData(23456, 65001u, 65001u, false)]         // RFC 6793: My AS must be the AS when it fits
    [InlineData(65002, 65001u, 65001u, false)]
    public void Check_peer_as_is_bad_peer_as_2_2_unless_the_as_is_the_expected_one(int myAs, uint? fourOctetAs, uint expected, bool ok)
    {
        var error = OpenValidation.CheckPeerAs(Open((ushort)myAs, fourOctetAs), expected);
        if (ok)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, error.Subcode);
        Assert.Empty(error.Data);
    }

    [Fact]
    public void Unsupported_capability_is_2_7_with_the_capability_tlvs_as_data_rfc_5492()
    {
        var error = OpenValidation.UnsupportedCapability(new MultiprotocolCapability(AfiSafi.Ipv6Unicast), new FourOctetAsCapability(65001));
        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.UnsupportedCapability, error.Subcode);
        Assert.Equal(Hex.Bytes("0104 0002 0001 4104 0000FDE9"), error.Data.AsSpan().ToArray());
        Assert.Equal(Hex.Message(3, "0207 0104 0002 0001 4104 0000FDE9"), error.ToNotification().ToBytes(CodecContext.Default));
    }

    [Theory]
    [InlineData(90, 180, 90)]
    [InlineData(180, 90, 90)]
    [InlineData(0, 90, 0)]
    [InlineData(90, 0, 0)]
    [InlineData(3, 65535, 3)]
    public void Negotiated_hold_time_is_the_smaller_and_zero_wins(int local, int peer, int negotiated)
    {
        Assert.Equal(negotiated, OpenValidation.NegotiateHoldTime((ushort)local, (ushort)peer));
        Assert.Equal(negotiated / 3, OpenValidation.KeepaliveInterval((ushort)negotiated));
    }

    [Theory]
    [InlineData(0, 10, true, true)]
    [InlineData(0, 10, false, false)]
    [InlineData(9, 10, true, false)]
    [InlineData(10, 10, true, true)]
    [InlineData(3, 0, true, true)]
    public void Check_hold_time_applies_the_local_minimum_as_2_6(int holdTime, int minimum, bool acceptZero, bool ok)
    {
        var open = new OpenMessage(4, 65001, (ushort)holdTime, Id, EquatableArray<Capability>.Empty);
        var error = OpenValidation.CheckHoldTime(open, (ushort)minimum, acceptZero);
        Assert.Equal(ok, error is null);
        if (error is not null)
        {
            Assert.Equal((byte)OpenMessageErrorSubcode.UnacceptableHoldTime, error.Subcode);
        }
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", true, false)]  // RFC 6286: an internal peer with our identifier
    [InlineData("192.0.2.1", "192.0.2.1", false, true)]  // an external peer may share it
    [InlineData("192.0.2.2", "192.0.2.1", true, true)]
    [InlineData("0.0.0.0", "192.0.2.1", false, false)]
    public void Check_bgp_identifier_is_2_3_for_zero_or_our_own_from_an_internal_peer(string peer, string local, bool internalPeer, bool ok)
    {
        var open = new OpenMessage(4, 65001, 90, RouterId.Parse(peer), EquatableArray<Capability>.Empty);
        var error = OpenValidation.CheckBgpIdentifier(open, RouterId.Parse(local), internalPeer);
        Assert.Equal(ok, error is null);
        if (error is not null)
        {
            Assert.Equal((byte)OpenMessageErrorSubcode.BadBgpIdentifier, error.Subcode);
        }
    }
}
