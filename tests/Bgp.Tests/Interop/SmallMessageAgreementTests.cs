using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>KEEPALIVE, NOTIFICATION and ROUTE-REFRESH as Wireshark reads them.</summary>
public sealed class SmallMessageCapture : AgreementCapture
{
    public SmallMessageCapture()
    {
        Add("keepalive", KeepaliveMessage.Instance);
        Add("notification-hold-timer", new NotificationMessage(NotificationCode.HoldTimerExpired, 0));
        Add("notification-update-data", new NotificationMessage(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MalformedAsPath, new byte[] { 1, 2, 3 }));
        Add("notification-header-length", new NotificationMessage(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageLength, new byte[] { 0x00, 0x12 }));
        Add("notification-bad-peer-as", new NotificationMessage(NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadPeerAs, new byte[] { 0xFD, 0xE9 }));
        Add("notification-shutdown", NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, "maintenance window"));
        Add("notification-hard-reset", NotificationMessage.HardReset(new NotificationMessage(NotificationCode.HoldTimerExpired, 0)));
        Add("notification-cease-no-data", new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.PeerDeconfigured));
        Add("route-refresh-ipv4", new RouteRefreshMessage(AfiSafi.Ipv4Unicast));
        Add("route-refresh-ipv6-borr", new RouteRefreshMessage(AfiSafi.Ipv6Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        Add("route-refresh-ipv6-eorr", new RouteRefreshMessage(AfiSafi.Ipv6Unicast, RouteRefreshSubtype.EndOfRouteRefresh));
    }
}

public sealed class SmallMessageAgreementTests(SmallMessageCapture capture) : IClassFixture<SmallMessageCapture>
{
    [Theory]
    [InlineData("keepalive")]
    [InlineData("notification-hold-timer")]
    [InlineData("notification-update-data")]
    [InlineData("notification-header-length")]
    [InlineData("notification-bad-peer-as")]
    [InlineData("notification-shutdown")]
    [InlineData("notification-hard-reset")]
    [InlineData("notification-cease-no-data")]
    [InlineData("route-refresh-ipv4")]
    [InlineData("route-refresh-ipv6-borr")]
    [InlineData("route-refresh-ipv6-eorr")]
    public void Wireshark_agrees_with_our_encoding(string name) => capture.AssertAgreement(name);

}
