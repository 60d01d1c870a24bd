using System.Collections.Immutable;
using System.Net;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Export;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Tests.Export;

public class AdjRibOutTests
{
    private const uint LocalAs = 65000;
    private static readonly UpdateGroupKey External = new("ebgp:65001");
    private static readonly UpdateGroupKey Internal = new("ibgp");
    private static readonly RouteSource PeerA = new()
    {
        Id = 1,
        Kind = RouteSourceKind.Bgp,
        PeerAs = 65001,
        LocalAs = LocalAs,
        PeerAddress = IPAddress.Parse("198.18.0.1"),
    };

    private static IpPrefix Net(int i) => IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24);

    private static RibChange Best(int i, uint med = 0, params Community[] communities) => RibChange.Announced(
        Net(i),
        [new RoutePath(PeerA, new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = IPAddress.Parse("198.18.0.1"), MultiExitDisc = med, Communities = [.. communities] }, 0)],
        DecisionReason.OnlyPath);

    /// <summary>
    /// A toy eBGP export policy: no-export routes stay home; the rest go out with our AS prepended,
    /// ourselves as next hop and MED stripped. Counts its calls.
    /// </summary>
    private sealed class ToyExternalPolicy : IExportPolicy
    {
        public int Calls { get; private set; }

        public PathAttributes? Export(in RibChange change)
        {
            Calls++;
            var attributes = change.Best!.Value.Attributes;
            if (attributes.Communities.Contains(Community.NoExport))
            {
                return null;
            }

            return attributes with
            {
                AsPath = (attributes.AsPath ?? AsPath.Empty).Prepend(LocalAs),
                NextHop = IPAddress.Parse("198.18.255.1"),
                MultiExitDisc = null,
            };
        }
    }

    /// <summary>A running RIB loop with the builder over it; changes are made by posting PeerA's routes.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loopRun;

        public Harness(AdjRibOutOptions? options = null)
        {
            loopRun = Task.Run(() => Loop.RunAsync(stop.Token));
            Builder = new AdjRibOutBuilder(Loop, options);
            Run = Task.Run(() => Builder.RunAsync(stop.Token));
        }

        public RibLoop Loop { get; } = new();

        public AdjRibOutBuilder Builder { get; }

        public Task Run { get; }

        public async Task Publish(params RibChange[] changes)
        {
            foreach (var change in changes)
            {
                await Loop.PostAsync(change.Best is { } best
                    ? new RouteAnnouncement(PeerA, best.Attributes, [new RouteKey(change.Prefix)])
                    : new RouteWithdrawal(PeerA, [new RouteKey(change.Prefix)]));
            }

            await Loop.FlushAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
            try
            {
                await loopRun.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }

            stop.Dispose();
        }
    }

    private static async Task<ImmutableArray<ExportChange>> NextAsync(UpdateGroupMember member) =>
        await member.Updates.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Members_of_one_group_share_one_export_computation_and_get_the_same_updates()
    {
        await using var rib = new Harness();
        var policy = new ToyExternalPolicy();
        var first = await rib.Builder.JoinAsync(External, policy, "198.18.1.1");
        var second = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.2");

        await rib.Publish(Best(1), Best(2));
        var a = await NextAsync(first);
        var b = await NextAsync(second);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(2, a.Length);
        Assert.Equal(2, policy.Calls);
        Assert.Equal("65000 65001", a[0].Attributes!.AsPath!.ToString());
        Assert.Null(a[0].Attributes!.MultiExitDisc);
        Assert.Single(await rib.Builder.GetGroupsAsync());
    }

    [Fact]
    public async Task Only_changes_to_what_the_group_advertises_are_sent()
    {
        await using var rib = new Harness();
        var member = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        await rib.Publish(Best(1, med: 10));
        Assert.Single(await NextAsync(member));

        // The MED is stripped on export, so a MED change in the Loc-RIB changes nothing for the group.
        await rib.Publish(Best(1, med: 20), Best(2));
        var batch = await NextAsync(member);
        Assert.Equal([Net(2)], batch.Select(c => c.Prefix));

        // Withdrawing what was never advertised sends nothing either.
        await rib.Publish(Best(3, communities: Community.NoExport), RibChange.Withdrawn(Net(3)), RibChange.Withdrawn(Net(9)), RibChange.Withdrawn(Net(2)));
        batch = await NextAsync(member);
        Assert.Equal([new ExportChange(Net(2), null)], batch.ToArray());
    }

    [Fact]
    public async Task A_route_the_policy_starts_rejecting_is_withdrawn_and_announced_again_when_accepted()
    {
        await using var rib = new Harness();
        var member = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        await rib.Publish(Best(1));
        Assert.False((await NextAsync(member))[0].IsWithdrawal);
        await rib.Publish(Best(1, communities: Community.NoExport));
        Assert.True((await NextAsync(member))[0].IsWithdrawal);
        await rib.Publish(Best(1));
        Assert.False((await NextAsync(member))[0].IsWithdrawal);
        Assert.Single(await rib.Builder.GetAdjRibOutAsync(External));
    }

    [Fact]
    public async Task Groups_with_different_policies_each_advertise_their_own_view()
    {
        await using var rib = new Harness();
        var external = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        var @internal = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        await rib.Publish(Best(1, med: 7), Best(2, communities: Community.NoExport));

        Assert.Equal([Net(1)], (await NextAsync(external)).Select(c => c.Prefix));
        var inside = await NextAsync(@internal);
        Assert.Equal([Net(1), Net(2)], inside.Select(c => c.Prefix));
        Assert.Equal(7u, inside[0].Attributes!.MultiExitDisc);
        Assert.Equal("65001", inside[0].Attributes!.AsPath!.ToString());
    }

    [Fact]
    public async Task A_late_member_and_a_late_group_start_with_the_whole_current_adj_rib_out()
    {
        await using var rib = new Harness();
        var early = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        await rib.Publish(Best(1), Best(2), Best(3, communities: Community.NoExport));
        Assert.Equal(2, (await NextAsync(early)).Length);

        var late = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.2");
        Assert.Equal([Net(1), Net(2)], (await NextAsync(late)).Select(c => c.Prefix));

        var lateGroup = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        Assert.Equal([Net(1), Net(2), Net(3)], (await NextAsync(lateGroup)).Select(c => c.Prefix));
    }

    [Fact]
    public async Task A_late_group_and_member_filled_in_chunks_while_changes_flow_end_with_the_group_state()
    {
        await using var rib = new Harness(new AdjRibOutOptions { SyncChunkSize = 8, MemberBuffer = new ChangeSubscriptionOptions { MaxPendingPrefixes = 32 } });
        var early = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        await rib.Publish([.. Enumerable.Range(0, 300).Select(i => Best(i, communities: i % 3 == 0 ? [Community.NoExport] : []))]);

        var lateGroup = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        var lateMember = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.2");
        var views = new[] { lateGroup, lateMember, early }.Select(member =>
        {
            var view = new System.Collections.Concurrent.ConcurrentDictionary<IpPrefix, PathAttributes>();
            _ = Task.Run(async () =>
            {
                await foreach (var batch in member.Updates.ReadAllAsync())
                {
                    foreach (var change in batch)
                    {
                        if (change.IsWithdrawal)
                        {
                            view.TryRemove(change.Prefix, out _);
                        }
                        else
                        {
                            view[change.Prefix] = change.Attributes!;
                        }
                    }
                }
            });
            return view;
        }).ToArray();

        // Changes while the walks are under way: withdrawals, new prefixes, a MED change.
        await rib.Publish([.. Enumerable.Range(0, 50).Select(i => RibChange.Withdrawn(Net(i * 2)))]);
        await rib.Publish([.. Enumerable.Range(300, 20).Select(i => Best(i))]);
        await rib.Publish(Best(299, med: 9));

        // 200 exported at first (no-export on every third), 33 of them withdrawn, 20 added; internally 300 - 50 + 20.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Dictionary<IpPrefix, PathAttributes> external, @internal;
        do
        {
            external = (await rib.Builder.GetAdjRibOutAsync(External)).ToDictionary(c => c.Prefix, c => c.Attributes!);
            @internal = (await rib.Builder.GetAdjRibOutAsync(Internal)).ToDictionary(c => c.Prefix, c => c.Attributes!);
        }
        while ((external.Count != 187 || @internal.Count != 270 || external[Net(299)].MultiExitDisc is not null || @internal[Net(299)].MultiExitDisc != 9) && DateTime.UtcNow < deadline);
        Assert.Equal(187, external.Count);
        Assert.Equal(270, @internal.Count);

        bool Matches(System.Collections.Concurrent.ConcurrentDictionary<IpPrefix, PathAttributes> view, Dictionary<IpPrefix, PathAttributes> expected) =>
            view.Count == expected.Count && expected.All(pair => view.TryGetValue(pair.Key, out var seen) && seen.Equals(pair.Value));
        while (!(Matches(views[0], external) && Matches(views[1], external) && Matches(views[2], @internal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(Matches(views[0], external), $"the late group's first member saw {views[0].Count} of {external.Count}");
        Assert.True(Matches(views[1], external), $"the late member saw {views[1].Count} of {external.Count}: missing {string.Join(' ', external.Keys.Where(k => !views[1].ContainsKey(k)).Order().Take(20))} extra {string.Join(' ', views[1].Keys.Where(k => !external.ContainsKey(k)).Take(10))}");
        Assert.True(Matches(views[2], @internal), $"the early member saw {views[2].Count} of {@internal.Count}");
    }

    [Fact]
    public async Task A_member_that_leaves_is_forgotten_and_an_empty_group_goes_away()
    {
        await using var rib = new Harness();
        var leaving = await rib.Builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");
        var staying = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        leaving.Dispose();
        await rib.Publish(Best(1));
        Assert.Single(await NextAsync(staying));
        var groups = await rib.Builder.GetGroupsAsync();
        Assert.Equal([Internal], groups.Keys);
        Assert.True(leaving.Updates.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_slow_member_gets_coalesced_updates_with_the_latest_state()
    {
        await using var rib = new Harness();
        var member = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        for (uint v = 1; v <= 200; v++)
        {
            await rib.Publish(Best((int)(v % 4), med: v));
        }

        var latest = new Dictionary<IpPrefix, uint>();
        while (latest.Count < 4 || latest.Values.Max() < 200)
        {
            foreach (var change in await NextAsync(member))
            {
                latest[change.Prefix] = change.Attributes!.MultiExitDisc!.Value;
            }
        }

        Assert.Equal([197u, 198u, 199u, 200u], latest.Values.Order());
    }

    [Fact]
    public async Task End_to_end_the_rib_loop_feeds_the_adj_rib_out()
    {
        var loop = new RibLoop();
        var run = Task.Run(() => loop.RunAsync(CancellationToken.None));
        var builder = new AdjRibOutBuilder(loop);
        using var stop = new CancellationTokenSource();
        var building = Task.Run(() => builder.RunAsync(stop.Token));
        var member = await builder.JoinAsync(External, new ToyExternalPolicy(), "198.18.1.1");

        await loop.PostAsync(new RouteAnnouncement(PeerA, Best(0).Best!.Value.Attributes, [new RouteKey(Net(1)), new RouteKey(Net(2))]));
        var announced = new List<ExportChange>();
        while (announced.Count < 2)
        {
            announced.AddRange(await NextAsync(member));
        }

        await loop.PostAsync(new SourceRemoval(PeerA));
        var withdrawn = new List<ExportChange>();
        while (withdrawn.Count < 2)
        {
            withdrawn.AddRange(await NextAsync(member));
        }

        Assert.All(announced, c => Assert.Equal("65000 65001", c.Attributes!.AsPath!.ToString()));
        Assert.All(withdrawn, c => Assert.True(c.IsWithdrawal));
        // When the RIB stops, the groups' members are completed; the builder runs until cancelled.
        loop.CompleteUpdates();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await member.Updates.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await building.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Reading_the_initial_dump_batches_gives_a_new_group_and_a_late_member_the_whole_table()
    {
        await using var rib = new Harness(new AdjRibOutOptions { SyncChunkSize = 16, MemberBuffer = new ChangeSubscriptionOptions { MaxPendingPrefixes = 64, MaxQueuedBatches = 2 } });
        await rib.Publish([.. Enumerable.Range(0, 500).Select(i => Best(i))]);

        async Task<HashSet<IpPrefix>> InitialTableAsync(UpdateGroupMember member)
        {
            var seen = new HashSet<IpPrefix>();
            long read = 0;
            while (!member.InitialDumpBatches.IsCompletedSuccessfully || read < await member.InitialDumpBatches)
            {
                // The count may be set just after its last batch was read: wait for either.
                await Task.WhenAny(member.Updates.WaitToReadAsync().AsTask(), member.InitialDumpBatches).WaitAsync(TimeSpan.FromSeconds(10));
                while (member.Updates.TryRead(out var batch))
                {
                    seen.UnionWith(batch.Select(c => c.Prefix));
                    read++;
                }
            }

            return seen;
        }

        var founder = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.1");
        Assert.Equal(500, (await InitialTableAsync(founder)).Count);
        var late = await rib.Builder.JoinAsync(Internal, DelegateExportPolicy.AcceptAll, "198.18.2.2");
        Assert.Equal(500, (await InitialTableAsync(late)).Count);
    }
}
