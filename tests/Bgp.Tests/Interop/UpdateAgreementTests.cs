using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>UPDATE messages as Wireshark reads them, with AS numbers fixed to 4 octets.</summary>
public sealed class UpdateCapture : AgreementCapture
{
    internal static readonly PathAttributes Typical = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 65002),
        NextHop = IPAddress.Parse("198.18.0.1"),
    };

    internal static readonly PathAttributes Every = Typical with
    {
        AsPath = new AsPath(new[]
        {
            new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001, 4_200_000_001 }),
            new AsPathSegment(AsPathSegmentType.AsSet, new uint[] { 65003, 65004 }),
        }),
        MultiExitDisc = 100,
        LocalPref = 200,
        AtomicAggregate = true,
        Aggregator = new Aggregator(4_200_000_001, RouterId.Parse("192.0.2.9")),
        Communities = new[] { Community.Create(65000, 1), Community.NoExport, Community.Create(1, 65535) },
        OriginatorId = RouterId.Parse("10.0.0.1"),
        ClusterList = new[] { RouterId.Parse("10.0.0.2"), RouterId.Parse("10.0.0.3") },
        HasClusterList = true,
        ExtendedCommunities = new[] { ExtendedCommunity.RouteTarget(65000, 100), new ExtendedCommunity(0x0103C000020100070) },
        LargeCommunities = new[] { new LargeCommunity(65000, 1, 2), new LargeCommunity(4_200_000_001, 3, 4) },
        UnknownAttributes = new[] { new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive, 240, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }) },
    };

    internal static readonly Nlri[] Ipv4 = [new(IpPrefix.Parse("10.1.2.0/24")), new(IpPrefix.Parse("172.16.0.0/12")), new(IpPrefix.Parse("192.0.2.128/25")), new(IpPrefix.Parse("198.18.0.1/32"))];

    internal static readonly Nlri[] Ipv6 = [new(IpPrefix.Parse("2001:db8::/32")), new(IpPrefix.Parse("2001:db8:1:2::/64")), new(IpPrefix.Parse("2001:db8::1/128"))];

    public UpdateCapture()
    {
        Add("ipv4-typical", new UpdateMessage { Attributes = Typical, Nlri = Ipv4 });
        Add("ipv4-every-attribute", new UpdateMessage { WithdrawnRoutes = new[] { new Nlri(IpPrefix.Parse("10.9.9.0/24")) }, Attributes = Every, Nlri = Ipv4[..2] });
        Add("ipv4-withdraw-only", new UpdateMessage { WithdrawnRoutes = Ipv4 });
        Add("ipv4-default-route", new UpdateMessage { Attributes = Typical, Nlri = new[] { new Nlri(IpPrefix.Parse("0.0.0.0/0")) } });
        Add("ipv6-mp-reach-global-and-link-local", new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Incomplete, AsPath = AsPath.Empty, LocalPref = 100 },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1"), Ipv6),
        });
        Add("ipv6-mp-reach-global-only", new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Egp, AsPath = AsPath.FromSequence(65010) },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::2"), null, Ipv6[..1]),
        });
        Add("ipv4-mp-reach", new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65010) },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv4Unicast, IPAddress.Parse("198.18.0.9"), null, Ipv4[..2]),
        });
        Add("ipv6-mp-unreach", new UpdateMessage { MpUnreach = new MpUnreachNlri(AfiSafi.Ipv6Unicast, Ipv6) });
        Add("end-of-rib-ipv4", UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));
        Add("end-of-rib-ipv6", UpdateMessage.EndOfRib(AfiSafi.Ipv6Unicast));
        Add("long-as-path-extended-length", new UpdateMessage
        {
            Attributes = Typical with { AsPath = AsPath.FromSequence([.. Enumerable.Range(0, 300).Select(i => (uint)(64512 + i))]) },
            Nlri = Ipv4[..1],
        });
    }
}

public sealed class UpdateAgreementTests(UpdateCapture capture) : IClassFixture<UpdateCapture>
{
    [Theory]
    [InlineData("ipv4-typical")]
    [InlineData("ipv4-every-attribute")]
    [InlineData("ipv4-withdraw-only")]
    [InlineData("ipv4-default-route")]
    [InlineData("ipv6-mp-reach-global-and-link-local")]
    [InlineData("ipv6-mp-reach-global-only")]
    [InlineData("ipv4-mp-reach")]
    [InlineData("ipv6-mp-unreach")]
    [InlineData("end-of-rib-ipv4")]
    [InlineData("end-of-rib-ipv6")]
    [InlineData("long-as-path-extended-length")]
    public void Wireshark_agrees_with_our_encoding(string name) => capture.AssertAgreement(name);
}

/// <summary>UPDATEs toward a 2-octet peer (AS_TRANS in AS_PATH and AGGREGATOR, AS4_PATH and AS4_AGGREGATOR added), read by Wireshark as 2-octet.</summary>
public sealed class TwoOctetUpdateCapture : AgreementCapture
{
    public TwoOctetUpdateCapture()
    {
        var twoOctet = CodecContext.Default with { FourOctetAs = false };
        Add("two-octet-with-as4-path", new UpdateMessage { Attributes = UpdateCapture.Every, Nlri = UpdateCapture.Ipv4[..1] }, twoOctet);
        Add("two-octet-without-as4-path", new UpdateMessage
        {
            Attributes = UpdateCapture.Typical with { Aggregator = new Aggregator(65001, RouterId.Parse("192.0.2.9")) },
            Nlri = UpdateCapture.Ipv4,
        }, twoOctet);
    }

    protected override bool FourOctetAs => false;
}

public sealed class TwoOctetUpdateAgreementTests(TwoOctetUpdateCapture capture) : IClassFixture<TwoOctetUpdateCapture>
{
    [Theory]
    [InlineData("two-octet-with-as4-path")]
    [InlineData("two-octet-without-as4-path")]
    public void Wireshark_agrees_with_our_encoding(string name) => capture.AssertAgreement(name);
}

/// <summary>
/// ADD-PATH UPDATEs. Wireshark 4.0 has no preference for ADD-PATH; it detects path identifiers by
/// heuristic, which works for these NLRI.
/// </summary>
public sealed class AddPathUpdateCapture : AgreementCapture
{
    public AddPathUpdateCapture()
    {
        var addPath = CodecContext.Default with { AddPath = AddPathFamilies.Ipv4Unicast };
        Add("add-path-ipv4", new UpdateMessage
        {
            WithdrawnRoutes = new[] { new Nlri(IpPrefix.Parse("10.9.0.0/16"), 3) },
            Attributes = UpdateCapture.Typical,
            Nlri = new[] { new Nlri(IpPrefix.Parse("10.3.4.0/24"), 7), new Nlri(IpPrefix.Parse("10.3.4.0/24"), 8) },
        }, addPath);
    }
}

public sealed class AddPathUpdateAgreementTests(AddPathUpdateCapture capture) : IClassFixture<AddPathUpdateCapture>
{
    [Fact]
    public void Wireshark_agrees_with_our_ipv4_add_path_encoding() => capture.AssertAgreement("add-path-ipv4");
}
