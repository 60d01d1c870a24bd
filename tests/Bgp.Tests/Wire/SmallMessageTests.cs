using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

public class SmallMessageTests
{
    [Fact]
    public void Notification_round_trips_with_data()
    {
        var message = new NotificationMessage(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MalformedAsPath, new byte[] { 1, 2, 3 });
        var bytes = message.ToBytes(CodecContext.Default);
        Assert.Equal(Hex.Message(3, "030B010203"), bytes);
        Assert.Equal(message, BgpMessage.Decode(bytes, CodecContext.Default).Value);
    }

    [Fact]
    public void Shutdown_communication_is_length_prefixed_utf8_rfc_9003()
    {
        var message = NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, "maintenance ✓");
        Assert.Equal("maintenance ✓", message.ShutdownCommunication);
        Assert.Equal(15, message.Data[0]); // 12 ASCII octets + 3 for the check mark
        var decoded = (NotificationMessage)BgpMessage.Decode(message.ToBytes(CodecContext.Default), CodecContext.Default).Value!;
        Assert.Equal("maintenance ✓", decoded.ShutdownCommunication);
        Assert.Contains("maintenance", decoded.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shutdown_communication_is_cut_at_255_octets_on_a_character_boundary()
    {
        var message = NotificationMessage.Shutdown(CeaseSubcode.AdministrativeReset, new string('é', 200));
        Assert.Equal(254, message.Data[0]); // 127 two-octet characters; the 128th would pass 255
        Assert.Equal(new string('é', 127), message.ShutdownCommunication);
    }

    [Theory]
    [InlineData("0602")]           // no length octet: no communication
    [InlineData("060205414243")]   // length 5 runs past the data
    [InlineData("060202C328")]     // invalid UTF-8
    public void Malformed_shutdown_communication_decodes_the_notification_without_the_text(string bodyHex)
    {
        var decoded = BgpMessage.Decode(Hex.Message(3, bodyHex), CodecContext.Default);
        var notification = Assert.IsType<NotificationMessage>(decoded.Value);
        Assert.Null(notification.ShutdownCommunication);
    }

    [Fact]
    public void Hard_reset_wraps_the_inner_error_rfc_8538()
    {
        var inner = new NotificationMessage(NotificationCode.HoldTimerExpired, 0);
        var outer = NotificationMessage.HardReset(inner);
        Assert.Equal((byte)CeaseSubcode.HardReset, outer.Subcode);
        Assert.Equal(inner, outer.HardResetInner);
    }

    [Theory]
    [InlineData(0, "ipv4-unicast")]
    [InlineData(1, "ipv4-unicast BoRR")]
    [InlineData(2, "ipv4-unicast EoRR")]
    public void Route_refresh_round_trips_with_each_subtype(int subtype, string text)
    {
        var message = new RouteRefreshMessage(AfiSafi.Ipv4Unicast, (RouteRefreshSubtype)subtype);
        var bytes = message.ToBytes(CodecContext.Default);
        Assert.Equal(Hex.Message(5, $"0001{subtype:X2}01"), bytes);
        var decoded = BgpMessage.Decode(bytes, CodecContext.Default).Value;
        Assert.Equal(message, decoded);
        Assert.Equal("ROUTE-REFRESH " + text, decoded!.ToString());
    }

    [Fact]
    public void Route_refresh_with_unknown_subtype_decodes_and_says_it_is_to_be_ignored()
    {
        var decoded = (RouteRefreshMessage)BgpMessage.Decode(Hex.Message(5, "00020301"), CodecContext.Default).Value!;
        Assert.False(decoded.IsKnownSubtype);
        Assert.Equal(AfiSafi.Ipv6Unicast, decoded.Family);
    }

    [Fact]
    public void Route_refresh_of_wrong_length_is_error_7_1_with_the_whole_message_as_data()
    {
        var message = Hex.Message(5, "0001000100");
        var result = BgpMessage.Decode(message, CodecContext.Default);
        Assert.False(result.IsSuccess);
        Assert.Equal(NotificationCode.RouteRefreshMessageError, result.Error!.Code);
        Assert.Equal((byte)RouteRefreshErrorSubcode.InvalidMessageLength, result.Error.Subcode);
        Assert.Equal(message, result.Error.Data.AsSpan().ToArray());
    }
}
