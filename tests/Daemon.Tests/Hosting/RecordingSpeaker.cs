using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Speaker;
using BgpStack.Daemon.Hosting;
using BgpStack.Rib.Feed;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>
/// A speaker double that records what the daemon asks of it and reports its peers as Idle. Its RIB
/// is a real <see cref="RibLoop"/>: originated routes go in as a static source, and tests announce
/// BGP routes into it as a peer would.
/// </summary>
internal sealed class RecordingSpeaker : ISpeaker
{
    private static readonly RouteSource StaticSource = new() { Id = 1, Kind = RouteSourceKind.Static };
    private readonly CancellationTokenSource ribStop = new();
    private Task? ribRun;

    private readonly Channel<PeerStatus> states = Channel.CreateUnbounded<PeerStatus>();
    private readonly Channel<string> calls = Channel.CreateUnbounded<string>();
    private volatile BgpSpeakerOptions options;

    public RecordingSpeaker(BgpSpeakerOptions options) => this.options = options;

    public BgpSpeakerOptions Options => options;

    public ConcurrentQueue<BgpSpeakerOptions> Applied { get; } = new();

    public ConcurrentDictionary<IpPrefix, PathAttributes?> Originated { get; } = new();

    public RibLoop Rib { get; } = new();

    public bool Started { get; private set; }

    public bool Stopped { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Waits (bounded) for the next call whose description starts with <paramref name="prefix"/>.</summary>
    public async Task<string> WaitForCallAsync(string prefix, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var call = await calls.Reader.ReadAsync(cancel.Token);
            if (call.StartsWith(prefix, StringComparison.Ordinal))
            {
                return call;
            }
        }
    }

    /// <summary>Announces <paramref name="prefix"/> from a BGP peer at <paramref name="nextHop"/> and waits until the RIB has taken it.</summary>
    public async Task AnnounceAsync(string prefix, string nextHop, int sourceId = 10)
    {
        var source = new RouteSource
        {
            Id = sourceId,
            Kind = RouteSourceKind.Bgp,
            PeerAddress = System.Net.IPAddress.Parse(nextHop),
            PeerRouterId = RouterId.Parse(nextHop),
            PeerAs = 65002,
            LocalAs = 65001,
        };
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65002), NextHop = System.Net.IPAddress.Parse(nextHop) };
        await Rib.PostAsync(new RouteAnnouncement(source, attributes, [new RouteKey(IpPrefix.Parse(prefix))]));
        await Rib.FlushAsync();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        ribRun = Rib.RunAsync(ribStop.Token);
        foreach (var peer in options.Peers)
        {
            states.Writer.TryWrite(Status(peer));
        }

        Record("start");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stopped = true;
        Record("stop");
        return Task.CompletedTask;
    }

    public bool StoppedForRestart { get; private set; }

    public Task StopForRestartAsync(CancellationToken cancellationToken)
    {
        StoppedForRestart = true;
        Record("stop for restart");
        return Task.CompletedTask;
    }

    public Task ApplyAsync(BgpSpeakerOptions options, CancellationToken cancellationToken)
    {
        this.options = options;
        Applied.Enqueue(options);
        Record($"apply {options.Peers.Length}");
        return Task.CompletedTask;
    }

    public async Task OriginateAsync(IpPrefix prefix, PathAttributes? attributes, CancellationToken cancellationToken)
    {
        Originated[prefix] = attributes;
        await Rib.PostAsync(new RouteAnnouncement(StaticSource, attributes ?? PathAttributes.Empty, [new RouteKey(prefix)]), cancellationToken);
        Record($"originate {prefix}");
    }

    public async Task WithdrawAsync(IpPrefix prefix, CancellationToken cancellationToken)
    {
        Originated.TryRemove(prefix, out _);
        await Rib.PostAsync(new RouteWithdrawal(StaticSource, [new RouteKey(prefix)]), cancellationToken);
        Record($"withdraw {prefix}");
    }

    public Task<ImmutableArray<PeerStatus>> GetPeersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(options.Peers.Select(Status).ToImmutableArray());

    public async Task<ImmutableArray<PrefixSnapshot>> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken) =>
        prefix is { } covering ? await Rib.GetRangeAsync(covering, cancellationToken) : await Rib.GetTableAsync(cancellationToken);

    public Task<ChangeSubscription> SubscribeRibAsync(ChangeSubscriptionOptions options, CancellationToken cancellationToken) =>
        Rib.SubscribeAsync(options, replayCurrentTable: true, cancellationToken);

    public ChannelReader<PeerStatus> SubscribePeerStates() => states.Reader;

    public async ValueTask DisposeAsync()
    {
        Disposed = true;
        states.Writer.TryComplete();
        await ribStop.CancelAsync();
        if (ribRun is not null)
        {
            try
            {
                await ribRun;
            }
            catch (OperationCanceledException)
            {
                // Stopped as asked.
            }
        }

        ribStop.Dispose();
    }

    private static PeerStatus Status(PeerOptions peer) => new()
    {
        Address = peer.Address,
        RemoteAs = peer.RemoteAs,
        LocalAs = peer.LocalAs ?? 65001,
        Type = PeerType.External,
        State = SessionState.Idle,
        Since = DateTimeOffset.UnixEpoch,
        Info = "Idle",
        Description = peer.Description,
    };

    private void Record(string call) => calls.Writer.TryWrite(call);
}
