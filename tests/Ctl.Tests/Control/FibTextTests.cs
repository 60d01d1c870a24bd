using BgpStack.Control;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Tests.Control;

public sealed class FibTextTests
{
    private static string Render(FibResult fib)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        FibText.Write(writer, fib);
        return writer.ToString();
    }

    [Fact]
    public void A_kernel_in_step_with_the_rib_lists_its_routes_like_ip_route()
    {
        var fib = new FibResult
        {
            Table = 254,
            Installed =
            [
                new FibRouteDto { Prefix = "10.244.1.0/24", Type = "unicast", NextHops = ["198.18.0.2"], Metric = 20 },
                new FibRouteDto { Prefix = "10.244.2.0/24", Type = "unicast", NextHops = ["198.18.0.2", "198.18.0.3"], Metric = 20 },
                new FibRouteDto { Prefix = "10.244.9.0/26", Type = "blackhole", Metric = 20 },
            ],
        };
        const string expected = """
            Kernel table 254, proto bgpstack: 3 routes
              10.244.1.0/24 via 198.18.0.2 metric 20
              10.244.2.0/24 nexthop via 198.18.0.2 nexthop via 198.18.0.3 metric 20
              blackhole 10.244.9.0/26 metric 20
            The kernel holds exactly the RIB's selected routes.

            """;
        Assert.Equal(expected, Render(fib));
    }

    [Fact]
    public void Differences_from_the_rib_are_listed_by_kind()
    {
        var fib = new FibResult
        {
            Table = 100,
            Installed =
            [
                new FibRouteDto { Prefix = "10.1.0.0/16", Type = "unicast", NextHops = ["198.18.0.9"], Metric = 20 },
                new FibRouteDto { Prefix = "10.2.0.0/16", Type = "unicast", NextHops = ["198.18.0.2"], Metric = 20 },
            ],
            Missing = [new FibRouteDto { Prefix = "10.3.0.0/16", Type = "unicast", NextHops = ["198.18.0.2"], Metric = 20 }],
            Extra = [new FibRouteDto { Prefix = "10.1.0.0/16", Type = "unicast", NextHops = ["198.18.0.9"], Metric = 20 }],
            Different = [new FibRouteDto { Prefix = "10.2.0.0/16", Type = "unicast", NextHops = ["198.18.0.3"], Metric = 20 }],
            Pending = 1,
            Failed = 4,
        };
        const string expected = """
            Kernel table 100, proto bgpstack: 2 routes
              10.1.0.0/16 via 198.18.0.9 metric 20
              10.2.0.0/16 via 198.18.0.2 metric 20
            Selected in the RIB, missing from the kernel:
              10.3.0.0/16 via 198.18.0.2 metric 20
            In the kernel, not selected in the RIB:
              10.1.0.0/16 via 198.18.0.9 metric 20
            Different in the kernel; the RIB selects:
              10.2.0.0/16 via 198.18.0.3 metric 20
            1 prefixes wait for a retry; the kernel refused 4 requests since start.

            """;
        Assert.Equal(expected, Render(fib));
    }
}
