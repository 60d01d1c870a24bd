using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>Graceful restart (RFC 4724) with FRR as the helper: our routes survive a bgpstackd restart as stale, then are refreshed.</summary>
public sealed class BgpstackdGracefulRestartTests
{
    private static readonly string[] Prefixes = ["10.1.0.0/24", "10.1.1.0/24", "2001:db8:ff01::/48"];

    [Fact]
    public void Frr_keeps_our_routes_stale_across_a_restart_and_refreshes_them_without_a_withdrawal()
    {
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var peerNode = topology.AddNode("frr");
        var link = topology.Connect(usNode, peerNode);
        var frr = new FrrRouter(peerNode, "frr", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors =
            [
                new NeighborSpec { Address = link.A4, As = 65001, LocalAddress = link.B4, GracefulRestart = true },
                new NeighborSpec { Address = link.A6, As = 65001, LocalAddress = link.B6, GracefulRestart = true },
            ],
            Routes = [new StaticRouteSpec { Prefix = "10.2.0.0/24" }],
        });
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors =
            [
                new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, GracefulRestart = true },
                new NeighborSpec { Address = link.B6, As = 65002, LocalAddress = link.A6, GracefulRestart = true },
            ],
            Routes = Prefixes.Select(p => new StaticRouteSpec { Prefix = p, Communities = ["65001:1"] }).ToList(),
        });
        frr.Start();
        us.Start();
        frr.WaitEstablished(link.A4);
        frr.WaitEstablished(link.A6);
        foreach (var prefix in Prefixes)
        {
            frr.WaitRoute(prefix, r => !r.Stale);
        }

        var gr = frr.CliJson($"show bgp neighbors {link.A4} json").ToString();
        Assert.True(gr.Contains("gracefulRestart", StringComparison.Ordinal), $"FRR shows no graceful restart capability for us: {gr}");

        // A crash: no NOTIFICATION, the kernel closes the connection.
        us.Kill();
        var missing = new List<string>();
        bool AllPresent(Func<RouteEntry, bool> condition)
        {
            var routes = frr.Routes(Family.Ipv4).Concat(frr.Routes(Family.Ipv6)).ToList();
            foreach (var prefix in Prefixes)
            {
                if (!routes.Any(r => Router.SamePrefix(r.Prefix, prefix)))
                {
                    missing.Add($"{prefix} at {us.SinceStart.TotalSeconds:F1} s");
                }
            }

            return missing.Count > 0 || Prefixes.All(p => routes.Any(r => Router.SamePrefix(r.Prefix, p) && condition(r)));
        }

        Wait.Until("FRR to mark our routes stale", TimeSpan.FromSeconds(60), () => AllPresent(r => r.Stale) && !frr.IsEstablished(link.A4), topology.Describe);
        Assert.True(missing.Count == 0, $"FRR withdrew {string.Join(", ", missing)} instead of keeping it stale.\n{frr.Describe()}");

        // Stale for a while, as long as we are down.
        Wait.During("our routes staying at FRR while we are down", TimeSpan.FromSeconds(5), () => AllPresent(r => r.Stale) && missing.Count == 0, frr.Describe);

        us.Restarting = true;
        us.Start();
        Wait.Until("FRR to refresh our routes (no longer stale)", TimeSpan.FromSeconds(90), () => AllPresent(r => !r.Stale) && frr.IsEstablished(link.A4), () => frr.DescribeRoutes(Family.Ipv4) + topology.Describe());
        Assert.True(missing.Count == 0, $"FRR withdrew {string.Join(", ", missing)} during the restart.\n{frr.Describe()}\n{us.Describe()}");
        us.WaitRoute("10.2.0.0/24");
    }
}
