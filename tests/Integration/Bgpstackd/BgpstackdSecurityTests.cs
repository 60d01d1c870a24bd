using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>TCP MD5 (RFC 2385) against BIRD 2: the right password brings the session up, a wrong one never does.</summary>
public sealed class BgpstackdMd5Tests
{
    [Fact]
    public void Session_comes_up_with_the_right_password_and_routes_flow() => Run("s3cret-Right", "s3cret-Right", expectUp: true);

    [Fact]
    public void No_session_with_a_wrong_password() => Run("s3cret-Right", "s3cret-Wrong", expectUp: false);

    private static void Run(string ours, string theirs, bool expectUp)
    {
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var peerNode = topology.AddNode("bird");
        var link = topology.Connect(usNode, peerNode);
        var bird = new BirdRouter(peerNode, "bird", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors = [new NeighborSpec { Address = link.A4, As = 65001, LocalAddress = link.B4, Password = theirs }],
            Routes = [new StaticRouteSpec { Prefix = "10.2.0.0/24" }],
        });
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, Password = ours }],
            Routes = [new StaticRouteSpec { Prefix = "10.1.0.0/24" }],
        });
        bird.Start();
        us.Start();
        if (expectUp)
        {
            us.WaitEstablished(link.B4);
            bird.WaitEstablished(link.A4);
            bird.WaitRoute("10.1.0.0/24");
            us.WaitRoute("10.2.0.0/24");
        }
        else
        {
            // Both sides retry every 2 s; 20 s covers several attempts from each.
            Wait.During("no session with mismatched MD5 passwords", TimeSpan.FromSeconds(20), () => !bird.IsEstablished(link.A4) && !us.IsEstablished(link.B4), topology.Describe, TimeSpan.FromMilliseconds(500));
            Assert.False(us.HasRoute("10.2.0.0/24"), us.DescribeRoutes(Family.Ipv4));
            // The daemon is alive and reporting the peer, just not established.
            Assert.NotNull(us.SessionState(link.B4));
        }
    }
}

/// <summary>GTSM / TTL security (RFC 5082) against BIRD 2.</summary>
public sealed class BgpstackdTtlSecurityTests
{
    [Fact]
    public void Session_comes_up_with_ttl_security_on_both_sides()
    {
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var peerNode = topology.AddNode("bird");
        var link = topology.Connect(usNode, peerNode);
        var bird = new BirdRouter(peerNode, "bird", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors = [new NeighborSpec { Address = link.A4, As = 65001, LocalAddress = link.B4, TtlSecurity = true }, new NeighborSpec { Address = link.A6, As = 65001, LocalAddress = link.B6, TtlSecurity = true }],
            Routes = [new StaticRouteSpec { Prefix = "10.2.0.0/24" }, new StaticRouteSpec { Prefix = "2001:db8:ff02::/48" }],
        });
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, TtlSecurity = true }, new NeighborSpec { Address = link.B6, As = 65002, LocalAddress = link.A6, TtlSecurity = true }],
            Routes = [new StaticRouteSpec { Prefix = "10.1.0.0/24" }],
        });
        bird.Start();
        us.Start();
        us.WaitEstablished(link.B4);
        us.WaitEstablished(link.B6);
        bird.WaitRoute("10.1.0.0/24");
        us.WaitRoute("10.2.0.0/24");
        us.WaitRoute("2001:db8:ff02::/48");
    }

    [Fact]
    public void No_session_when_the_peer_sends_with_ttl_1()
    {
        // BIRD without TTL security sends eBGP packets with TTL 1; with GTSM we accept only 255.
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var peerNode = topology.AddNode("bird");
        var link = topology.Connect(usNode, peerNode);
        var bird = new BirdRouter(peerNode, "bird", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors = [new NeighborSpec { Address = link.A4, As = 65001, LocalAddress = link.B4 }],
        });
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, TtlSecurity = true }],
        });
        bird.Start();
        us.Start();
        Wait.During("no session while the peer's packets arrive with TTL 1", TimeSpan.FromSeconds(20), () => !us.IsEstablished(link.B4) && !bird.IsEstablished(link.A4), topology.Describe, TimeSpan.FromMilliseconds(500));
        Assert.NotNull(us.SessionState(link.B4));
    }
}
