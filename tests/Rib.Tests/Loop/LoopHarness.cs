using System.Collections.Immutable;
using System.Net;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Tests.Looping;

/// <summary>A running RIB loop with one subscriber whose deltas a test can fold into a Loc-RIB view.</summary>
internal sealed class LoopHarness : IAsyncDisposable
{
    private LoopHarness(RibLoop loop, Task run, ChangeSubscription subscription)
    {
        Loop = loop;
        Run = run;
        Subscription = subscription;
    }

    public RibLoop Loop { get; }

    public Task Run { get; }

    public ChangeSubscription Subscription { get; }

    /// <summary>Every change received, in order.</summary>
    public List<RibChange> Received { get; } = [];

    /// <summary>The Loc-RIB as the subscriber sees it.</summary>
    public Dictionary<IpPrefix, RibChange> View { get; } = [];

    public static async Task<LoopHarness> StartAsync(RibLoopOptions? options = null, params RibUpdate[] before)
    {
        var loop = new RibLoop(options);
        var subscribed = loop.SubscribeAsync(new ChangeSubscriptionOptions { MaxQueuedBatches = 100_000 });
        foreach (var update in before)
        {
            Assert.True(loop.TryPost(update));
        }

        var run = Task.Run(() => loop.RunAsync(CancellationToken.None));
        var subscription = await subscribed.WaitAsync(TimeSpan.FromSeconds(10));
        return new LoopHarness(loop, run, subscription);
    }

    public static RouteSource Peer(int id, uint peerAs = 65001, int adminPreference = 0) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAs = peerAs,
        LocalAs = 65000,
        PeerAddress = IPAddress.Parse($"198.18.0.{id}"),
        PeerRouterId = RouterId.Parse($"10.0.0.{id}"),
        AdminPreference = adminPreference,
    };

    public static IpPrefix Prefix(string text) => IpPrefix.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    public static IpPrefix Slash24(int i) => IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24);

    public static PathAttributes Attributes(uint localPref = 100, uint? med = null, params uint[] asPath) => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(asPath.Length == 0 ? [65001] : asPath),
        NextHop = IPAddress.Parse("192.0.2.1"),
        LocalPref = localPref,
        MultiExitDisc = med,
    };

    public static RouteAnnouncement Announce(RouteSource source, PathAttributes attributes, params IpPrefix[] prefixes) =>
        new(source, attributes, [.. prefixes.Select(p => new RouteKey(p))]);

    public static RouteWithdrawal Withdraw(RouteSource source, params IpPrefix[] prefixes) =>
        new(source, [.. prefixes.Select(p => new RouteKey(p))]);

    public async Task PostAsync(params RibUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Loop.PostAsync(update);
        }

        await SettleAsync();
    }

    /// <summary>Waits until the loop processed everything posted and takes every batch handed over.</summary>
    public async Task SettleAsync()
    {
        await Loop.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Drain();
    }

    public void Drain()
    {
        while (Subscription.Batches.TryRead(out var batch))
        {
            foreach (var change in batch)
            {
                Received.Add(change);
                if (change.IsWithdrawn)
                {
                    View.Remove(change.Prefix);
                }
                else
                {
                    View[change.Prefix] = change;
                }
            }
        }
    }

    public ImmutableArray<RoutePath> Selected(IpPrefix prefix) =>
        View.TryGetValue(prefix, out var change) ? change.Multipath.AsImmutableArray() : [];

    public async ValueTask DisposeAsync()
    {
        Loop.CompleteUpdates();
        Drain();
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in Subscription.Batches.ReadAllAsync())
            {
                _ = batch;
            }
        });
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
