using System.Net;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>The peer implementations bgpstackd is tested against.</summary>
public enum PeerKind
{
    Bird,
    Frr,
    Gobgp,
}

/// <summary>
/// Shared scenarios: bgpstackd and one peer on a veth link, IPv4 and IPv6 sessions side by side,
/// routes originated on both ends with communities, large communities and MED (and LOCAL_PREF on
/// iBGP), checked through the peer's CLI and through <c>bgpstackctl routes --json</c>.
/// </summary>
internal static class PeerScenarios
{
    public static readonly IPAddress OurId = IPAddress.Parse("198.18.255.10");
    public static readonly IPAddress PeerId = IPAddress.Parse("198.18.255.20");

    public static Router MakePeer(PeerKind kind, Node node, string name, RouterSpec spec) => kind switch
    {
        PeerKind.Bird => new BirdRouter(node, name, spec),
        PeerKind.Frr => new FrrRouter(node, name, spec),
        PeerKind.Gobgp => new GobgpRouter(node, name, spec),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static void ExchangeRoutes(PeerKind kind, bool internalSession)
    {
        using var topology = Topology.Create();
        var us = topology.AddNode("us");
        var them = topology.AddNode("peer");
        var link = topology.Connect(us, them);
        uint ourAs = 65001;
        var peerAs = internalSession ? ourAs : 65002;
        var peer = MakePeer(kind, them, "peer", new RouterSpec
        {
            RouterId = PeerId,
            As = peerAs,
            Neighbors =
            [
                new NeighborSpec { Address = link.A4, As = ourAs, LocalAddress = link.B4 },
                new NeighborSpec { Address = link.A6, As = ourAs, LocalAddress = link.B6 },
            ],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.2.0.0/24", Communities = ["65002:200", "65002:201"], LargeCommunities = ["65002:3:4"], Med = 20, LocalPref = internalSession ? 222u : null },
                new StaticRouteSpec { Prefix = "2001:db8:ff02::/48", Communities = ["65002:700"], LargeCommunities = ["65002:7:7"], Med = 70, LocalPref = internalSession ? 223u : null },
            ],
        });
        var bgpstackd = new BgpstackdRouter(us, "bgpstackd", new RouterSpec
        {
            RouterId = OurId,
            As = ourAs,
            Neighbors =
            [
                new NeighborSpec { Address = link.B4, As = peerAs, LocalAddress = link.A4 },
                new NeighborSpec { Address = link.B6, As = peerAs, LocalAddress = link.A6 },
            ],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.1.0.0/24", Communities = ["65001:100"], LargeCommunities = ["65001:1:2"], Med = 10, LocalPref = internalSession ? 333u : null },
                new StaticRouteSpec { Prefix = "2001:db8:ff01::/48", Communities = ["65001:600"], LargeCommunities = ["65001:6:6"], Med = 60, LocalPref = internalSession ? 334u : null },
            ],
        });
        peer.Start();
        bgpstackd.Start();

        bgpstackd.WaitEstablished(link.B4);
        bgpstackd.WaitEstablished(link.B6);
        peer.WaitEstablished(link.A4);
        peer.WaitEstablished(link.A6);

        // Ours at the peer, through the peer's CLI.
        var v4 = peer.WaitRoute("10.1.0.0/24");
        var v6 = peer.WaitRoute("2001:db8:ff01::/48");
        var context = $"{v4}\n{v6}\n{bgpstackd.Describe()}";
        Assert.True(internalSession ? v4.AsPath.Count == 0 : v4.AsPath.SequenceEqual([ourAs]), context);
        Assert.True(v4.Communities.SequenceEqual(["65001:100"]), context);
        Assert.True(v4.LargeCommunities.SequenceEqual(["65001:1:2"]), context);
        Assert.True(v4.Med == 10, context);
        Assert.True(v4.NextHop == link.A4.ToString(), context);
        Assert.True(v6.Communities.SequenceEqual(["65001:600"]), context);
        Assert.True(v6.LargeCommunities.SequenceEqual(["65001:6:6"]), context);
        Assert.True(v6.Med == 60, context);
        Assert.True(v6.NextHop is not null && IPAddress.Parse(v6.NextHop).Equals(link.A6), context);
        if (internalSession)
        {
            Assert.True(v4.LocalPref == 333, context);
            Assert.True(v6.LocalPref == 334, context);
        }

        // Theirs at bgpstackd, through bgpstackctl.
        var r4 = bgpstackd.WaitRoute("10.2.0.0/24");
        var r6 = bgpstackd.WaitRoute("2001:db8:ff02::/48");
        context = $"{r4}\n{r6}\n{peer.Describe()}";
        Assert.True(internalSession ? r4.AsPath.Count == 0 : r4.AsPath.SequenceEqual([peerAs]), context);
        Assert.True(r4.Communities.SequenceEqual(["65002:200", "65002:201"]), context);
        Assert.True(r4.LargeCommunities.SequenceEqual(["65002:3:4"]), context);
        Assert.True(r4.Med == 20, context);
        Assert.True(r4.NextHop == link.B4.ToString(), context);
        Assert.True(r6.Communities.SequenceEqual(["65002:700"]), context);
        Assert.True(r6.LargeCommunities.SequenceEqual(["65002:7:7"]), context);
        Assert.True(r6.Med == 70, context);
        if (internalSession)
        {
            Assert.True(r4.LocalPref == 222, context);
            Assert.True(r6.LocalPref == 223, context);
        }
    }
}
