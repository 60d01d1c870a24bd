using System.Net;
using BgpStack.Daemon.Config;
using BgpStack.Rib;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>What a reload changes: peers added, removed, reset or updated in place, and the rest.</summary>
public class ConfigDiffTests
{
    private const string Head = "router-id: 198.18.0.1\nlocal-as: 65001\n";

    private const string Policies = """
        policies:
          a:
            statements:
              - action: accept
                set: { local-pref: 10 }
          b:
            default: reject

        """;

    private static DaemonConfig Parse(string yaml) => DaemonConfigFile.Parse(yaml, "t.yaml");

    private static DaemonConfig WithPeer(string extra, string head = Head) =>
        Parse(head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n" + extra + "  - address: 198.18.0.3\n    as: 65001\n" + Policies);

    [Fact]
    public void Identical_configurations_have_an_empty_diff()
    {
        var a = WithPeer("    import: a\n");
        var b = WithPeer("    import: a\n");
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.True(a.Diff(b).IsEmpty);
    }

    [Fact]
    public void Peers_are_matched_by_address_for_added_and_removed()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n  - address: 198.18.0.3\n    as: 65003\n");
        var after = Parse(Head + "peers:\n  - address: 198.18.0.3\n    as: 65003\n  - address: 198.18.0.4\n    as: 65004\n");
        var diff = before.Diff(after);
        Assert.Equal([IPAddress.Parse("198.18.0.4")], diff.AddedPeers.Select(p => p.Address));
        Assert.Equal([IPAddress.Parse("198.18.0.2")], diff.RemovedPeers.Select(p => p.Address));
        Assert.Empty(diff.ChangedPeers);
        Assert.Empty(diff.UpdatedPeers);
    }

