using System.Collections.Concurrent;
using System.Net.Sockets;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;
using static BgpStack.Rib.Tests.Looping.LoopHarness;

namespace BgpStack.Rib.Tests.Looping;

public class RibLoopTests
{
    private static readonly RouteSource PeerA = Peer(1);
    private static readonly RouteSource PeerB = Peer(2);
    private static readonly IpPrefix Net = Prefix("10.1.0.0/16");

    [Fact]
    public async Task Announce_and_withdraw_move_the_best_path_and_publish_each_move()
    {
        await using var rib = await StartAsync();
        await rib.PostAsync(Announce(PeerA, Attributes(localPref: 100), Net));
        Assert.Equal(PeerA, rib.View[Net].Best!.Value.Source);
        Assert.Equal(DecisionReason.OnlyPath, rib.View[Net].Reason);

        await rib.PostAsync(Announce(PeerB, Attributes(localPref: 200), Net));
        Assert.Equal(PeerB, rib.View[Net].Best!.Value.Source);
        Assert.Equal(DecisionReason.LocalPref, rib.View[Net].Reason);

        await rib.PostAsync(Withdraw(PeerB, Net));
        Assert.Equal(PeerA, rib.View[Net].Best!.Value.Source);

        await rib.PostAsync(Withdraw(PeerA, Net));
        Assert.False(rib.View.ContainsKey(Net));
        Assert.Equal([false, false, false, true], rib.Received.Select(c => c.IsWithdrawn));
        Assert.Null(await rib.Loop.GetPrefixAsync(Net));
    }

    [Fact]
    public async Task Only_real_changes_to_the_best_path_or_multipath_set_are_published()
    {
        await using var rib = await StartAsync();
        await rib.PostAsync(Announce(PeerA, Attributes(localPref: 200), Net), Announce(PeerB, Attributes(localPref: 100), Net));
        var before = rib.Received.Count;

        // The same attributes again, a change to the losing path, a withdrawal of something absent.
        await rib.PostAsync(
            Announce(PeerA, Attributes(localPref: 200), Net),
            Announce(PeerB, Attributes(localPref: 150), Net),
            Withdraw(PeerB, Prefix("10.9.0.0/16")));
        Assert.Equal(before, rib.Received.Count);

        await rib.PostAsync(Announce(PeerA, Attributes(localPref: 200, med: 5), Net));
        Assert.Equal(before + 1, rib.Received.Count);
        Assert.Equal(5u, rib.View[Net].Best!.Value.Attributes.MultiExitDisc);
    }

    [Fact]
    public async Task Removing_a_source_withdraws_or_moves_every_prefix_it_had()
    {
        await using var rib = await StartAsync();
        var prefixes = Enumerable.Range(0, 100).Select(Slash24).ToArray();
        await rib.PostAsync(
            Announce(PeerA, Attributes(localPref: 200), prefixes),
            Announce(PeerB, Attributes(localPref: 100), prefixes[..50]));
        Assert.All(prefixes, p => Assert.Equal(PeerA, rib.View[p].Best!.Value.Source));
        var statistics = await rib.Loop.GetStatisticsAsync();
        Assert.Equal((100, 150, 2, 1), (statistics.Prefixes, statistics.Paths, statistics.AttributeSets, statistics.Subscribers));

        await rib.PostAsync(new SourceRemoval(PeerA));
        Assert.Equal(50, rib.View.Count);
        Assert.All(prefixes[..50], p => Assert.Equal(PeerB, rib.View[p].Best!.Value.Source));
        Assert.Empty((await rib.Loop.GetTableAsync()).Where(s => s.Paths.Any(p => p.Path.Source == PeerA)));
        statistics = await rib.Loop.GetStatisticsAsync();
        Assert.Equal((50, 50, 1), (statistics.Prefixes, statistics.Paths, statistics.AttributeSets));
    }

