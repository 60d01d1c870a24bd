using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Tests.Looping;

public class ReplayMarkerTests
{
    [Fact]
    public async Task Reading_the_replay_batches_gives_the_whole_table_as_it_was()
    {
        var peer = LoopHarness.Peer(1);
        var updates = Enumerable.Range(0, 2000)
            .Select(i => (RibUpdate)new RouteAnnouncement(peer, LoopHarness.Attributes(), [new RouteKey(LoopHarness.Slash24(i))]))
            .ToArray();
        await using var harness = await LoopHarness.StartAsync(new RibLoopOptions { SnapshotChunkSize = 100 });
        foreach (var update in updates)
        {
            await harness.Loop.PostAsync(update);
        }

        await harness.Loop.FlushAsync();

        using var late = await harness.Loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxQueuedBatches = 4, MaxPendingPrefixes = 300 }, replayCurrentTable: true);
        var seen = new HashSet<IpPrefix>();
        long read = 0;
        while (!late.ReplayBatches.IsCompletedSuccessfully || read < await late.ReplayBatches)
        {
            // The count may be set just after its last batch was read: wait for either.
            await Task.WhenAny(late.Batches.WaitToReadAsync().AsTask(), late.ReplayBatches).WaitAsync(TimeSpan.FromSeconds(10));
            while (late.Batches.TryRead(out var batch))
            {
                seen.UnionWith(batch.Select(c => c.Prefix));
                read++;
            }
        }

        Assert.True(read > 1, "the replay came in several batches");
        Assert.Equal(2000, seen.Count);
    }

    [Fact]
    public async Task Without_a_replay_the_replay_is_zero_batches()
    {
        await using var harness = await LoopHarness.StartAsync();
        using var subscription = await harness.Loop.SubscribeAsync();
        Assert.Equal(0, await subscription.ReplayBatches.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await harness.Subscription.ReplayBatches.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
