using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

public class OpenErrorTests
{
    // AS 65001, hold time 90, BGP Identifier 192.0.2.1: the fixed fields every row starts from.
    private const string Fixed = "04 FDE9 005A C0000201";

    [Theory]
    // RFC 4271 §6.2: version other than 4, data is the largest supported version in 2 octets.
    [InlineData("03 FDE9 005A C0000201 00", 1, "0004")]
    [InlineData("05 FDE9 005A C0000201 00", 1, "0004")]
    // RFC 7607: My Autonomous System 0.
    [InlineData("04 0000 005A C0000201 00", 2, "")]
    // RFC 4271 §6.2: hold time 1 or 2.
    [InlineData("04 FDE9 0001 C0000201 00", 6, "")]
    [InlineData("04 FDE9 0002 C0000201 00", 6, "")]
    // RFC 6286: BGP Identifier 0.
    [InlineData("04 FDE9 005A 00000000 00", 3, "")]
    // RFC 4271 §6.2: optional parameter types other than Capabilities (1 is the deprecated Authentication).
    [InlineData(Fixed + " 04 01 02 AABB", 4, "")]
    [InlineData(Fixed + " 02 03 00", 4, "")]
    [InlineData(Fixed + " 06 0202 0200 0900", 4, "")]
    // Optional parameters length disagreeing with what follows.
    [InlineData(Fixed + " 05 0202 0200", 0, "")]
    [InlineData(Fixed + " 03 0202 0200", 0, "")]
    [InlineData(Fixed + " 01", 0, "")]
    // Parameter header cut short, parameter length overrunning the parameters.
    [InlineData(Fixed + " 01 02", 0, "")]
    [InlineData(Fixed + " 04 0205 0200", 0, "")]
    // Capability header cut short, capability length overrunning its parameter.
    [InlineData(Fixed + " 03 0201 02", 0, "")]
    [InlineData(Fixed + " 05 0203 010500", 0, "")]
    [InlineData(Fixed + " 08 0202 0206 0202 0200", 0, "")]
    // Known capabilities whose value has the wrong length for their code.
    [InlineData(Fixed + " 07 0205 0103 000100", 0, "")]             // multiprotocol: 3 instead of 4
    [InlineData(Fixed + " 09 0207 0105 0001000100", 0, "")]          // multiprotocol: 5 instead of 4
    [InlineData(Fixed + " 05 0203 020100", 0, "")]                   // route refresh carries no value
    [InlineData(Fixed + " 05 0203 060100", 0, "")]                   // extended message carries no value
    [InlineData(Fixed + " 05 0203 460100", 0, "")]                   // enhanced route refresh carries no value
    [InlineData(Fixed + " 06 0204 41020001", 0, "")]                 // 4-octet AS: 2 instead of 4
    [InlineData(Fixed + " 09 0207 4105 0000FDE900", 0, "")]          // 4-octet AS: 5 instead of 4
    [InlineData(Fixed + " 05 0203 400100", 0, "")]                   // graceful restart shorter than its 2-octet header
    [InlineData(Fixed + " 07 0205 4003 00780A", 0, "")]              // graceful restart: 2 + 1
    [InlineData(Fixed + " 07 0205 4503 000101", 0, "")]              // ADD-PATH: 3
    [InlineData(Fixed + " 0A 0208 4706 000101800000", 0, "")]        // long-lived GR: 6
    [InlineData(Fixed + " 08 0206 0504 00010001", 0, "")]            // extended next hop: 4
    [InlineData(Fixed + " 07 0205 4903 056162", 0, "")]              // FQDN: host length overruns
    [InlineData(Fixed + " 08 0206 4904 01610562", 0, "")]            // FQDN: domain length overruns
    [InlineData(Fixed + " 08 0206 4904 01610061", 0, "")]            // FQDN: an octet after the domain name
    [InlineData(Fixed + " 04 0202 4900", 0, "")]                     // FQDN: empty
    // RFC 9072: extended length cut short, disagreeing, parameter overrunning, unknown type.
    [InlineData(Fixed + " FF FF00", 0, "")]
    [InlineData(Fixed + " FF FF0005 020000", 0, "")]
    [InlineData(Fixed + " FF FF0003 020002", 0, "")]
    [InlineData(Fixed + " FF FF0002 0200", 0, "")]
    [InlineData(Fixed + " FF FF0003 010000", 4, "")]
    [InlineData(Fixed + " FF FF0004 02000102", 0, "")]
    public void Malformed_open_is_open_message_error_with_the_exact_subcode_and_data(string bodyHex, int subcode, string dataHex)
    {
        var result = OpenMessage.DecodeBody(Hex.Bytes(bodyHex));
        Assert.False(result.IsSuccess);
        Assert.Equal(NotificationCode.OpenMessageError, result.Error!.Code);
        Assert.Equal(subcode, result.Error.Subcode);
        Assert.Equal(Hex.Bytes(dataHex), result.Error.Data.AsSpan().ToArray());
        Assert.False(string.IsNullOrEmpty(result.Error.Reason));
    }

    [Fact]
    public void Version_is_checked_before_anything_else()
    {
        // Version 3 with AS 0, hold time 1, identifier 0 and garbage parameters: only the version is reported.
        var result = OpenMessage.DecodeBody(Hex.Bytes("03 0000 0001 00000000 07 FF"));
        Assert.Equal((byte)OpenMessageErrorSubcode.UnsupportedVersionNumber, result.Error!.Subcode);
    }

    [Fact]
    public void Body_shorter_than_the_fixed_fields_is_bad_message_length_1_2()
    {
        var result = OpenMessage.DecodeBody(Hex.Bytes("04 FDE9 005A"));
        Assert.Equal(NotificationCode.MessageHeaderError, result.Error!.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, result.Error.Subcode);
        Assert.Equal(new byte[] { 0, 24 }, result.Error.Data.AsSpan().ToArray());
    }

    [Fact]
    public void Whole_message_decode_reports_the_open_error()
    {
        var result = BgpMessage.Decode(Hex.Message(1, "04 FDE9 0002 C0000201 00"), CodecContext.Default);
        Assert.Equal(NotificationCode.OpenMessageError, result.Error!.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.UnacceptableHoldTime, result.Error.Subcode);
        var notification = result.Error.ToNotification();
        Assert.Equal(Hex.Message(3, "0206"), notification.ToBytes(CodecContext.Default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(65535)]
    public void Hold_time_0_or_at_least_3_is_accepted(int holdTime)
    {
        var result = OpenMessage.DecodeBody(Hex.Bytes($"04 FDE9 {holdTime:X4} C0000201 00"));
        Assert.True(result.IsSuccess);
        Assert.Equal(holdTime, result.Value!.HoldTime);
    }

    [Fact]
    public void Empty_capabilities_parameter_is_accepted_and_holds_nothing()
    {
        var result = OpenMessage.DecodeBody(Hex.Bytes(Fixed + " 04 0200 0200"));
        Assert.True(result.IsSuccess);
        Assert.Empty(result.Value!.Capabilities);
    }
}
