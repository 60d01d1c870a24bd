using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>Graceful restart (RFC 4724) with FRR as the helper: our routes survive a bgpstackd restart as stale, then are refreshed.</summary>
public sealed class BgpstackdGracefulRestartTests
{
    [Fact]
    public void Frr_keeps_our_routes_stale_across_a_restart_and_refreshes_them_without_a_withdrawal() =>
        GracefulRestartScenario.Run((node, spec) => new BgpstackdRouter(node, "us", spec), us => ((BgpstackdRouter)us).Restarting = true, forwardingPreserved: true);
}

/// <summary>
/// The graceful restart scenario, for bgpstackd and (as a harness check) for BIRD: the restarting
/// side is killed (a crash: no NOTIFICATION, the kernel closes the connection) and started again;
/// FRR, the helper, must keep its routes as stale meanwhile and refresh them afterwards, with no
/// poll ever finding one missing when the restarting side preserves forwarding state (RFC 4724
/// §4.2: without the F bit the helper deletes the stale routes when the new session comes up and
/// learns them again, which BIRD without a kernel protocol does).
/// </summary>
internal static class GracefulRestartScenario
{
    private static readonly string[] Prefixes = ["10.1.0.0/24", "10.1.1.0/24", "2001:db8:ff01::/48"];

    public static void Run(Func<Node, RouterSpec, Router> makeRestarting, Action<Router> beforeRestart, bool forwardingPreserved)
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
        var us = makeRestarting(usNode, new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = 65001,
            Neighbors =
            [
                new NeighborSpec { Address = link.B4, As = 65002, LocalAddress = link.A4, GracefulRestart = true },
                // Multihop: only a global IPv6 next hop (FRR's bgpd without zebra cannot resolve a link-local one).
                new NeighborSpec { Address = link.B6, As = 65002, LocalAddress = link.A6, GracefulRestart = true, Multihop = 2 },
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

        var neighbor = frr.CliJson($"show bgp neighbors {link.A4} json").ToString();
        Assert.True(neighbor.Contains("\"gracefulRestart\":\"advertisedAndReceived\"", StringComparison.Ordinal), $"FRR did not negotiate graceful restart with {us.Name}: {neighbor}");

        us.Kill();
        var missing = new List<string>();
        bool AllPresent(Func<RouteEntry, bool> condition)
        {
            var routes = frr.Routes(Family.Ipv4).Concat(frr.Routes(Family.Ipv6)).ToList();
            foreach (var prefix in Prefixes)
            {
                if (!routes.Any(r => Router.SamePrefix(r.Prefix, prefix)))
                {
                    missing.Add(prefix);
                }
            }

            return missing.Count > 0 || Prefixes.All(p => routes.Any(r => Router.SamePrefix(r.Prefix, p) && condition(r)));
        }

        Wait.Until("FRR to mark the routes stale", TimeSpan.FromSeconds(60), () => AllPresent(r => r.Stale) && !frr.IsEstablished(link.A4), topology.Describe);
        Assert.True(missing.Count == 0, $"FRR withdrew {string.Join(", ", missing)} instead of keeping it stale.\n{frr.Describe()}");
        Wait.During("the routes staying at FRR while their speaker is down", TimeSpan.FromSeconds(5), () => AllPresent(r => r.Stale) && missing.Count == 0, frr.Describe);

        beforeRestart(us);
        us.Start();
        if (!forwardingPreserved)
        {
            // The helper may flush and relearn at re-establishment; only the outcome is checked.
            missing.Clear();
            Wait.Until("FRR to hold the routes again, not stale", TimeSpan.FromSeconds(90), () => { missing.Clear(); return AllPresent(r => !r.Stale) && frr.IsEstablished(link.A4); }, () => frr.DescribeRoutes(Family.Ipv4) + topology.Describe());
            missing.Clear();
            us.WaitRoute("10.2.0.0/24");
            return;
        }

        Wait.Until("FRR to refresh the routes (no longer stale)", TimeSpan.FromSeconds(90), () => AllPresent(r => !r.Stale) && frr.IsEstablished(link.A4), () => frr.DescribeRoutes(Family.Ipv4) + topology.Describe());
        Assert.True(missing.Count == 0, $"FRR withdrew {string.Join(", ", missing)} during the restart.\n{frr.Describe()}\n{us.Describe()}");
        us.WaitRoute("10.2.0.0/24");
    }
}
