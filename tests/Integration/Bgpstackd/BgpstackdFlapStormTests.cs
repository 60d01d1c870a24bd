using System.Net;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>200 session resets in a row from one peer: none of its routes left, memory flat, other sessions untouched.</summary>
public sealed class BgpstackdFlapStormTests
{
    [Fact]
    public void Two_hundred_resets_leave_no_routes_of_that_peer_and_no_memory_growth()
    {
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var flapNode = topology.AddNode("flap");
        var steadyNode = topology.AddNode("bird");
        var toFlap = topology.Connect(usNode, flapNode);
        var toSteady = topology.Connect(usNode, steadyNode);
        var flapperId = IPAddress.Parse("198.18.255.30");
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors =
            [
                new NeighborSpec { Address = toFlap.B4, As = 65003, LocalAddress = toFlap.A4, Passive = true },
                new NeighborSpec { Address = toSteady.B4, As = 65002, LocalAddress = toSteady.A4 },
            ],
        });
        var steady = new BirdRouter(steadyNode, "bird", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors = [new NeighborSpec { Address = toSteady.A4, As = 65001, LocalAddress = toSteady.B4 }],
            Routes = [new StaticRouteSpec { Prefix = "10.2.0.0/24" }],
        });
        steady.Start();
        us.Start();
        us.WaitRoute("10.2.0.0/24");

        // Warm up (JIT, pools) before the baseline.
        RawBgpClient.Storm(flapNode, toFlap.A4, 65003, flapperId, toFlap.B4, prefixes: 500, cycles: 20, TimeSpan.FromSeconds(120));
        us.WaitNoRoute("10.99.0.0/24", TimeSpan.FromSeconds(30));
        var before = us.Process!.ReadStatusKb("VmRSS") ?? throw new InvalidOperationException("bgpstackd exited");

        var report = RawBgpClient.Storm(flapNode, toFlap.A4, 65003, flapperId, toFlap.B4, prefixes: 500, cycles: 200, TimeSpan.FromSeconds(240));

        // Nothing of the flapping peer remains once its last session is gone.
        Wait.Until("the flapping peer's routes to be gone", TimeSpan.FromSeconds(30), () => !us.Routes(Family.Ipv4).Any(r => r.Prefix.StartsWith("10.99.", StringComparison.Ordinal) || r.Prefix.StartsWith("10.100.", StringComparison.Ordinal)), () => us.DescribeRoutes(Family.Ipv4) + us.Describe());
        Wait.Until("the flapping peer's prefix count to be 0", TimeSpan.FromSeconds(30), () => us.PrefixesReceived(toFlap.B4) is null or 0, us.Describe);
        Assert.True(us.Flaps(toFlap.B4) is null or >= 200, $"{report}\n{us.Describe()}");

        var after = us.Process!.ReadStatusKb("VmRSS") ?? throw new InvalidOperationException("bgpstackd exited");
        // RSS is noisy under a GC; 200 cycles of 500 routes leaking would show as tens of MiB.
        Assert.True(after - before < 24 * 1024, $"RSS grew from {before} kB to {after} kB over the storm ({report}).");

        // The other session never noticed.
        Assert.True(us.IsEstablished(toSteady.B4), us.Describe());
        Assert.True(us.HasRoute("10.2.0.0/24"), us.DescribeRoutes(Family.Ipv4));
        Assert.True(steady.IsEstablished(toSteady.A4), steady.Describe());
    }
}