    [Fact]
    public async Task Stale_paths_stay_in_use_until_end_of_rib_sweeps_those_not_refreshed()
    {
        await using var rib = await StartAsync();
        var kept = Slash24(1);
        var gone = Slash24(2);
        var v6 = Prefix("2001:db8:1::/48");
        await rib.PostAsync(Announce(PeerA, Attributes(), kept, gone, v6), Announce(PeerB, Attributes(localPref: 50), gone));
        var received = rib.Received.Count;

        await rib.PostAsync(new StaleMark(PeerA));
        Assert.Equal(received, rib.Received.Count);
        var stale = await rib.Loop.GetPrefixAsync(gone);
        Assert.True(stale!.Paths.Single(p => p.Path.Source == PeerA).IsStale);
        Assert.Equal(PeerA, stale.Best!.Value.Source);

        // The restarted peer refreshes one route, then sends End-of-RIB for IPv4 only.
        await rib.PostAsync(Announce(PeerA, Attributes(), kept), new EndOfRib(PeerA, AddressFamily.InterNetwork));
        Assert.Equal(PeerA, rib.View[kept].Best!.Value.Source);
        Assert.False((await rib.Loop.GetPrefixAsync(kept))!.Paths.Single().IsStale);
        Assert.Equal(PeerB, rib.View[gone].Best!.Value.Source);
        Assert.True((await rib.Loop.GetPrefixAsync(v6))!.Paths.Single().IsStale);

        await rib.PostAsync(new StaleSweep(PeerA));
        Assert.False(rib.View.ContainsKey(v6));
        Assert.True(rib.View.ContainsKey(kept));
    }

    [Fact]
    public async Task A_family_stale_mark_and_sweep_leave_the_other_family_untouched()
    {
        await using var rib = await StartAsync();
        var kept = Slash24(1);
        var gone = Slash24(2);
        var v6 = Prefix("2001:db8:1::/48");
        await rib.PostAsync(Announce(PeerA, Attributes(), kept, gone, v6));

        // RFC 7313: BoRR for IPv4, a partial re-advertisement, EoRR (a sweep of IPv4).
        await rib.PostAsync(new StaleMark(PeerA, AddressFamily.InterNetwork));
        Assert.True((await rib.Loop.GetPrefixAsync(gone))!.Paths.Single().IsStale);
        Assert.False((await rib.Loop.GetPrefixAsync(v6))!.Paths.Single().IsStale);
        await rib.PostAsync(Announce(PeerA, Attributes(), kept), new StaleSweep(PeerA, AddressFamily.InterNetwork));

        Assert.Equal([kept, v6], rib.View.Keys.Order());
        Assert.All(await rib.Loop.GetTableAsync(), s => Assert.False(s.Paths.Single().IsStale));
        Assert.True(rib.Received.Last(c => c.Prefix == gone).IsWithdrawn);
    }

    [Fact]
    public async Task Add_path_keeps_several_paths_of_one_peer_and_withdraws_them_one_by_one()
    {
        await using var rib = await StartAsync(new RibLoopOptions { Decision = new DecisionOptions { MaximumPaths = 4 } });
        await rib.PostAsync(
            new RouteAnnouncement(PeerA, Attributes(), [new RouteKey(Net, 1), new RouteKey(Net, 2)]),
            new RouteAnnouncement(PeerA, Attributes(med: 10), [new RouteKey(Net, 3)]));
        Assert.Equal([1u, 2u], rib.Selected(Net).Select(p => p.PathId));

        await rib.PostAsync(new RouteWithdrawal(PeerA, [new RouteKey(Net, 1)]));
        Assert.Equal([2u], rib.Selected(Net).Select(p => p.PathId));
        var snapshot = await rib.Loop.GetPrefixAsync(Net);
        Assert.Equal(2, snapshot!.Paths.Length);
        var loser = snapshot.Paths.Single(p => p.Path.PathId == 3);
        Assert.Equal(new PathVerdict(PathStatus.Lost, DecisionReason.Med, snapshot.BestIndex), loser.Verdict);
    }

    [Fact]
    public async Task Every_insertion_order_of_four_peers_ends_with_the_same_loc_rib()
    {
        RouteSource[] peers = [Peer(1, 65001), Peer(2, 65002), Peer(3, 65001), Peer(4, 65003)];
        PathAttributes[] attributes =
        [
            Attributes(med: 10, asPath: [65001, 65100]),
            Attributes(med: 0, asPath: [65002, 65100]),
            Attributes(med: 5, asPath: [65001, 65100]),
            Attributes(asPath: [65003, 65100, 65200]),
        ];
        var options = new RibLoopOptions { Decision = new DecisionOptions { MaximumPaths = 4, MultipathRelax = true } };
        var outcomes = new HashSet<string>();
        foreach (var order in Permutations([0, 1, 2, 3]))
        {
            await using var rib = await StartAsync(options);
            foreach (var i in order)
            {
                await rib.PostAsync(Announce(peers[i], attributes[i], Net));
            }

            outcomes.Add(string.Join(",", rib.Selected(Net).Select(p => p.Source.Id)));
            foreach (var i in order.Reverse())
            {
                await rib.PostAsync(Withdraw(peers[i], Net));
            }

            Assert.Empty(rib.View);
        }

        // Peer 3 is AS 65001's best (MED); peer 2 beats it on router id; relax lets both share the set.
        Assert.Equal(["2,3"], outcomes);
    }

