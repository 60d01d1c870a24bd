using System.Net;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Tests.Feed;

public class ChangeFeedTests
{
    private static readonly RouteSource Peer = new()
    {
        Id = 1,
        Kind = RouteSourceKind.Bgp,
        PeerAs = 65001,
        LocalAs = 65000,
        PeerAddress = IPAddress.Parse("198.18.0.1"),
    };

    private static IpPrefix Prefix(int i) => IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24);

    /// <summary>A change whose MED carries a version number, so tests can tell which state arrived.</summary>
    private static RibChange Version(int prefix, uint version) =>
        RibChange.Announced(Prefix(prefix), [new RoutePath(Peer, new PathAttributes { MultiExitDisc = version }, 0)], DecisionReason.OnlyPath);

    private static uint VersionOf(RibChange change) => change.Best!.Value.Attributes.MultiExitDisc!.Value;

    [Fact]
    public void A_thousand_changes_to_ten_prefixes_wait_as_ten_entries_with_the_latest_state()
    {
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe();
        for (var i = 0; i < 1000; i++)
        {
            feed.Publish(Version(i % 10, (uint)i));
            Assert.True(subscription.PendingCount <= 10);
        }

        Assert.Equal(10, subscription.PendingCount);
        Assert.Equal(990, subscription.CoalescedCount);
        Assert.True(feed.Flush());
        Assert.True(subscription.Batches.TryRead(out var batch));
        Assert.Equal(10, batch.Length);
        for (var p = 0; p < 10; p++)
        {
            Assert.Equal(Prefix(p), batch[p].Prefix);
            Assert.Equal((uint)(990 + p), VersionOf(batch[p]));
        }
    }

    [Fact]
    public void A_slow_consumer_coalesces_behind_its_unread_batch_and_then_gets_the_latest_state()
    {
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe();
        feed.Publish(Version(0, 1));
        Assert.True(feed.Flush());

        // The consumer has not read batch 1; everything else coalesces.
        for (var i = 2; i < 500; i++)
        {
            feed.Publish(Version(i % 3, (uint)i));
            Assert.False(feed.Flush());
        }

        Assert.Equal(3, subscription.PendingCount);
        Assert.True(subscription.Batches.TryRead(out var first));
        Assert.Equal([1u], first.Select(VersionOf));
        Assert.True(feed.Flush());
        Assert.True(subscription.Batches.TryRead(out var second));
        Assert.Equal([497u, 498u, 499u], second.Select(VersionOf));
        Assert.Equal(0, subscription.PendingCount);
    }

    [Fact]
    public void A_withdrawal_replaces_a_pending_announcement_and_an_announcement_a_withdrawal()
    {
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe();
        feed.Publish(Version(1, 1));
        feed.Publish(RibChange.Withdrawn(Prefix(1)));
        feed.Publish(RibChange.Withdrawn(Prefix(2)));
        feed.Publish(Version(2, 7));
        feed.Flush();
        Assert.True(subscription.Batches.TryRead(out var batch));
        Assert.True(batch[0].IsWithdrawn);
        Assert.Equal(7u, VersionOf(batch[1]));
    }

    [Fact]
    public async Task The_publisher_must_wait_only_once_the_pending_buffer_is_full()
    {
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe(new ChangeSubscriptionOptions { MaxPendingPrefixes = 4 });
        feed.Publish(Version(100, 0));
        feed.Flush();
        for (var p = 0; p < 3; p++)
        {
            feed.Publish(Version(p, 1));
            feed.Flush();
            Assert.False(feed.MustWait);
        }

        // Changes to prefixes already pending never fill the buffer.
        feed.Publish(Version(0, 2));
        Assert.False(feed.MustWait);
        feed.Publish(Version(3, 1));
        feed.Flush();
        Assert.True(feed.MustWait);
        var room = feed.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        Assert.True(subscription.Batches.TryRead(out _));
        await room.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(feed.Flush());
        Assert.False(feed.MustWait);
    }

    [Fact]
    public async Task A_concurrent_slow_consumer_sees_each_prefix_in_order_and_ends_with_the_latest_state()
    {
        const int Prefixes = 50;
        const int Changes = 5_000;
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe(new ChangeSubscriptionOptions { MaxPendingPrefixes = 8 });
        var seen = new Dictionary<IpPrefix, uint>();
        var maxBatch = 0;
        var consumer = Task.Run(async () =>
        {
            await foreach (var batch in subscription.Batches.ReadAllAsync())
            {
                maxBatch = Math.Max(maxBatch, batch.Length);
                foreach (var change in batch)
                {
                    var version = VersionOf(change);
                    if (seen.TryGetValue(change.Prefix, out var previous))
                    {
                        Assert.True(version > previous, "a prefix's changes arrive in order");
                    }

                    seen[change.Prefix] = version;
                }

                await Task.Delay(1);
            }
        });

        var random = new Random(7);
        var last = new Dictionary<IpPrefix, uint>();
        var maxPending = 0;
        for (var i = 1; i <= Changes; i++)
        {
            var prefix = random.Next(Prefixes);
            feed.Publish(Version(prefix, (uint)i));
            last[Prefix(prefix)] = (uint)i;
            maxPending = Math.Max(maxPending, subscription.PendingCount);
            feed.Flush();
            while (feed.MustWait)
            {
                await feed.WaitForRoomAsync(CancellationToken.None);
                feed.Flush();
            }
        }

        while (!feed.Flush())
        {
            await feed.WaitForRoomAsync(CancellationToken.None);
        }

        feed.Complete();
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(last, seen);
        Assert.True(maxPending <= 8 + 1, $"pending grew to {maxPending}");
        Assert.True(maxBatch <= 9);
        Assert.True(subscription.CoalescedCount > 0, "a slow consumer should have had changes coalesced");
    }

    [Fact]
    public void A_disposed_subscription_is_dropped_and_its_channel_completes()
    {
        var feed = new ChangeFeed();
        var kept = feed.Subscribe();
        var dropped = feed.Subscribe();
        dropped.Dispose();
        feed.Publish(Version(1, 1));
        feed.Flush();
        Assert.Single(feed.Subscribers);
        Assert.True(dropped.Batches.Completion.IsCompleted);
        Assert.True(kept.Batches.TryRead(out _));
    }
}
