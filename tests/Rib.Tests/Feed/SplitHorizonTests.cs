using System.Collections.Immutable;
using BgpStack.Rib.Feed;
using BgpStack.Rib.Tests.Looping;

namespace BgpStack.Rib.Tests.Feed;

/// <summary>A subscriber with a split-horizon peer hears only the changes that another source takes part in.</summary>
public class SplitHorizonTests
{
    private static readonly RouteSource P = LoopHarness.Peer(1);
    private static readonly RouteSource Q = LoopHarness.Peer(2);
    private static readonly IpPrefix X = LoopHarness.Slash24(1);
    private static readonly IpPrefix Y = LoopHarness.Slash24(2);

    private sealed class Feeds : IAsyncDisposable
    {
        private readonly Task run;

        private Feeds(RibLoop loop, Task run, ChangeSubscription plain, ChangeSubscription horizon)
        {
            Loop = loop;
            this.run = run;
            Plain = plain;
            Horizon = horizon;
        }

        public RibLoop Loop { get; }

        public ChangeSubscription Plain { get; }

        public ChangeSubscription Horizon { get; }

        public static async Task<Feeds> StartAsync(bool replay = false, params RibUpdate[] before)
        {
            var loop = new RibLoop();
            foreach (var update in before)
            {
                Assert.True(loop.TryPost(update));
            }

            var run = Task.Run(() => loop.RunAsync(CancellationToken.None));
            await loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var plain = await loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxQueuedBatches = 100_000 }, replay).WaitAsync(TimeSpan.FromSeconds(30));
            var horizon = await loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxQueuedBatches = 100_000, SplitHorizonPeer = P.PeerAddress }, replay).WaitAsync(TimeSpan.FromSeconds(30));
            return new Feeds(loop, run, plain, horizon);
        }

        /// <summary>Posts the updates and returns what each subscriber received for them.</summary>
        public async Task<(ImmutableArray<RibChange> Plain, ImmutableArray<RibChange> Horizon)> ApplyAsync(params RibUpdate[] updates)
        {
            foreach (var update in updates)
            {
                await Loop.PostAsync(update);
            }

            await Loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return (Read(Plain), Read(Horizon));
        }

        private static ImmutableArray<RibChange> Read(ChangeSubscription subscription)
        {
            var changes = ImmutableArray.CreateBuilder<RibChange>();
            while (subscription.Batches.TryRead(out var batch))
            {
                changes.AddRange(batch);
            }

            return changes.ToImmutable();
        }

        public async ValueTask DisposeAsync()
        {
            Loop.CompleteUpdates();
            Plain.Dispose();
            Horizon.Dispose();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static string Describe(ImmutableArray<RibChange> changes) =>
        string.Join("; ", changes.Select(c => c.IsWithdrawn ? $"{c.Prefix} withdrawn" : $"{c.Prefix} from {c.Best!.Value.Source.Name}"));

    [Fact]
    public async Task The_peers_own_new_routes_and_their_attribute_changes_are_not_delivered()
    {
        await using var feeds = await Feeds.StartAsync();

        var announced = await feeds.ApplyAsync(LoopHarness.Announce(P, LoopHarness.Attributes(), X, Y));
        Assert.Equal($"{X} from {P.Name}; {Y} from {P.Name}", Describe(announced.Plain));
        Assert.Empty(announced.Horizon);

        var replaced = await feeds.ApplyAsync(LoopHarness.Announce(P, LoopHarness.Attributes(med: 5), X));
        Assert.Equal($"{X} from {P.Name}", Describe(replaced.Plain));
        Assert.Empty(replaced.Horizon);

        var withdrawn = await feeds.ApplyAsync(LoopHarness.Withdraw(P, Y));
        Assert.Equal($"{Y} withdrawn", Describe(withdrawn.Plain));
        Assert.Empty(withdrawn.Horizon);
    }

    [Fact]
    public async Task A_change_to_or_from_another_sources_path_is_delivered_both_ways()
    {
        await using var feeds = await Feeds.StartAsync(false, LoopHarness.Announce(P, LoopHarness.Attributes(), X));

        // Another peer's better path takes over: the subscriber may now advertise it.
        var better = await feeds.ApplyAsync(LoopHarness.Announce(Q, LoopHarness.Attributes(localPref: 200), X));
        Assert.Equal($"{X} from {Q.Name}", Describe(better.Horizon));

        // The best path goes back to the peer's own (the other one left): the subscriber must take its advertisement back.
        var back = await feeds.ApplyAsync(LoopHarness.Withdraw(Q, X));
        Assert.Equal($"{X} from {P.Name}", Describe(back.Horizon));
        Assert.Equal(Describe(back.Plain), Describe(back.Horizon));

        // The other peer's path wins again, then the peer's own path leaves: neither is the peer's own alone.
        var again = await feeds.ApplyAsync(LoopHarness.Announce(Q, LoopHarness.Attributes(localPref: 200), X));
        Assert.Equal($"{X} from {Q.Name}", Describe(again.Horizon));
        var lastGone = await feeds.ApplyAsync(LoopHarness.Withdraw(P, X), LoopHarness.Withdraw(Q, X));
        Assert.Equal($"{X} withdrawn", Describe(lastGone.Horizon));
    }

    [Fact]
    public async Task A_replay_leaves_out_the_peers_own_routes()
    {
        await using var feeds = await Feeds.StartAsync(
            true,
            LoopHarness.Announce(P, LoopHarness.Attributes(), X),
            LoopHarness.Announce(Q, LoopHarness.Attributes(), Y));

        var (plain, horizon) = await feeds.ApplyAsync();
        Assert.Equal(2, plain.Length);
        Assert.Equal($"{Y} from {Q.Name}", Describe(horizon));
    }
}