    [Fact]
    public async Task A_busy_source_cannot_starve_another_one()
    {
        var busy = Enumerable.Range(0, 5000).Select(Slash24).ToArray();
        var small = Prefix("192.168.0.0/24");
        await using var rib = await StartAsync(
            new RibLoopOptions { RoutesPerSourcePerTurn = 100 },
            Announce(PeerA, Attributes(), busy),
            Announce(PeerB, Attributes(), small));
        await rib.SettleAsync();

        var order = rib.Received.Select(c => c.Prefix).ToList();
        Assert.Equal(5001, order.Count);
        Assert.True(order.IndexOf(small) < 200, $"the small source's route came at {order.IndexOf(small)}");
    }

    [Fact]
    public async Task A_range_snapshot_holds_the_prefix_and_its_more_specifics_in_order()
    {
        await using var rib = await StartAsync(new RibLoopOptions { SnapshotChunkSize = 3 });
        IpPrefix[] inside = [Prefix("10.0.0.0/8"), Prefix("10.0.0.0/16"), Prefix("10.0.0.0/24"), Prefix("10.1.0.0/16"), Prefix("10.128.0.0/9"), Prefix("10.255.255.255/32")];
        IpPrefix[] outside = [Prefix("0.0.0.0/0"), Prefix("11.0.0.0/8"), Prefix("9.255.0.0/16"), Prefix("2001:db8::/32")];
        await rib.PostAsync(Announce(PeerA, Attributes(), [.. inside, .. outside]));

        var range = await rib.Loop.GetRangeAsync(Prefix("10.0.0.0/8"));
        Assert.Equal(inside, range.Select(s => s.Prefix));
        var table = await rib.Loop.GetTableAsync();
        Assert.Equal(inside.Concat(outside).Order(), table.Select(s => s.Prefix));
        Assert.All(table, s => Assert.Equal(PathStatus.Best, s.Paths[s.BestIndex].Verdict.Status));
    }

    [Fact]
    public async Task A_table_snapshot_is_consistent_while_updates_flow()
    {
        const int Prefixes = 300;
        const int Versions = 60;
        var all = Enumerable.Range(0, Prefixes).Select(Slash24).ToArray();
        var odd = all.Where((_, i) => i % 2 == 1).ToArray();
        var options = new RibLoopOptions { SnapshotChunkSize = 4, RoutesPerSourcePerTurn = Prefixes };
        await using var rib = await StartAsync(options);
        await rib.PostAsync(Announce(PeerA, Attributes(med: 0), all));

        // Version v sets MED v on every prefix; odd versions also withdraw the odd prefixes, even ones bring them back.
        var snapshot = rib.Loop.GetTableAsync();
        for (uint v = 1; v <= Versions; v++)
        {
            await rib.Loop.PostAsync(Announce(PeerA, Attributes(med: v), v % 2 == 1 ? [.. all.Except(odd)] : [.. all]));
            if (v % 2 == 1)
            {
                await rib.Loop.PostAsync(Withdraw(PeerA, odd));
            }
        }

        var table = await snapshot.WaitAsync(TimeSpan.FromSeconds(30));
        var meds = table.Select(s => s.Best!.Value.Attributes.MultiExitDisc!.Value).Distinct().ToList();
        Assert.Single(meds);
        var version = meds[0];
        Assert.Equal(version % 2 == 1 ? Prefixes / 2 : Prefixes, table.Length);
        Assert.Equal(table.Select(s => s.Prefix).Order(), table.Select(s => s.Prefix));

        await rib.SettleAsync();
        Assert.All(rib.View.Values, c => Assert.Equal((uint)Versions, c.Best!.Value.Attributes.MultiExitDisc));
    }