    [Fact]
    public void Reordering_peers_changes_nothing_the_daemon_acts_on()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n  - address: 198.18.0.3\n    as: 65003\n");
        var after = Parse(Head + "peers:\n  - address: 198.18.0.3\n    as: 65003\n  - address: 198.18.0.2\n    as: 65002\n");
        Assert.True(before.Diff(after).IsEmpty);
    }

    public static TheoryData<string, string, string> ResetChanges => new()
    {
        { "", "    local-as: 65010\n", "local-as" },
        { "", "    port: 1179\n", "port" },
        { "", "    source-address: 198.18.0.1\n", "source-address" },
        { "    password: a\n", "    password: b\n", "password" },
        { "", "    ttl-security: true\n", "ttl-security" },
        { "", "    multihop: 2\n", "multihop" },
        { "", "    hold-time: 30\n", "hold-time" },
        { "", "    keepalive: 10\n", "keepalive" },
        { "", "    connect-retry: 9\n", "connect-retry" },
        { "", "    delay-open: 3\n", "delay-open" },
        { "", "    passive: true\n", "passive" },
        { "", "    shutdown: true\n", "shutdown" },
        { "", "    families: [ipv4-unicast]\n", "families" },
        { "", "    graceful-restart: false\n", "graceful-restart" },
        { "", "    graceful-restart: { restart-time: 60 }\n", "graceful-restart" },
        { "", "    add-path: receive\n", "add-path" },
        { "", "    extended-message: false\n", "extended-message" },
        { "", "    extended-next-hop: true\n", "extended-next-hop" },
    };

    [Theory]
    [MemberData(nameof(ResetChanges))]
    public void Session_settings_reset_the_peer(string before, string after, string key)
    {
        var diff = WithPeer(before).Diff(WithPeer(after));
        var change = Assert.Single(diff.ChangedPeers);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), change.New.Address);
        Assert.Contains(key, change.Settings);
        Assert.Empty(diff.UpdatedPeers);
        Assert.Empty(diff.AddedPeers);
        Assert.Empty(diff.RemovedPeers);
    }

    public static TheoryData<string, string, string> InPlaceChanges => new()
    {
        { "", "    description: tor-a\n", "description" },
        { "", "    import: a\n", "import" },
        { "    import: a\n", "    import: b\n", "import" },
        { "", "    export: b\n", "export" },
        { "", "    next-hop: self\n", "next-hop" },
        { "", "    allow-own-as: 1\n", "allow-own-as" },
        { "", "    max-prefix: { ipv4-unicast: 10 }\n", "max-prefix" },
        { "    max-prefix: { ipv4-unicast: 10 }\n", "    max-prefix: { ipv4-unicast: { limit: 10, action: warn } }\n", "max-prefix" },
    };

    [Theory]
    [MemberData(nameof(InPlaceChanges))]
    public void Other_settings_update_the_peer_in_place(string before, string after, string key)
    {
        var diff = WithPeer(before).Diff(WithPeer(after));
        var change = Assert.Single(diff.UpdatedPeers);
        Assert.Equal([key], change.Settings.ToArray());
        Assert.Empty(diff.ChangedPeers);
    }

    [Fact]
    public void Listing_the_same_families_in_another_order_changes_nothing()
    {
        var before = WithPeer("    families: [ipv4-unicast, ipv6-unicast]\n");
        var after = WithPeer("    families: [ipv6-unicast, ipv4-unicast]\n");
        Assert.True(before.Diff(after).IsEmpty);
    }

    [Fact]
    public void A_new_peer_as_resets_the_peer()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n");
        var after = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65009\n");
        Assert.Equal(["as"], Assert.Single(before.Diff(after).ChangedPeers).Settings.ToArray());
    }

    [Fact]
    public void Route_reflector_client_change_resets_the_ibgp_peer()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.3\n    as: 65001\n");
        var after = Parse(Head + "peers:\n  - address: 198.18.0.3\n    as: 65001\n    route-reflector-client: true\n");
        Assert.Equal(["route-reflector-client"], Assert.Single(before.Diff(after).ChangedPeers).Settings.ToArray());
    }

    [Fact]
    public void A_policy_body_change_updates_the_peers_using_it_and_asks_for_refresh_or_reexport()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    import: p\n  - address: 198.18.0.3\n    as: 65003\n    export: p\n  - address: 198.18.0.4\n    as: 65004\npolicies:\n  p: { default: accept }\n");
        var after = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    import: p\n  - address: 198.18.0.3\n    as: 65003\n    export: p\n  - address: 198.18.0.4\n    as: 65004\npolicies:\n  p: { default: reject }\n");
        var diff = before.Diff(after);
        Assert.Empty(diff.ChangedPeers);
        Assert.Equal(2, diff.UpdatedPeers.Length);
        var imported = diff.UpdatedPeers.Single(c => c.New.Address.Equals(IPAddress.Parse("198.18.0.2")));
        Assert.True(imported.NeedsReimport);
        Assert.False(imported.NeedsReexport);
        var exported = diff.UpdatedPeers.Single(c => c.New.Address.Equals(IPAddress.Parse("198.18.0.3")));
        Assert.True(exported.NeedsReexport);
        Assert.False(exported.NeedsReimport);
        Assert.Contains("198.18.0.3 (export)", exported.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_with_both_kinds_of_settings_is_a_reset_naming_all()
    {
        var diff = WithPeer("").Diff(WithPeer("    hold-time: 30\n    description: x\n"));
        Assert.Equal(["hold-time", "description"], Assert.Single(diff.ChangedPeers).Settings.ToArray());
        Assert.Empty(diff.UpdatedPeers);
    }

    [Fact]
    public void A_new_router_id_resets_every_peer()
    {
        var diff = WithPeer("").Diff(WithPeer("", "router-id: 198.18.0.9\nlocal-as: 65001\n"));
        Assert.Equal(["router-id"], diff.SpeakerChanges.ToArray());
        Assert.Equal(2, diff.ChangedPeers.Length);
        Assert.All(diff.ChangedPeers, c => Assert.Equal(["router-id"], c.Settings.ToArray()));
    }

    [Fact]
    public void A_new_local_as_resets_the_peers_without_their_own()
    {
        var before = Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n  - address: 198.18.0.3\n    as: 65003\n    local-as: 65100\n");
        var after = Parse("router-id: 198.18.0.1\nlocal-as: 65005\npeers:\n  - address: 198.18.0.2\n    as: 65002\n  - address: 198.18.0.3\n    as: 65003\n    local-as: 65100\n");
        var diff = before.Diff(after);
        Assert.Equal(["local-as"], diff.SpeakerChanges.ToArray());
        var change = Assert.Single(diff.ChangedPeers);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), change.New.Address);
        Assert.Equal(["local-as"], change.Settings.ToArray());
    }

    [Fact]
    public void A_new_cluster_id_reexports_to_ibgp_peers_only()
    {
        var diff = WithPeer("").Diff(WithPeer("", Head + "cluster-id: 198.18.0.100\n"));
        Assert.Equal(["cluster-id"], diff.SpeakerChanges.ToArray());
        var change = Assert.Single(diff.UpdatedPeers);
        Assert.Equal(IPAddress.Parse("198.18.0.3"), change.New.Address);
        Assert.True(change.NeedsReexport);
        Assert.Empty(diff.ChangedPeers);
    }

    [Fact]
    public void Listen_ecmp_and_dynamic_neighbors_are_speaker_changes()
    {
        var before = Parse(Head);
        Assert.Equal(["listen"], before.Diff(Parse(Head + "listen: [\"0.0.0.0:179\"]\n")).SpeakerChanges.ToArray());
        Assert.Equal(["ecmp"], before.Diff(Parse(Head + "ecmp: { max-paths: 2 }\n")).SpeakerChanges.ToArray());
        var ranges = Parse(Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n");
        Assert.Equal(["dynamic-neighbors"], before.Diff(ranges).SpeakerChanges.ToArray());
        var template = Parse(Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n    template: { hold-time: 30 }\n");
        Assert.Equal(["dynamic-neighbors"], ranges.Diff(template).SpeakerChanges.ToArray());
        Assert.True(ranges.Diff(Parse(Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n")).IsEmpty);
    }

    [Fact]
    public void Paths_need_a_daemon_restart()
    {
        var diff = Parse(Head).Diff(Parse(Head + "control-socket: /tmp/x.sock\nstate-dir: /tmp/state\n"));
        Assert.Equal(["control-socket", "state-dir"], diff.RestartRequired.ToArray());
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Static_routes_added_changed_and_removed()
    {
        var before = Parse(Head + "static-routes:\n  - prefix: 10.0.1.0/24\n  - prefix: 10.0.2.0/24\n    med: 1\n  - prefix: 10.0.3.0/24\n");
        var after = Parse(Head + "static-routes:\n  - prefix: 10.0.1.0/24\n  - prefix: 10.0.2.0/24\n    med: 2\n  - prefix: 10.0.4.0/24\n");
        var diff = before.Diff(after);
        Assert.Equal([IpPrefix.Parse("10.0.2.0/24"), IpPrefix.Parse("10.0.4.0/24")], diff.AddedStaticRoutes.Select(r => r.Prefix));
        Assert.Equal(2u, diff.AddedStaticRoutes[0].Attributes.MultiExitDisc);
        Assert.Equal([IpPrefix.Parse("10.0.3.0/24")], diff.RemovedStaticRoutes.ToArray());
    }

    [Fact]
    public void Kernel_changes_are_flagged()
    {
        var diff = Parse(Head).Diff(Parse(Head + "kernel: {}\n"));
        Assert.True(diff.KernelChanged);
        Assert.False(Parse(Head + "kernel: { metric: 5 }\n").Diff(Parse(Head + "kernel: { metric: 5 }\n")).KernelChanged);
        Assert.True(Parse(Head + "kernel: { metric: 5 }\n").Diff(Parse(Head + "kernel: { metric: 6 }\n")).KernelChanged);
    }

    [Fact]
    public void The_documented_split_of_settings_is_the_implemented_one()
    {
        Assert.Equal(
            ["address", "as", "local-as", "port", "source-address", "password", "ttl-security", "multihop", "hold-time", "keepalive",
             "connect-retry", "delay-open", "idle-hold", "passive", "shutdown", "route-reflector-client", "families", "graceful-restart", "add-path",
             "extended-message", "extended-next-hop", "required-capabilities"],
            BgpStack.Bgp.Speaker.PeerSettings.ResetKeys.ToArray());
        Assert.Equal(["description", "import", "allow-own-as", "export", "next-hop", "max-prefix"], BgpStack.Bgp.Speaker.PeerSettings.InPlaceKeys.ToArray());
    }

    [Fact]
    public void The_speakers_clock_and_logger_are_not_part_of_equality()
    {
        var config = Parse(Head);
        var withTime = config with { Speaker = config.Speaker with { Time = new FixedTime() } };
        Assert.Equal(config, withTime);
        Assert.True(config.Diff(withTime).IsEmpty);
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;
    }
}
