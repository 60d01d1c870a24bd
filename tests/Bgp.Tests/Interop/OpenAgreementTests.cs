using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// OPEN messages carrying every capability we model, as Wireshark reads them. The RFC 9072
/// extended optional parameters format is left out: Wireshark 4.0 reads it as unknown parameters.
/// </summary>
public sealed class OpenCapture : AgreementCapture
{
    public OpenCapture()
    {
        var id = RouterId.Parse("192.0.2.1");
        Capability[] all =
        [
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
            new RouteRefreshCapability(),
            new EnhancedRouteRefreshCapability(),
            new ExtendedMessageCapability(),
            new FourOctetAsCapability(4_200_000_001),
            new GracefulRestartCapability(true, true, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true), new GracefulRestartFamily(AfiSafi.Ipv6Unicast, false) }),
            new AddPathCapability(new[] { new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Both), new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Receive) }),
            new LongLivedGracefulRestartCapability(new[] { new LongLivedGracefulRestartFamily(AfiSafi.Ipv4Unicast, true, 3600), new LongLivedGracefulRestartFamily(AfiSafi.Ipv6Unicast, false, LongLivedGracefulRestartCapability.MaxStaleTime) }),
            new FqdnCapability("node-1", "cluster.example"),
            new ExtendedNextHopCapability(new[] { new ExtendedNextHopEntry(Afi.Ipv4, 1, Afi.Ipv6) }),
            new UnknownCapability(200, new byte[] { 1, 2, 3 }),
        ];
        Add("every-capability", OpenMessage.Create(4_200_000_001, 90, id, all));
        Add("every-capability-single-parameter", OpenMessage.Create(4_200_000_001, 90, id, all) with { Layout = OptionalParameterLayout.SingleParameter });
        Add("two-octet-as-no-capabilities", OpenMessage.Create(65001, 0, RouterId.Parse("10.0.0.1")));
        Add("graceful-restart-helper-only", OpenMessage.Create(65001, 3, id, new GracefulRestartCapability(false, false, 0, default), new FourOctetAsCapability(65001)));
        Add("fqdn-empty-domain", OpenMessage.Create(64512, 180, id, new FqdnCapability("a", "")));
    }
}

public sealed class OpenAgreementTests(OpenCapture capture) : IClassFixture<OpenCapture>
{
    [Theory]
    [InlineData("every-capability")]
    [InlineData("every-capability-single-parameter")]
    [InlineData("two-octet-as-no-capabilities")]
    [InlineData("graceful-restart-helper-only")]
    [InlineData("fqdn-empty-domain")]
    public void Wireshark_agrees_with_our_encoding(string name) => capture.AssertAgreement(name);
}
