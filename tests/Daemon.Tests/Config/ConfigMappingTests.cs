using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Daemon.Config;
using BgpStack.Rib;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>What each configuration key becomes in the speaker's options and the daemon's model.</summary>
public class ConfigMappingTests
{
    private static DaemonConfig Golden(string name) =>
        DaemonConfigFile.Load(Path.Combine(AppContext.BaseDirectory, "Config", "golden", name));

    [Fact]
    public void Globals_map_to_the_speaker_options()
    {
        var config = Golden("brief-example.yaml");
        var speaker = config.Speaker;
        Assert.Equal(RouterId.Parse("198.18.0.1"), speaker.RouterId);
        Assert.Equal(65001u, speaker.LocalAs);
        Assert.Equal([IPEndPoint.Parse("0.0.0.0:179"), IPEndPoint.Parse("[::]:179")], speaker.Listen.ToArray());
        Assert.Equal(RouterId.Parse("198.18.0.1"), speaker.ClusterId);
        Assert.False(speaker.Restarting);
        Assert.Equal(8, speaker.Rib.Decision.MaximumPaths);
        Assert.Equal(1, speaker.Rib.Decision.MaximumPathsInternal);
        Assert.Equal("/run/bgpstack/bgpstackd.sock", config.ControlSocket);
        Assert.Equal("/var/lib/bgpstack", config.StateDirectory);
    }

