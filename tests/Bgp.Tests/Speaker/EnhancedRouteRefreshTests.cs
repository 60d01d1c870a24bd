using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Tests.Sessions;
using BgpStack.Bgp.Wire;
using Xunit.Abstractions;

namespace BgpStack.Bgp.Tests.Speaker;

/// <summary>
/// Enhanced route refresh (RFC 7313) between a speaker and a hand-driven iBGP peer over loopback
/// (127.0.0.21 listens on an ephemeral port, the raw peer connects from 127.0.0.22).
/// </summary>
public sealed class EnhancedRouteRefreshTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const uint Asn = 65001;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StalePathTime = TimeSpan.FromSeconds(30);
    private static readonly IPAddress SpeakerAddress = IPAddress.Parse("127.0.0.21");
    private static readonly IPAddress PeerAddress = IPAddress.Parse("127.0.0.22");
    private static readonly string V4 = AfiSafi.Ipv4Unicast.ToString();
    private static readonly string V6 = AfiSafi.Ipv6Unicast.ToString();
    private readonly List<IAsyncDisposable> owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(owned))
        {
            await item.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_refresh_request_gets_borr_the_routes_then_eorr_for_each_family_re_sent()
    {
        var (_, peer) = await ConnectAsync(enhanced: true, originate: true);
        var initial = await ReadUntilAsync(peer, seen => seen.Contains($"EoR {V4}") && seen.Contains($"EoR {V6}"));
        Assert.DoesNotContain(initial, m => m.StartsWith("BeginningOfRouteRefresh", StringComparison.Ordinal));

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast));
        var refresh = await ReadUntilAsync(peer, seen => seen.Contains($"EndOfRouteRefresh {V4}") && seen.Contains($"EndOfRouteRefresh {V6}"));

        // RFC 7313 §4: BoRR, the family's routes, EoRR, in that order; no End-of-RIB this time.
        Assert.True(refresh.IndexOf($"BeginningOfRouteRefresh {V4}") < refresh.IndexOf("route 10.0.0.0/24"), string.Join(", ", refresh));
        Assert.True(refresh.IndexOf("route 10.0.0.0/24") < refresh.IndexOf($"EndOfRouteRefresh {V4}"), string.Join(", ", refresh));
        Assert.True(refresh.IndexOf($"BeginningOfRouteRefresh {V6}") < refresh.IndexOf("route 2001:db8:7::/48"), string.Join(", ", refresh));
        Assert.True(refresh.IndexOf("route 2001:db8:7::/48") < refresh.IndexOf($"EndOfRouteRefresh {V6}"), string.Join(", ", refresh));
        Assert.Single(refresh, $"BeginningOfRouteRefresh {V4}");
        Assert.DoesNotContain(refresh, m => m.StartsWith("EoR ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_enhanced_route_refresh_a_request_gets_the_routes_and_end_of_rib_but_no_borr_or_eorr()
    {
        var (_, peer) = await ConnectAsync(enhanced: false, originate: true);
        await ReadUntilAsync(peer, seen => seen.Contains($"EoR {V4}") && seen.Contains($"EoR {V6}"));

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast));
        var refresh = await ReadUntilAsync(peer, seen => seen.Contains($"EoR {V4}") && seen.Contains($"EoR {V6}"));

        Assert.Contains("route 10.0.0.0/24", refresh);
        Assert.DoesNotContain(refresh, m => m.Contains("RouteRefresh", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_export_policy_change_withdraws_what_the_new_policy_rejects(bool enhanced)
    {
        var (speaker, peer) = await ConnectAsync(enhanced, originate: true);
        await speaker.OriginateAsync(IpPrefix.Parse("10.0.1.0/24"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = SpeakerAddress });
        await ReadUntilAsync(peer, seen => seen.Contains($"EoR {V4}") && seen.Contains($"EoR {V6}") && seen.Contains("route 10.0.1.0/24"));

        // The export side restarts with a new update group, which never sent 10.0.0.0/24 itself.
        var rejecting = new RejectPrefix(IpPrefix.Parse("10.0.0.0/24"));
        await speaker.ApplyAsync(speaker.Options with { Peers = [speaker.Options.Peers[0] with { ExportPolicy = rejecting }] });
        var end = enhanced ? $"EndOfRouteRefresh {V4}" : $"EoR {V4}";
        var after = await ReadUntilAsync(peer, seen => seen.Contains(end) && seen.Contains("withdraw 10.0.0.0/24"));

        Assert.Contains("route 10.0.1.0/24", after);
        Assert.DoesNotContain("route 10.0.0.0/24", after);
        Assert.True(after.IndexOf("route 10.0.1.0/24") < after.IndexOf("withdraw 10.0.0.0/24"), string.Join(", ", after));
    }

    private sealed class RejectPrefix(IpPrefix rejected) : BgpStack.Bgp.Speaker.Policy.IRoutePolicy
    {
        public PathAttributes? Apply(IpPrefix prefix, PathAttributes attributes, in BgpStack.Bgp.Speaker.Policy.PolicyPeer peer) =>
            prefix == rejected ? null : attributes;
    }

    [Fact]
    public async Task A_peers_borr_partial_re_advertisement_and_eorr_leave_exactly_the_re_advertised_routes_of_that_family()
    {
        var (speaker, peer) = await ConnectAsync(enhanced: true, originate: false);
        await AnnounceAsync(peer, "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24", "2001:db8:1::/48", "2001:db8:2::/48");
        await PrefixAsync(speaker, "2001:db8:2::/48", p => p is not null);

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        var stale = await PrefixAsync(speaker, "10.1.0.0/24", p => p?.Paths.Single().IsStale == true);
        Assert.NotNull(stale!.Best);
        Assert.False((await speaker.Rib.GetPrefixAsync(IpPrefix.Parse("2001:db8:1::/48")))!.Paths.Single().IsStale);

        await AnnounceAsync(peer, "10.1.1.0/24");
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.EndOfRouteRefresh));
        await PrefixAsync(speaker, "10.1.0.0/24", p => p is null);

        var table = await speaker.Rib.GetTableAsync();
        Assert.Equal(["10.1.1.0/24", "2001:db8:1::/48", "2001:db8:2::/48"], table.Select(s => s.Prefix.ToString()).Order());
        Assert.All(table, s => Assert.False(s.Paths.Single().IsStale));
    }

    [Fact]
    public async Task A_second_borr_before_the_eorr_marks_the_family_stale_again()
    {
        var (speaker, peer) = await ConnectAsync(enhanced: true, originate: false);
        await AnnounceAsync(peer, "10.2.0.0/24", "10.2.1.0/24", "2001:db8:1::/48");
        await PrefixAsync(speaker, "2001:db8:1::/48", p => p is not null);

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        await AnnounceAsync(peer, "10.2.0.0/24");
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        await AnnounceAsync(peer, "10.2.1.0/24");
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.EndOfRouteRefresh));

        await PrefixAsync(speaker, "10.2.0.0/24", p => p is null);
        var table = await speaker.Rib.GetTableAsync();
        Assert.Equal(["10.2.1.0/24", "2001:db8:1::/48"], table.Select(s => s.Prefix.ToString()).Order());
    }

    [Fact]
    public async Task Stale_routes_of_a_refresh_without_eorr_are_purged_after_the_stale_path_time()
    {
        var time = new ManualTimeProvider();
        var (speaker, peer) = await ConnectAsync(enhanced: true, originate: false, time, StalePathTime);
        await AnnounceAsync(peer, "10.3.0.0/24", "10.3.1.0/24", "2001:db8:3::/48");
        await PrefixAsync(speaker, "2001:db8:3::/48", p => p is not null);

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv6Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        await PrefixAsync(speaker, "2001:db8:3::/48", p => p?.Paths.Single().IsStale == true);
        time.Advance(StalePathTime - TimeSpan.FromSeconds(1));
        await speaker.Rib.FlushAsync();
        Assert.NotNull(await speaker.Rib.GetPrefixAsync(IpPrefix.Parse("2001:db8:3::/48")));

        time.Advance(TimeSpan.FromSeconds(1));
        await PrefixAsync(speaker, "2001:db8:3::/48", p => p is null);

        var table = await speaker.Rib.GetTableAsync();
        Assert.Equal(["10.3.0.0/24", "10.3.1.0/24"], table.Select(s => s.Prefix.ToString()).Order());
        Assert.All(table, s => Assert.False(s.Paths.Single().IsStale));
    }

    [Fact]
    public async Task A_session_lost_mid_refresh_leaves_the_routes_to_graceful_restart_and_stops_the_refresh_timer()
    {
        var time = new ManualTimeProvider();
        var (speaker, peer) = await ConnectAsync(enhanced: true, originate: false, time, StalePathTime, gracefulRestart: true);
        await AnnounceAsync(peer, "10.4.0.0/24", "2001:db8:4::/48");
        await PrefixAsync(speaker, "2001:db8:4::/48", p => p is not null);
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh));
        await PrefixAsync(speaker, "10.4.0.0/24", p => p?.Paths.Single().IsStale == true);

        // The connection drops without a NOTIFICATION: the helper keeps every family stale for the
        // peer's 120 s restart time, and the refresh's purge after the stale-path time no longer applies.
        owned.Remove(peer);
        await peer.DisposeAsync();
        await PrefixAsync(speaker, "2001:db8:4::/48", p => p?.Paths.Single().IsStale == true);
        time.Advance(StalePathTime + TimeSpan.FromSeconds(1));
        await speaker.Rib.FlushAsync();
        var table = await speaker.Rib.GetTableAsync();
        Assert.Equal(["10.4.0.0/24", "2001:db8:4::/48"], table.Select(s => s.Prefix.ToString()).Order());
    }

    private async Task<(BgpSpeaker Speaker, RawPeer Peer)> ConnectAsync(bool enhanced, bool originate, TimeProvider? time = null, TimeSpan? stalePathTime = null, bool gracefulRestart = false)
    {
        var speaker = new BgpSpeaker(new BgpSpeakerOptions
        {
            RouterId = RouterId.Parse("198.18.0.21"),
            LocalAs = Asn,
            Listen = [new IPEndPoint(SpeakerAddress, 0)],
            Peers =
            [
                new PeerOptions
                {
                    Address = PeerAddress,
                    RemoteAs = Asn,
                    Passive = true,
                    GracefulRestart = stalePathTime is { } staleTime ? new GracefulRestartOptions { StalePathTime = staleTime } : null,
                },
            ],
            LoggerFactory = new TestOutputLoggerFactory(output, "speaker"),
            Time = time ?? TimeProvider.System,
        });
        owned.Add(speaker);
        await speaker.StartAsync();
        if (originate)
        {
            await speaker.OriginateAsync(IpPrefix.Parse("10.0.0.0/24"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = SpeakerAddress });
            await speaker.OriginateAsync(IpPrefix.Parse("2001:db8:7::/48"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("2001:db8::99") });
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(PeerAddress, 0));
        await socket.ConnectAsync(speaker.ListenEndPoints[0]).WaitAsync(Patience);
        var peer = new RawPeer(socket);
        owned.Add(peer);

        var capabilities = new List<Capability>
        {
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
            new RouteRefreshCapability(),
            new FourOctetAsCapability(Asn),
        };
        if (enhanced)
        {
            capabilities.Add(new EnhancedRouteRefreshCapability());
        }

        if (gracefulRestart)
        {
            GracefulRestartFamily[] preserved = [new(AfiSafi.Ipv4Unicast, true), new(AfiSafi.Ipv6Unicast, true)];
            capabilities.Add(new GracefulRestartCapability(false, true, 120, preserved.ToEquatableArray()));
        }

        await peer.ReadAsync<OpenMessage>();
        await peer.SendAsync(OpenMessage.Create(Asn, 90, RouterId.Parse("198.18.0.22"), capabilities));
        await peer.SendAsync(KeepaliveMessage.Instance);
        await peer.ReadAsync<KeepaliveMessage>();
        return (speaker, peer);
    }

    private static async Task AnnounceAsync(RawPeer peer, params string[] prefixes)
    {
        var parsed = prefixes.Select(IpPrefix.Parse).ToArray();
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, LocalPref = 100, NextHop = PeerAddress };
        var v4 = parsed.Where(p => !p.IsIPv6).Select(p => new Nlri(p)).ToArray();
        var v6 = parsed.Where(p => p.IsIPv6).Select(p => new Nlri(p)).ToArray();
        if (v4.Length > 0)
        {
            await peer.SendAsync(new UpdateMessage { Attributes = attributes, Nlri = [.. v4] });
        }

        if (v6.Length > 0)
        {
            await peer.SendAsync(new UpdateMessage
            {
                Attributes = attributes with { NextHop = null },
                MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::22"), null, v6),
            });
        }
    }

    private static async Task<PrefixSnapshot?> PrefixAsync(BgpSpeaker speaker, string prefix, Func<PrefixSnapshot?, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        PrefixSnapshot? snapshot;
        do
        {
            snapshot = await speaker.Rib.GetPrefixAsync(IpPrefix.Parse(prefix));
            if (done(snapshot))
            {
                return snapshot;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{prefix} did not reach the expected state within {Patience.TotalSeconds} s; last seen: {snapshot}");
        return snapshot;
    }

    // Reads messages (skipping KEEPALIVEs) as short descriptions until `done` holds: "route P",
    // "withdraw P", "EoR FAMILY" for End-of-RIB, "SUBTYPE FAMILY" for a ROUTE-REFRESH.
    private static async Task<List<string>> ReadUntilAsync(RawPeer peer, Func<List<string>, bool> done)
    {
        var seen = new List<string>();
        for (var i = 0; i < 200 && !done(seen); i++)
        {
            switch (await peer.ReadAsync())
            {
                case null:
                    Assert.Fail($"the speaker closed the connection; seen: {string.Join(", ", seen)}");
                    break;
                case UpdateMessage update when update.IsEndOfRib(out var family):
                    seen.Add($"EoR {family}");
                    break;
                case UpdateMessage update:
                    seen.AddRange(update.Nlri.AsSpan().ToArray().Concat(update.MpReach?.Nlri.AsSpan().ToArray() ?? []).Select(n => $"route {n.Prefix}"));
                    seen.AddRange(update.WithdrawnRoutes.AsSpan().ToArray().Concat(update.MpUnreach?.Nlri.AsSpan().ToArray() ?? []).Select(n => $"withdraw {n.Prefix}"));
                    break;
                case RouteRefreshMessage refresh:
                    seen.Add($"{refresh.Subtype} {refresh.Family}");
                    break;
                default:
                    break;
            }
        }

        Assert.True(done(seen), string.Join(", ", seen));
        return seen;
    }
}
