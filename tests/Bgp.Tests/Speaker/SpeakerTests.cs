using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Speaker;
using Xunit.Abstractions;

namespace BgpStack.Bgp.Tests.Speaker;

/// <summary>Whole speakers talking over loopback (127.0.0.x in this namespace, ephemeral ports).</summary>
public sealed class SpeakerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly List<BgpSpeaker> speakers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var speaker in speakers)
        {
            await speaker.DisposeAsync();
        }
    }

    private async Task<BgpSpeaker> StartAsync(int node, uint asn, params PeerOptions[] peers)
    {
        var speaker = new BgpSpeaker(new BgpSpeakerOptions
        {
            RouterId = RouterId.Parse($"198.18.0.{node}"),
            LocalAs = asn,
            Listen = [new IPEndPoint(Loopback(node), 0)],
            Peers = [.. peers],
            LoggerFactory = new TestOutputLoggerFactory(output, $"node{node}"),
        });
        speakers.Add(speaker);
        await speaker.StartAsync();
        return speaker;
    }

    private static IPAddress Loopback(int node) => IPAddress.Parse($"127.0.0.{node}");

    // The active side dials the passive side's listener; timers short so tests stay quick.
    private static PeerOptions Peer(int node, uint asn, int port = 179, bool passive = false, bool client = false, int from = 0) => new()
    {
        Address = Loopback(node),
        SourceAddress = from == 0 ? null : Loopback(from),
        RemoteAs = asn,
        Port = port,
        Passive = passive,
        RouteReflectorClient = client,
        ConnectRetryTime = TimeSpan.FromMilliseconds(200),
        IdleHoldTime = TimeSpan.FromMilliseconds(100),
        MaxIdleHoldTime = TimeSpan.FromMilliseconds(400),
        GracefulRestart = null,
    };

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        T value;
        do
        {
            value = await probe();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{what} did not happen within {Patience.TotalSeconds} s; last seen: {(value is System.Collections.IEnumerable items and not string ? string.Join("; ", items.Cast<object>()) : value)}");
        return value;
    }

    private static Task<ImmutableArray<PeerStatus>> EstablishedAsync(BgpSpeaker speaker, int count) =>
        EventuallyAsync(() => speaker.GetPeersAsync(), peers => peers.Count(p => p.State == SessionState.Established) == count, $"{count} sessions established");

    private static Task<PrefixSnapshot?> RouteAsync(BgpSpeaker speaker, string prefix, bool present = true) =>
        EventuallyAsync(() => speaker.Rib.GetPrefixAsync(IpPrefix.Parse(prefix)), snapshot => (snapshot?.Best is not null) == present, $"{prefix} {(present ? "present" : "absent")}");

    private async Task<(BgpSpeaker A, BgpSpeaker B)> PairAsync(uint asA, uint asB)
    {
        var a = await StartAsync(1, asA, Peer(2, asB, passive: true));
        var port = a.ListenEndPoints[0].Port;
        var b = await StartAsync(2, asB, Peer(1, asA, port: port, from: 2));
        await EstablishedAsync(a, 1);
        await EstablishedAsync(b, 1);
        return (a, b);
    }

    [Fact]
    public async Task Ebgp_routes_flow_with_as_path_prepended_and_next_hop_self()
    {
        var (a, b) = await PairAsync(65001, 65002);
        var community = Community.Create(65001, 100);
        await a.OriginateAsync(IpPrefix.Parse("10.0.0.0/24"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, Communities = [community], MultiExitDisc = 7 });

        var route = await RouteAsync(b, "10.0.0.0/24");
        var attributes = route!.Best!.Value.Attributes;
        Assert.Equal(AsPath.FromSequence(65001), attributes.AsPath);
        Assert.Equal(Loopback(1), attributes.NextHop);
        Assert.Equal([community], attributes.Communities.AsSpan().ToArray());
        Assert.Equal(7u, attributes.MultiExitDisc);
        Assert.Null(attributes.LocalPref);

        await a.WithdrawAsync(IpPrefix.Parse("10.0.0.0/24"));
        await RouteAsync(b, "10.0.0.0/24", present: false);
    }

    [Fact]
    public async Task Ibgp_carries_local_pref_and_keeps_the_next_hop()
    {
        var (a, b) = await PairAsync(65001, 65001);
        await a.OriginateAsync(IpPrefix.Parse("2001:db8:7::/48"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, LocalPref = 250, NextHop = IPAddress.Parse("2001:db8::99") });

        var attributes = (await RouteAsync(b, "2001:db8:7::/48"))!.Best!.Value.Attributes;
        Assert.Equal(250u, attributes.LocalPref);
        Assert.True(attributes.AsPath!.IsEmpty);
        Assert.Equal(IPAddress.Parse("2001:db8::99"), attributes.NextHop);
    }

    [Fact]
    public async Task A_stopped_peer_takes_its_routes_with_it()
    {
        var (a, b) = await PairAsync(65001, 65002);
        await b.OriginateAsync(IpPrefix.Parse("10.5.0.0/16"));
        await RouteAsync(a, "10.5.0.0/16");

        await b.StopAsync();
        await RouteAsync(a, "10.5.0.0/16", present: false);
        var peer = Assert.Single(await a.GetPeersAsync());
        Assert.NotEqual(SessionState.Established, peer.State);
        Assert.Equal(1, peer.Flaps);
    }

    [Fact]
    public async Task Route_reflector_reflects_client_routes_with_originator_and_cluster_list()
    {
        var reflector = await StartAsync(1, 65000, Peer(2, 65000, passive: true, client: true), Peer(3, 65000, passive: true, client: true));
        var port = reflector.ListenEndPoints[0].Port;
        var client2 = await StartAsync(2, 65000, Peer(1, 65000, port: port, from: 2));
        var client3 = await StartAsync(3, 65000, Peer(1, 65000, port: port, from: 3));
        await EstablishedAsync(reflector, 2);

        await client2.OriginateAsync(IpPrefix.Parse("10.2.0.0/16"));
        var attributes = (await RouteAsync(client3, "10.2.0.0/16"))!.Best!.Value.Attributes;
        Assert.Equal(RouterId.Parse("198.18.0.2"), attributes.OriginatorId);
        Assert.Equal([RouterId.Parse("198.18.0.1")], attributes.ClusterList.AsSpan().ToArray());
        Assert.Equal(Loopback(2), attributes.NextHop);

        // The originating client does not get its own route back.
        var own = await client2.Rib.GetPrefixAsync(IpPrefix.Parse("10.2.0.0/16"));
        Assert.Single(own!.Paths);
    }

    [Fact]
    public async Task Max_prefix_teardown_sends_cease_and_drops_the_routes()
    {
        var a = await StartAsync(1, 65001, Peer(2, 65002, passive: true) with
        {
            MaxPrefix = ImmutableDictionary<BgpStack.Bgp.Wire.AfiSafi, MaxPrefixLimit>.Empty.Add(BgpStack.Bgp.Wire.AfiSafi.Ipv4Unicast, new MaxPrefixLimit(2)),
        });
        var b = await StartAsync(2, 65002, Peer(1, 65001, port: a.ListenEndPoints[0].Port, from: 2));
        await EstablishedAsync(a, 1);
        for (var i = 0; i < 3; i++)
        {
            await b.OriginateAsync(IpPrefix.Parse($"10.{i}.0.0/16"));
        }

        var peer = await EventuallyAsync(async () => Assert.Single(await a.GetPeersAsync()), p => p.LastError?.Contains("Maximum Number of Prefixes", StringComparison.Ordinal) == true, "max-prefix teardown");
        Assert.NotEqual(SessionState.Established, peer.State);
        await RouteAsync(a, "10.0.0.0/16", present: false);
    }

    [Fact]
    public async Task Apply_adds_and_removes_peers_without_touching_others()
    {
        var (a, b) = await PairAsync(65001, 65002);
        var c = await StartAsync(3, 65003, Peer(1, 65001, port: a.ListenEndPoints[0].Port, from: 3));
        await a.ApplyAsync(a.Options with { Peers = [.. a.Options.Peers, Peer(3, 65003, passive: true)] });
        await EstablishedAsync(a, 2);
        var before = (await a.GetPeersAsync()).Single(p => p.Address.Equals(Loopback(2)));

        await a.ApplyAsync(a.Options with { Peers = [a.Options.Peers[0]] });
        var after = Assert.Single(await a.GetPeersAsync());
        Assert.Equal(Loopback(2), after.Address);
        Assert.Equal(SessionState.Established, after.State);
        Assert.Equal(before.Since, after.Since);
        await EventuallyAsync(() => c.GetPeersAsync(), p => p[0].State != SessionState.Established, "peer 3 dropped");
        Assert.NotNull(b);
    }

    [Fact]
    public async Task Graceful_restart_keeps_routes_stale_across_a_restart_and_sweeps_what_did_not_come_back()
    {
        var a = await StartAsync(1, 65001, Peer(2, 65002, passive: true) with { GracefulRestart = GracefulRestartOptions.Default });
        var port = a.ListenEndPoints[0].Port;
        var restartable = Peer(1, 65001, port: port, from: 2) with { GracefulRestart = GracefulRestartOptions.Default };
        var b = await StartAsync(2, 65002, restartable);
        await EstablishedAsync(a, 1);
        await b.OriginateAsync(IpPrefix.Parse("10.5.0.0/16"));
        await b.OriginateAsync(IpPrefix.Parse("10.6.0.0/16"));
        await RouteAsync(a, "10.6.0.0/16");

        // A restart closes the session without a NOTIFICATION: the helper keeps the routes as stale.
        await b.StopForRestartAsync();
        var stale = await EventuallyAsync(() => a.Rib.GetPrefixAsync(IpPrefix.Parse("10.5.0.0/16")), p => p?.Paths.Any(x => x.IsStale) == true, "routes marked stale");
        Assert.NotNull(stale!.Best);

        // The restarted speaker defers its advertisement until End-of-RIB, then sends only 10.5/16.
        var again = new BgpSpeaker(b.Options with { Restarting = true, LoggerFactory = new TestOutputLoggerFactory(output, "node2'") });
        speakers.Add(again);
        await again.StartAsync();
        await again.OriginateAsync(IpPrefix.Parse("10.5.0.0/16"));
        await RouteAsync(a, "10.6.0.0/16", present: false);
        var kept = await EventuallyAsync(() => a.Rib.GetPrefixAsync(IpPrefix.Parse("10.5.0.0/16")), p => p?.Paths.Length == 1 && !p.Paths[0].IsStale, "10.5/16 refreshed");
        Assert.Equal(AsPath.FromSequence(65002), kept!.Best!.Value.Attributes.AsPath);
    }

    [Fact]
    public async Task A_shut_down_peer_has_no_session_until_it_is_turned_back_on_and_shutting_it_down_sends_administrative_shutdown()
    {
        // A is passive toward B and administratively down: B's connections are refused.
        var a = await StartAsync(1, 65001, Peer(2, 65002, passive: true) with { Shutdown = true });
        var b = await StartAsync(2, 65002, Peer(1, 65001, port: a.ListenEndPoints[0].Port, from: 2));
        await b.OriginateAsync(IpPrefix.Parse("10.8.0.0/16"));
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        var down = Assert.Single(await a.GetPeersAsync());
        Assert.True(down.Shutdown);
        Assert.Equal(SessionState.Idle, down.State);
        Assert.Equal("Administratively down", down.Info);
        Assert.NotEqual(SessionState.Established, Assert.Single(await b.GetPeersAsync()).State);

        // Turned on: the session comes up and routes flow.
        await a.ApplyAsync(a.Options with { Peers = [a.Options.Peers[0] with { Shutdown = false }] });
        await EstablishedAsync(a, 1);
        await RouteAsync(a, "10.8.0.0/16");
        Assert.False(Assert.Single(await a.GetPeersAsync()).Shutdown);

        // Shut down again: B hears a Cease / Administrative Shutdown and A drops B's routes.
        await a.ApplyAsync(a.Options with { Peers = [a.Options.Peers[0] with { Shutdown = true }] });
        await RouteAsync(a, "10.8.0.0/16", present: false);
        var told = await EventuallyAsync(() => b.GetPeersAsync(), peers => peers.Single().LastError?.Contains("Administrative", StringComparison.OrdinalIgnoreCase) == true, "B told of the shutdown");
        Assert.NotEqual(SessionState.Established, told.Single().State);
        Assert.True(Assert.Single(await a.GetPeersAsync()).Shutdown);
    }

    [Fact]
    public async Task A_peer_removed_from_configuration_gets_a_hard_reset_and_loses_our_routes_at_once()
    {
        var a = await StartAsync(1, 65001, Peer(2, 65002, passive: true) with { GracefulRestart = GracefulRestartOptions.Default });
        var b = await StartAsync(2, 65002, Peer(1, 65001, port: a.ListenEndPoints[0].Port, from: 2) with { GracefulRestart = GracefulRestartOptions.Default });
        await EstablishedAsync(b, 1);
        await a.OriginateAsync(IpPrefix.Parse("10.7.0.0/16"));
        await RouteAsync(b, "10.7.0.0/16");

        await a.ApplyAsync(a.Options with { Peers = [] });
        await RouteAsync(b, "10.7.0.0/16", present: false);
    }

    [Fact]
    public async Task A_dynamic_neighbour_in_range_is_accepted_and_one_outside_the_as_range_is_refused()
    {
        var template = new PeerOptions { Address = IPAddress.Any, RemoteAs = 1, GracefulRestart = null, HoldTime = TimeSpan.FromSeconds(30) };
        var a = new BgpSpeaker(new BgpSpeakerOptions
        {
            RouterId = RouterId.Parse("198.18.0.1"),
            LocalAs = 65001,
            Listen = [new IPEndPoint(Loopback(1), 0)],
            DynamicNeighbors = [new DynamicNeighborRange(IpPrefix.Parse("127.0.0.0/29"), 65100, 65199, template)],
            LoggerFactory = new TestOutputLoggerFactory(output, "node1"),
        });
        speakers.Add(a);
        await a.StartAsync();
        var port = a.ListenEndPoints[0].Port;
        var inside = await StartAsync(2, 65150, Peer(1, 65001, port: port, from: 2));
        await EstablishedAsync(inside, 1);
        var status = Assert.Single(await a.GetPeersAsync());
        Assert.True(status.Dynamic);
        Assert.Equal(65150u, status.RemoteAs);

        var outside = await StartAsync(3, 65300, Peer(1, 65001, port: port, from: 3));
        var refused = await EventuallyAsync(async () => Assert.Single(await outside.GetPeersAsync()), p => p.LastError is not null, "the out-of-range peer refused");
        Assert.NotEqual(SessionState.Established, refused.State);
        Assert.Contains("Bad Peer AS", refused.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Making_a_peer_a_client_at_run_time_resets_only_its_session_and_starts_reflection()
    {
        var reflector = await StartAsync(1, 65000, Peer(2, 65000, passive: true), Peer(3, 65000, passive: true));
        var port = reflector.ListenEndPoints[0].Port;
        var two = await StartAsync(2, 65000, Peer(1, 65000, port: port, from: 2));
        var three = await StartAsync(3, 65000, Peer(1, 65000, port: port, from: 3));
        await EstablishedAsync(reflector, 2);
        await two.OriginateAsync(IpPrefix.Parse("10.2.0.0/16"));
        await RouteAsync(reflector, "10.2.0.0/16");
        Assert.Null(await three.Rib.GetPrefixAsync(IpPrefix.Parse("10.2.0.0/16")));
        var since = (await reflector.GetPeersAsync()).Single(p => p.Address.Equals(Loopback(2))).Since;

        await reflector.ApplyAsync(reflector.Options with { Peers = [reflector.Options.Peers[0], reflector.Options.Peers[1] with { RouteReflectorClient = true }] });
        var reflected = (await RouteAsync(three, "10.2.0.0/16"))!.Best!.Value.Attributes;
        Assert.Equal(RouterId.Parse("198.18.0.2"), reflected.OriginatorId);
        // The client flag travels with the peer's routes (their source), so that peer's session is
        // reset (as FRR does); the other peer's session is untouched.
        Assert.Equal(since, (await reflector.GetPeersAsync()).Single(p => p.Address.Equals(Loopback(2))).Since);
    }
}
