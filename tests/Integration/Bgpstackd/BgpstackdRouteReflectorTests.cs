using System.Net;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>Route reflection (RFC 4456) with BIRD 2: bgpstackd as the RR, and bgpstackd as a client of a BIRD RR.</summary>
public sealed class BgpstackdRouteReflectorTests
{
    private const uint As = 65000;

    [Fact]
    public void As_route_reflector_reflects_between_bird_clients_with_originator_id_and_cluster_list()
    {
        using var topology = Topology.Create();
        var rrNode = topology.AddNode("rr");
        var aNode = topology.AddNode("a");
        var bNode = topology.AddNode("b");
        var toA = topology.Connect(rrNode, aNode);
        var toB = topology.Connect(rrNode, bNode);
        var clusterId = IPAddress.Parse("198.18.255.100");
        var idA = IPAddress.Parse("198.18.255.1");
        var idB = IPAddress.Parse("198.18.255.2");
        var rr = new BgpstackdRouter(rrNode, "rr", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = As,
            ClusterId = clusterId,
            Neighbors =
            [
                new NeighborSpec { Address = toA.B4, As = As, LocalAddress = toA.A4, RouteReflectorClient = true },
                new NeighborSpec { Address = toB.B4, As = As, LocalAddress = toB.A4, RouteReflectorClient = true },
            ],
        });
        // Multihop on the clients: recursive next-hop resolution, so BIRD keeps a reflected route
        // whose next hop (the other client's link) it cannot reach directly.
        var a = new BirdRouter(aNode, "a", new RouterSpec
        {
            RouterId = idA,
            As = As,
            Neighbors = [new NeighborSpec { Address = toA.A4, As = As, LocalAddress = toA.B4, Multihop = 2 }],
            Routes = [new StaticRouteSpec { Prefix = "10.10.0.0/24", Communities = ["65000:10"], LocalPref = 150, Med = 5 }],
        });
        var b = new BirdRouter(bNode, "b", new RouterSpec
        {
            RouterId = idB,
            As = As,
            Neighbors = [new NeighborSpec { Address = toB.A4, As = As, LocalAddress = toB.B4, Multihop = 2 }],
            Routes = [new StaticRouteSpec { Prefix = "10.20.0.0/24" }],
        });
        a.Start();
        b.Start();
        rr.Start();

        var atB = b.WaitRoute("10.10.0.0/24");
        var context = $"{atB}\n{rr.Describe()}";
        Assert.True(atB.OriginatorId == idA.ToString(), context);
        Assert.True(atB.ClusterList.SequenceEqual([clusterId.ToString()]), context);
        Assert.True(atB.LocalPref == 150, context);
        Assert.True(atB.Med == 5, context);
        Assert.True(atB.Communities.SequenceEqual(["65000:10"]), context);
        Assert.True(atB.NextHop == toA.B4.ToString(), context); // RFC 4456: the reflector keeps the next hop
        Assert.Empty(atB.AsPath);

        var atA = a.WaitRoute("10.20.0.0/24");
        Assert.True(atA.OriginatorId == idB.ToString(), $"{atA}\n{rr.Describe()}");
        Assert.True(atA.ClusterList.SequenceEqual([clusterId.ToString()]), $"{atA}\n{rr.Describe()}");

        // A client must not get its own route back (ORIGINATOR_ID loop prevention is on the RR side too).
        Assert.DoesNotContain(a.Routes(Family.Ipv4), r => r.Prefix == "10.10.0.0/24" && r.From is not null && r.OriginatorId is not null);
    }

    [Fact]
    public void As_client_of_a_bird_route_reflector_sends_and_receives_reflected_routes()
    {
        using var topology = Topology.Create();
        var rrNode = topology.AddNode("rr");
        var usNode = topology.AddNode("us");
        var otherNode = topology.AddNode("other");
        var toUs = topology.Connect(rrNode, usNode);
        var toOther = topology.Connect(rrNode, otherNode);
        var rrId = IPAddress.Parse("198.18.255.100");
        var otherId = IPAddress.Parse("198.18.255.3");
        var rr = new BirdRouter(rrNode, "rr", new RouterSpec
        {
            RouterId = rrId,
            As = As,
            Neighbors =
            [
                new NeighborSpec { Address = toUs.B4, As = As, LocalAddress = toUs.A4, RouteReflectorClient = true },
                new NeighborSpec { Address = toOther.B4, As = As, LocalAddress = toOther.A4, RouteReflectorClient = true },
            ],
        });
        var other = new BirdRouter(otherNode, "other", new RouterSpec
        {
            RouterId = otherId,
            As = As,
            Neighbors = [new NeighborSpec { Address = toOther.A4, As = As, LocalAddress = toOther.B4, Multihop = 2 }],
            Routes = [new StaticRouteSpec { Prefix = "10.30.0.0/24", LocalPref = 170 }],
        });
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = As,
            Neighbors = [new NeighborSpec { Address = toUs.A4, As = As, LocalAddress = toUs.B4 }],
            Routes = [new StaticRouteSpec { Prefix = "10.40.0.0/24", Communities = ["65000:40"], LocalPref = 140 }],
        });
        rr.Start();
        other.Start();
        us.Start();

        var ours = other.WaitRoute("10.40.0.0/24");
        var context = $"{ours}\n{us.Describe()}";
        Assert.True(ours.OriginatorId == PeerScenarios.OurId.ToString(), context);
        Assert.True(ours.ClusterList.SequenceEqual([rrId.ToString()]), context);
        Assert.True(ours.LocalPref == 140, context);
        Assert.True(ours.Communities.SequenceEqual(["65000:40"]), context);

        var theirs = us.WaitRoute("10.30.0.0/24");
        context = $"{theirs}\n{rr.Describe()}";
        Assert.True(theirs.OriginatorId == otherId.ToString(), context);
        Assert.True(theirs.ClusterList.SequenceEqual([rrId.ToString()]), context);
        Assert.True(theirs.LocalPref == 170, context);
    }
}
