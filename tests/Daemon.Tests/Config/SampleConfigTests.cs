using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Daemon.Config;
using BgpStack.Rib;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>The ready configurations in samples/configs parse and say what their comments claim.</summary>
public class SampleConfigTests
{
    private static DaemonConfig Sample(string name) =>
        DaemonConfigFile.Load(Path.Combine(AppContext.BaseDirectory, "samples", "configs", name));

    [Fact]
    public void Route_reflector_sample_parses_with_clients_and_a_non_client_reflector()
    {
        var config = Sample("route-reflector.yaml");
        var speaker = config.Speaker;
        Assert.Equal(RouterId.Parse("198.18.0.254"), speaker.ClusterId);
        Assert.All(speaker.Peers, p => Assert.Equal(speaker.LocalAs, p.RemoteAs));
        Assert.False(speaker.Peers.Single(p => p.Description == "rr-2").RouteReflectorClient);
        Assert.True(speaker.Peers.Single(p => p.Description == "node-edge-1").RouteReflectorClient);
        var range = Assert.Single(speaker.DynamicNeighbors);
        Assert.Equal((64512u, 64512u), (range.MinAs, range.MaxAs));
        Assert.True(range.Template.RouteReflectorClient);
        Assert.Same(config.FindPolicy("from-nodes"), range.Template.ImportPolicy);
        Assert.Null(config.Kernel);
        Assert.Equal(config, DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed"));
    }

    [Fact]
    public void Tor_sample_parses_with_two_ebgp_switches_and_two_way_ecmp()
    {
        var config = Sample("tor-ecmp.yaml");
        var speaker = config.Speaker;
        Assert.Equal(2, speaker.Rib.Decision.MaximumPaths);
        Assert.Equal(2, config.Kernel!.MaxPaths);
        Assert.Equal(2, speaker.Peers.Length);
        Assert.All(speaker.Peers, p =>
        {
            Assert.NotEqual(speaker.LocalAs, p.RemoteAs);
            Assert.Equal(65001u, p.RemoteAs);
            Assert.True(p.TtlSecurity);
            Assert.Same(config.FindPolicy("to-tor"), p.ExportPolicy);
        });
        Assert.Equal(IpPrefix.Parse("10.244.1.0/26"), Assert.Single(config.StaticRoutes).Prefix);
        Assert.Equal(config, DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed"));
    }

    [Fact]
    public void Tor_sample_exports_only_the_pod_block_and_imports_the_default_route()
    {
        var config = Sample("tor-ecmp.yaml");
        var peer = new PolicyPeer(IPAddress.Parse("198.18.1.1"), 65001, 65101, false, IPAddress.Parse("198.18.1.10"));
        var podBlock = config.StaticRoutes[0];
        var exported = config.FindPolicy("to-tor")!.Apply(podBlock.Prefix, podBlock.Attributes, peer);
        Assert.NotNull(exported);
        Assert.Empty(exported.Communities);

        var learned = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001, 65000), NextHop = IPAddress.Parse("198.18.1.1") };
        Assert.Null(config.FindPolicy("to-tor")!.Apply(IpPrefix.Parse("10.244.2.0/26"), learned, peer));
        Assert.Same(learned, config.FindPolicy("from-tor")!.Apply(IpPrefix.Parse("0.0.0.0/0"), learned, peer));
        Assert.Null(config.FindPolicy("from-tor")!.Apply(IpPrefix.Parse("192.0.2.0/24"), learned, peer));
    }
}