    [Fact]
    public async Task A_slow_subscriber_holds_up_ingest_only_once_its_buffer_is_full()
    {
        var loop = new RibLoop(new RibLoopOptions { RoutesPerSourcePerTurn = 5 });
        var slow = loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxPendingPrefixes = 16 });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token));
        var subscription = await slow.WaitAsync(TimeSpan.FromSeconds(10));

        // Ten distinct prefixes changed five times each fit: repeats coalesce and never fill the buffer.
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 10; i++)
            {
                await loop.PostAsync(Announce(PeerA, Attributes(med: (uint)round), Slash24(i)));
            }
        }

        await loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Twenty more distinct prefixes overflow it: the loop must wait for the subscriber.
        for (var i = 10; i < 30; i++)
        {
            await loop.PostAsync(Announce(PeerA, Attributes(), Slash24(i)));
        }

        var flushed = loop.FlushAsync();
        await Task.Delay(200);
        Assert.False(flushed.IsCompleted, "ingest should wait for the full subscriber");

        var seen = new Dictionary<IpPrefix, RibChange>();
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in subscription.Batches.ReadAllAsync())
            {
                Assert.True(batch.Length <= 16 + 5, $"a batch of {batch.Length}");
                foreach (var change in batch)
                {
                    seen[change.Prefix] = change;
                }
            }
        });
        await flushed.WaitAsync(TimeSpan.FromSeconds(10));
        loop.CompleteUpdates();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(30, seen.Count);
        Assert.Equal(4u, seen[Slash24(3)].Best!.Value.Attributes.MultiExitDisc);
    }

    [Fact]
    public async Task A_late_subscriber_with_replay_catches_up_with_the_loc_rib_while_updates_flow()
    {
        await using var rib = await StartAsync(new RibLoopOptions { SnapshotChunkSize = 16 });
        var prefixes = Enumerable.Range(0, 1000).Select(Slash24).Append(Prefix("2001:db8::/32")).ToArray();
        await rib.PostAsync(Announce(PeerA, Attributes(), prefixes));

        var late = await rib.Loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxPendingPrefixes = 64 }, replayCurrentTable: true);
        var view = new ConcurrentDictionary<IpPrefix, RibChange>();
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in late.Batches.ReadAllAsync())
            {
                foreach (var change in batch)
                {
                    if (change.IsWithdrawn)
                    {
                        view.TryRemove(change.Prefix, out _);
                    }
                    else
                    {
                        view[change.Prefix] = change;
                    }
                }
            }
        });

        await rib.Loop.PostAsync(Withdraw(PeerA, prefixes[..100]));
        await rib.Loop.PostAsync(Announce(PeerB, Attributes(localPref: 300), prefixes[900..]));
        await rib.SettleAsync();

        bool CaughtUp() => view.Count == rib.View.Count && rib.View.All(pair => view.TryGetValue(pair.Key, out var seen) && seen.Best == pair.Value.Best);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!CaughtUp() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        late.Dispose();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(901, rib.View.Count);
        Assert.True(CaughtUp(), $"the late subscriber saw {view.Count} of {rib.View.Count} prefixes");
    }

    /// <summary>A resolver whose IGP costs a test changes between decisions.</summary>
    private sealed class MovableResolver : INextHopResolver
    {
        public ConcurrentDictionary<string, uint> Costs { get; } = new();

        public bool TryResolve(System.Net.IPAddress nextHop, out uint igpCost) => Costs.TryGetValue(nextHop.ToString(), out igpCost);
    }

    [Fact]
    public async Task Reevaluation_after_an_igp_cost_change_moves_the_best_path()
    {
        var resolver = new MovableResolver();
        resolver.Costs["192.0.2.1"] = 10;
        resolver.Costs["192.0.2.2"] = 20;
        var internalA = Peer(1, 65000);
        var internalB = Peer(2, 65000);
        await using var rib = await StartAsync(new RibLoopOptions { NextHopResolver = resolver, SnapshotChunkSize = 7 });
        var prefixes = Enumerable.Range(0, 50).Select(Slash24).ToArray();
        await rib.PostAsync(
            Announce(internalA, Attributes(), prefixes),
            Announce(internalB, Attributes() with { NextHop = System.Net.IPAddress.Parse("192.0.2.2") }, prefixes));
        Assert.Equal(DecisionReason.IgpCost, (await rib.Loop.GetPrefixAsync(prefixes[0]))!.Reason);
        Assert.All(prefixes, p => Assert.Equal(internalA, rib.View[p].Best!.Value.Source));

        resolver.Costs["192.0.2.1"] = 30;
        await rib.Loop.ReevaluateAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await rib.SettleAsync();
        Assert.All(prefixes, p => Assert.Equal(internalB, rib.View[p].Best!.Value.Source));

        // A next hop that stops resolving takes its paths out; scope limits the work to a range.
        resolver.Costs.TryRemove("192.0.2.2", out _);
        await rib.Loop.ReevaluateAsync(Prefix("10.0.0.0/22")).WaitAsync(TimeSpan.FromSeconds(10));
        await rib.SettleAsync();
        Assert.Equal(internalA, rib.View[Slash24(3)].Best!.Value.Source);
        Assert.Equal(internalB, rib.View[Slash24(4)].Best!.Value.Source);
    }

    [Fact]
    public async Task Requests_fail_once_the_loop_has_stopped()
    {
        var loop = new RibLoop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => loop.GetPrefixAsync(Net));
        Assert.False(loop.TryPost(Announce(PeerA, Attributes(), Net)));
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (int[])[item, .. rest]));
}
