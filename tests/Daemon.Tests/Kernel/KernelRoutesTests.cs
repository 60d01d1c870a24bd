using BgpStack.Ctl;
using BgpStack.Daemon.Tests.Hosting;
using BgpStack.Netlink.Tests;

namespace BgpStack.Daemon.Tests.Kernel;

/// <summary>The daemon's FIB writer in a network namespace the test makes (needs root; fails loudly without it).</summary>
[Collection(DaemonHostCollection.Name)]
public sealed class KernelRoutesTests
{
    private static (int Exit, string Out, string Error) Ctl(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CtlApp.Run(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<string> WaitForRouteAsync(TestNamespace ns, string prefix, bool present)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var routes = ns.Ip("route", "show", "proto", "177");
            if (routes.Contains(prefix, StringComparison.Ordinal) == present)
            {
                return routes;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{prefix} {(present ? "never appeared" : "never left")}: {routes}");
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Selected_routes_reach_the_kernel_and_fib_shows_them_in_step_with_the_rib()
    {
        using var ns = TestNamespace.Create();
        ns.Ip("link", "add", "fabric0", "type", "veth", "peer", "name", "fabric1");
        ns.Ip("addr", "add", "198.18.0.1/24", "dev", "fabric0");
        ns.Ip("link", "set", "fabric0", "up");
        ns.Ip("link", "set", "fabric1", "up");

        await using var daemon = await RunningDaemon.StartAsync("kernel: { enabled: true, table: 254, metric: 30 }", ns.Name);
        await daemon.Speaker.AnnounceAsync("10.244.5.0/24", "198.18.0.2");
        var routes = await WaitForRouteAsync(ns, "10.244.5.0/24", present: true);
        // The FIB writer points routes with one gateway at a nexthop object: iproute2 shows "nhid N" first.
        Assert.Matches(@"10\.244\.5\.0/24 (nhid \d+ )?via 198\.18\.0\.2 dev fabric0", routes);
        Assert.Contains("metric 30", routes, StringComparison.Ordinal);

        var (exit, output, error) = Ctl("fib", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Kernel table 254, proto bgpstack: 1 route", output, StringComparison.Ordinal);
        Assert.Contains("  10.244.5.0/24 via 198.18.0.2 metric 30", output, StringComparison.Ordinal);
        Assert.Contains("The kernel holds exactly the RIB's selected routes.", output, StringComparison.Ordinal);

        // Stopping leaves our routes in place for a graceful restart (flush-on-shutdown is off).
        Assert.Equal(0, await daemon.StopAsync());
        await WaitForRouteAsync(ns, "10.244.5.0/24", present: true);
    }

    [Fact]
    public async Task With_the_real_speaker_static_routes_are_installed_as_blackholes_like_calicos_own_blocks()
    {
        using var ns = TestNamespace.Create();
        var port = Random.Shared.Next(20000, 60000);
        await using var daemon = await RunningDaemon.StartAsync(
            """
            kernel: { enabled: true }
            static-routes:
              - prefix: 10.244.9.0/26
            """,
            ns.Name,
            realSpeaker: true,
            header: $"router-id: 198.18.0.1\nlocal-as: 65001\nlisten: [\"127.0.0.1:{port}\"]");
        var routes = await WaitForRouteAsync(ns, "10.244.9.0/26", present: true);
        Assert.Contains("blackhole 10.244.9.0/26", routes, StringComparison.Ordinal);

        var (exit, output, error) = Ctl("fib", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("  blackhole 10.244.9.0/26 metric 20", output, StringComparison.Ordinal);
        Assert.Contains("The kernel holds exactly the RIB's selected routes.", output, StringComparison.Ordinal);

        // Removing the static route on reload withdraws it from the kernel too.
        await daemon.RewriteConfigAsync("kernel: { enabled: true }");
        await WaitForRouteAsync(ns, "10.244.9.0/26", present: false);
    }

    [Fact]
    public async Task Fib_without_kernel_routes_says_they_are_off()
    {
        await using var daemon = await RunningDaemon.StartAsync(string.Empty);
        var (exit, _, error) = Ctl("fib", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("kernel routes are off", error, StringComparison.Ordinal);
    }
}
