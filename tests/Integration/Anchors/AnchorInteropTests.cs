using System.Net;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Anchors;

/// <summary>
/// The harness proved on the anchors among themselves (no bgpstackd): BIRD, FRR and GoBGP
/// configured from the same <see cref="RouterSpec"/> descriptions, checked through their own CLIs.
/// If these fail, the interop tests against bgpstackd cannot be trusted.
/// </summary>
public sealed class AnchorInteropTests
{
    private static readonly IPAddress IdA = IPAddress.Parse("198.18.255.1");
    private static readonly IPAddress IdB = IPAddress.Parse("198.18.255.2");

    [Fact]
    public void Bird_and_frr_exchange_ipv4_and_ipv6_over_ebgp_with_communities_large_communities_and_med()
    {
        using var topology = Topology.Create();
        var a = topology.AddNode("bird");
        var b = topology.AddNode("frr");
        var link = topology.Connect(a, b);
        var bird = new BirdRouter(a, "bird", new RouterSpec
        {
            RouterId = IdA,
            As = 65001,
            Neighbors =
            [
                new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4 },
                // Multihop: BIRD then sends only the global IPv6 next hop; FRR's bgpd without zebra
                // has no interface to resolve a link-local one and treats the UPDATE as a withdraw.
                new NeighborSpec { Address = link.B6, As = 65002, LocalAddress = link.A6, Multihop = 2 },
            ],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.1.0.0/24", Communities = ["65001:100"], LargeCommunities = ["65001:1:2"], Med = 10 },
                new StaticRouteSpec { Prefix = "2001:db8:ff01::/48", Communities = ["65001:600"], LargeCommunities = ["65001:6:6"], Med = 60 },
            ],
        });
        var frr = new FrrRouter(b, "frr", new RouterSpec
        {
            RouterId = IdB,
            As = 65002,
            Neighbors =
            [
                new NeighborSpec { Address = link.A4, As = 65001 },
                new NeighborSpec { Address = link.A6, As = 65001 },
            ],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.2.0.0/24", Communities = ["65002:200", "65002:201"], LargeCommunities = ["65002:3:4"], Med = 20 },
                new StaticRouteSpec { Prefix = "2001:db8:ff02::/48", Communities = ["65002:700"], LargeCommunities = ["65002:7:7"], Med = 70 },
            ],
        });
        bird.Start();
        frr.Start();

        bird.WaitEstablished(link.B4);
        bird.WaitEstablished(link.B6);
        frr.WaitEstablished(link.A4);
        frr.WaitEstablished(link.A6);

        var atFrr4 = frr.WaitRoute("10.1.0.0/24");
        Assert.Equal([65001u], atFrr4.AsPath);
        Assert.Equal(["65001:100"], atFrr4.Communities);
        Assert.Equal(["65001:1:2"], atFrr4.LargeCommunities);
        Assert.Equal(10u, atFrr4.Med);
        Assert.Equal(link.A4.ToString(), atFrr4.NextHop);

        var atFrr6 = frr.WaitRoute("2001:db8:ff01::/48");
        Assert.Equal([65001u], atFrr6.AsPath);
        Assert.Equal(["65001:600"], atFrr6.Communities);
        Assert.Equal(["65001:6:6"], atFrr6.LargeCommunities);
        Assert.Equal(60u, atFrr6.Med);

        var atBird4 = bird.WaitRoute("10.2.0.0/24");
        Assert.Equal([65002u], atBird4.AsPath);
        Assert.Equal(["65002:200", "65002:201"], atBird4.Communities);
        Assert.Equal(["65002:3:4"], atBird4.LargeCommunities);
        Assert.Equal(20u, atBird4.Med);
        Assert.Equal(link.B4.ToString(), atBird4.NextHop);
        Assert.Equal(link.B4.ToString(), atBird4.From);

        var atBird6 = bird.WaitRoute("2001:db8:ff02::/48");
        Assert.Equal([65002u], atBird6.AsPath);
        Assert.Equal(["65002:700"], atBird6.Communities);
        Assert.Equal(["65002:7:7"], atBird6.LargeCommunities);
        Assert.Equal(70u, atBird6.Med);
        Assert.Equal(link.B6, IPAddress.Parse(atBird6.NextHop!));
    }

    [Fact]
    public void Bird_and_gobgp_over_ibgp_carry_local_pref_and_communities()
    {
        using var topology = Topology.Create();
        var a = topology.AddNode("bird");
        var b = topology.AddNode("gobgp");
        var link = topology.Connect(a, b);
        var bird = new BirdRouter(a, "bird", new RouterSpec
        {
            RouterId = IdA,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65001, LocalAddress = link.A4 }, new NeighborSpec { Address = link.B6, As = 65001, LocalAddress = link.A6 }],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.1.0.0/24", LocalPref = 222, Med = 10, Communities = ["65001:100"], LargeCommunities = ["65001:1:2"] },
                new StaticRouteSpec { Prefix = "2001:db8:ff01::/48", LocalPref = 223 },
            ],
        });
        var gobgp = new GobgpRouter(b, "gobgp", new RouterSpec
        {
            RouterId = IdB,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.A4, As = 65001 }, new NeighborSpec { Address = link.A6, As = 65001 }],
            Routes =
            [
                new StaticRouteSpec { Prefix = "10.3.0.0/24", LocalPref = 333, Med = 30, Communities = ["65001:300"], LargeCommunities = ["65001:3:3"] },
                new StaticRouteSpec { Prefix = "2001:db8:ff03::/48", LocalPref = 334 },
            ],
        });
        bird.Start();
        gobgp.Start();
        bird.WaitEstablished(link.B4);
        gobgp.WaitEstablished(link.A4);
        bird.WaitEstablished(link.B6);
        gobgp.WaitEstablished(link.A6);

        var atGobgp = gobgp.WaitRoute("10.1.0.0/24");
        Assert.Equal(222u, atGobgp.LocalPref);
        Assert.Equal(10u, atGobgp.Med);
        Assert.Empty(atGobgp.AsPath);
        Assert.Equal(["65001:100"], atGobgp.Communities);
        Assert.Equal(["65001:1:2"], atGobgp.LargeCommunities);
        Assert.Equal(link.A4.ToString(), atGobgp.NextHop);
        Assert.Equal(223u, gobgp.WaitRoute("2001:db8:ff01::/48").LocalPref);

        var atBird = bird.WaitRoute("10.3.0.0/24");
        Assert.Equal(333u, atBird.LocalPref);
        Assert.Equal(30u, atBird.Med);
        Assert.Empty(atBird.AsPath);
        Assert.Equal(["65001:300"], atBird.Communities);
        Assert.Equal(["65001:3:3"], atBird.LargeCommunities);
        Assert.Equal(334u, bird.WaitRoute("2001:db8:ff03::/48").LocalPref);
    }

    [Fact]
    public void Session_down_and_up_is_seen_through_each_cli()
    {
        using var topology = Topology.Create();
        var hub = topology.AddNode("bird");
        var f = topology.AddNode("frr");
        var g = topology.AddNode("gobgp");
        var toFrr = topology.Connect(hub, f);
        var toGobgp = topology.Connect(hub, g);
        var bird = new BirdRouter(hub, "bird", new RouterSpec
        {
            RouterId = IdA,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = toFrr.B4, As = 65002 }, new NeighborSpec { Address = toGobgp.B4, As = 65003 }],
            Routes = [new StaticRouteSpec { Prefix = "10.1.0.0/24" }],
        });
        var frr = new FrrRouter(f, "frr", new RouterSpec { RouterId = IdB, As = 65002, Neighbors = [new NeighborSpec { Address = toFrr.A4, As = 65001 }] });
        var gobgp = new GobgpRouter(g, "gobgp", new RouterSpec { RouterId = IPAddress.Parse("198.18.255.3"), As = 65003, Neighbors = [new NeighborSpec { Address = toGobgp.A4, As = 65001 }] });
        bird.Start();
        frr.Start();
        gobgp.Start();
        frr.WaitEstablished(toFrr.A4);
        gobgp.WaitEstablished(toGobgp.A4);
        frr.WaitRoute("10.1.0.0/24");
        gobgp.WaitRoute("10.1.0.0/24");

        bird.DisableNeighbor(toFrr.B4);
        bird.DisableNeighbor(toGobgp.B4);
        frr.WaitDown(toFrr.A4);
        gobgp.WaitDown(toGobgp.A4);
        Assert.False(bird.IsEstablished(toFrr.B4));
        frr.WaitNoRoute("10.1.0.0/24");
        gobgp.WaitNoRoute("10.1.0.0/24");

        bird.EnableNeighbor(toFrr.B4);
        bird.EnableNeighbor(toGobgp.B4);
        frr.WaitEstablished(toFrr.A4);
        gobgp.WaitEstablished(toGobgp.A4);
        bird.WaitEstablished(toFrr.B4);
        Assert.Equal([65001u], frr.WaitRoute("10.1.0.0/24").AsPath);
        Assert.Equal([65001u], gobgp.WaitRoute("10.1.0.0/24").AsPath);

        // A daemon gone is seen as a session down by the other side.
        frr.Kill();
        bird.WaitDown(toFrr.B4);
        Assert.True(bird.IsEstablished(toGobgp.B4), bird.Describe());
    }

    [Fact]
    public void Raw_bgp_client_completes_sessions_with_bird_and_its_routes_go_when_it_leaves()
    {
        // Validates the flap-storm client against an anchor before it is used against bgpstackd.
        using var topology = Topology.Create();
        var a = topology.AddNode("bird");
        var b = topology.AddNode("raw");
        var link = topology.Connect(a, b);
        var bird = new BirdRouter(a, "bird", new RouterSpec
        {
            RouterId = IdA,
            As = 65001,
            Neighbors = [new NeighborSpec { Address = link.B4, As = 65003, LocalAddress = link.A4, Passive = true }],
        });
        bird.Start();
        // Two short sessions, then a third held open for 20 s while BIRD is checked.
        var client = topology.Start(b, "raw", null, Router.Require("python3", "python3"), Bgpstackd.RawBgpClient.WriteScript(topology), link.A4.ToString(), "65003", IdB.ToString(), "300", "3", "60", link.B4.ToString(), "20");
        Wait.Until("BIRD to hold the raw client's 300 routes", TimeSpan.FromSeconds(60), () => bird.BgpRouteCount(Family.Ipv4) == 300, topology.Describe);
        var route = bird.WaitRoute("10.99.0.0/24");
        Assert.Equal([65003u], route.AsPath);
        Assert.Equal(link.B4.ToString(), route.NextHop);
        Wait.Until("the raw client to finish", TimeSpan.FromSeconds(60), () => client.HasExited, topology.Describe);
        Assert.True(client.ExitCode == 0, client.Describe());
        Assert.StartsWith("cycles 3", File.ReadAllText(client.StdoutPath), StringComparison.Ordinal);
        bird.WaitNoRoute("10.99.0.0/24", TimeSpan.FromSeconds(30));
        Assert.Equal(0, bird.BgpRouteCount(Family.Ipv4));
        Assert.Contains("n0", bird.Cli("show", "protocols"), StringComparison.Ordinal);
    }

    [Fact]
    public void Frr_keeps_bird_routes_stale_across_a_bird_crash_and_restart()
    {
        // The graceful restart scenario bgpstackd is held to, with BIRD as the restarting speaker.
        // BIRD without a kernel protocol does not claim preserved forwarding state, so FRR may
        // flush and relearn at re-establishment; the stale phase is checked in full.
        Bgpstackd.GracefulRestartScenario.Run((node, spec) => new BirdRouter(node, "bird", spec), _ => { }, forwardingPreserved: false);
    }
}