    [Fact]
    public void Every_peer_key_maps_to_its_option()
    {
        var config = Golden("brief-example.yaml");
        var peer = Assert.Single(config.Speaker.Peers);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), peer.Address);
        Assert.Equal(65002u, peer.RemoteAs);
        Assert.Equal(65010u, peer.LocalAs);
        Assert.Equal("tor-a", peer.Description);
        Assert.Equal("s3cret", peer.Password);
        Assert.True(peer.TtlSecurity);
        Assert.Equal(2, peer.MultihopTtl);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), peer.SourceAddress);
        Assert.Equal(1179, peer.Port);
        Assert.Equal(TimeSpan.FromSeconds(60), peer.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(20), peer.KeepaliveTime);
        Assert.Equal(TimeSpan.FromSeconds(10), peer.ConnectRetryTime);
        Assert.True(peer.Passive);
        Assert.Equal(NextHopMode.Self, peer.NextHop);
        Assert.Equal([AfiSafi.Ipv4Unicast], peer.Families.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(60), peer.GracefulRestart!.RestartTime);
        Assert.Equal(TimeSpan.FromSeconds(300), peer.GracefulRestart.StalePathTime);
        Assert.Equal(GracefulRestartOptions.Default.SelectionDeferralTime, peer.GracefulRestart.SelectionDeferralTime);
        Assert.Equal(new MaxPrefixLimit(100000, MaxPrefixAction.Teardown, TimeSpan.FromSeconds(60)), peer.MaxPrefix[AfiSafi.Ipv4Unicast]);
        Assert.Equal(1, peer.AllowOwnAs);
        Assert.Equal(AddPathMode.Both, peer.AddPath);
        Assert.Same(config.FindPolicy("from-tor"), peer.ImportPolicy);
        Assert.Same(config.FindPolicy("to-tor"), peer.ExportPolicy);
    }

    [Fact]
    public void A_peer_with_only_address_and_as_gets_the_library_defaults()
    {
        var config = DaemonConfigFile.Parse("router-id: 198.18.0.1\nlocal-as: 65001\npeers:\n  - address: 198.18.0.2\n    as: 65001\n", "t.yaml");
        var peer = Assert.Single(config.Speaker.Peers);
        var defaults = new PeerOptions { Address = IPAddress.Parse("198.18.0.2"), RemoteAs = 65001 };
        Assert.Equal(defaults.HoldTime, peer.HoldTime);
        Assert.Equal(defaults.KeepaliveTime, peer.KeepaliveTime);
        Assert.Equal(defaults.ConnectRetryTime, peer.ConnectRetryTime);
        Assert.Equal(defaults.Families.ToArray(), peer.Families.ToArray());
        Assert.Equal(GracefulRestartOptions.Default, peer.GracefulRestart);
        Assert.Equal(179, peer.Port);
        Assert.Null(peer.ImportPolicy);
        Assert.Null(peer.ExportPolicy);
        Assert.True(peer.ExtendedMessage);
        Assert.False(peer.ExtendedNextHop);
        Assert.Empty(peer.MaxPrefix);
    }

    [Fact]
    public void Graceful_restart_false_disables_it_and_max_prefix_shorthand_is_a_teardown_limit()
    {
        var config = DaemonConfigFile.Parse(
            "router-id: 198.18.0.1\nlocal-as: 65001\npeers:\n  - address: 198.18.0.2\n    as: 65002\n    graceful-restart: false\n    max-prefix: { ipv6-unicast: 7 }\n",
            "t.yaml");
        var peer = config.Speaker.Peers[0];
        Assert.Null(peer.GracefulRestart);
        Assert.Equal(new MaxPrefixLimit(7, MaxPrefixAction.Teardown, null), peer.MaxPrefix[AfiSafi.Ipv6Unicast]);
    }

    [Fact]
    public void Dynamic_neighbor_ranges_map_with_their_templates()
    {
        var config = Golden("ipv6-dynamic.yaml");
        var ranges = config.Speaker.DynamicNeighbors;
        Assert.Equal(2, ranges.Length);
        Assert.Equal(IpPrefix.Parse("2001:db8:100::/48"), ranges[0].Prefix);
        Assert.Equal((4200000001u, 4200000001u), (ranges[0].MinAs, ranges[0].MaxAs));
        Assert.Equal(TimeSpan.FromSeconds(30), ranges[0].Template.HoldTime);
        Assert.True(ranges[0].Template.RouteReflectorClient);
        Assert.Equal([AfiSafi.Ipv6Unicast], ranges[0].Template.Families.ToArray());
        Assert.Equal((65000u, 65100u), (ranges[1].MinAs, ranges[1].MaxAs));
        Assert.Equal(new PeerOptions { Address = IPAddress.Any, RemoteAs = 1 }.HoldTime, ranges[1].Template.HoldTime);
    }

    [Fact]
    public void Static_routes_map_to_originated_attributes()
    {
        var config = Golden("brief-example.yaml");
        var route = Assert.Single(config.StaticRoutes);
        Assert.Equal(IpPrefix.Parse("10.244.1.0/24"), route.Prefix);
        Assert.Equal(
            new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.Empty,
                MultiExitDisc = 10,
                LocalPref = 200,
                Communities = EquatableArray.Create(Community.Create(65001, 100)),
                LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
            },
            route.Attributes);
        Assert.Null(route.Attributes.NextHop);

        var other = Golden("ipv6-dynamic.yaml").StaticRoutes;
        Assert.Equal(Origin.Incomplete, other[0].Attributes.Origin);
        Assert.Equal([Community.NoExport, Community.Create(65001, 7)], other[0].Attributes.Communities.ToArray());
        Assert.Equal(IpPrefix.Parse("0.0.0.0/0"), other[1].Prefix);
    }

    [Fact]
    public void Kernel_section_maps_and_its_max_paths_defaults_to_the_ecmp_setting()
    {
        Assert.Equal(
            new KernelConfig { Enabled = true, Table = 254, Metric = 20, MaxPaths = 8, Install = KernelRouteKinds.Bgp | KernelRouteKinds.Static, FlushOnShutdown = false },
            Golden("brief-example.yaml").Kernel);
        Assert.Equal(
            new KernelConfig { Enabled = false, Table = 100, Metric = 0, MaxPaths = 1, Install = KernelRouteKinds.None, FlushOnShutdown = true },
            Golden("policies.yaml").Kernel);
        var defaulted = DaemonConfigFile.Parse("router-id: 198.18.0.1\nlocal-as: 65001\necmp: { max-paths: 3 }\nkernel: {}\n", "t.yaml");
        Assert.Equal(new KernelConfig { MaxPaths = 3 }, defaulted.Kernel);
        Assert.Null(Golden("minimal.yaml").Kernel);
    }

    [Fact]
    public void The_default_configuration_is_the_documented_one()
    {
        var config = DaemonConfig.Default;
        Assert.Equal(RouterId.Parse("198.18.0.1"), config.Speaker.RouterId);
        Assert.Equal(64512u, config.Speaker.LocalAs);
        Assert.Empty(config.Speaker.Peers);
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Any, 179)], config.Speaker.Listen.ToArray());
        Assert.Equal("/run/bgpstack/bgpstackd.sock", config.ControlSocket);
        Assert.Equal("/var/lib/bgpstack", config.StateDirectory);
        Assert.Null(config.Kernel);
        Assert.Empty(config.StaticRoutes);
    }

    [Fact]
    public void Policies_from_yaml_decide_routes()
    {
        var config = Golden("policies.yaml");
        var import = config.FindPolicy("customers-in")!;
        var peer = new PolicyPeer(IPAddress.Parse("198.18.0.2"), 65002, 65001, false, IPAddress.Parse("198.18.0.1"));
        var route = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.FromSequence(65002, 65002),
            NextHop = IPAddress.Parse("198.18.0.2"),
            Communities = EquatableArray.Create(Community.Create(65001, 666)),
            LargeCommunities = EquatableArray.Create(new LargeCommunity(65002, 1, 2)),
        };

        Assert.Null(import.Apply(IpPrefix.Parse("0.0.0.0/0"), route, peer));
        Assert.Null(import.Apply(IpPrefix.Parse("::/0"), route, peer));
        var accepted = import.Apply(IpPrefix.Parse("10.1.0.0/16"), route, peer)!;
        Assert.Equal(150u, accepted.LocalPref);
        Assert.Empty(accepted.Communities);
        Assert.Equal(IPAddress.Parse("198.18.0.99"), accepted.NextHop);

        // Outside 10/8 ge 16 le 24 the "next" statement is skipped but the third still accepts.
        var outside = import.Apply(IpPrefix.Parse("10.1.2.0/25"), route, peer)!;
        Assert.Null(outside.LocalPref);

        var export = config.FindPolicy("announce-out")!;
        Assert.Null(export.Apply(IpPrefix.Parse("10.1.0.0/16"), route, peer));
        var tagged = export.Apply(IpPrefix.Parse("10.1.0.0/16"), route with { Communities = EquatableArray.Create(Community.NoAdvertise) }, peer)!;
        Assert.Equal(0u, tagged.MultiExitDisc);
        Assert.Equal("65001 65002 65002", tagged.AsPath!.ToString());

        Assert.Same(route, config.FindPolicy("empty")!.Apply(IpPrefix.Parse("10.1.0.0/16"), route, peer));
        Assert.Null(config.FindPolicy("missing"));
    }
}
