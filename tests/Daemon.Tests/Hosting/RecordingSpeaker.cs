using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Speaker;
using BgpStack.Daemon.Hosting;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>A speaker double that records what the daemon asks of it and reports its peers as Idle.</summary>
internal sealed class RecordingSpeaker : ISpeaker
{
    private readonly Channel<PeerStatus> states = Channel.CreateUnbounded<PeerStatus>();
    private readonly Channel<string> calls = Channel.CreateUnbounded<string>();
    private volatile BgpSpeakerOptions options;

    public RecordingSpeaker(BgpSpeakerOptions options) => this.options = options;

    public BgpSpeakerOptions Options => options;

    public ConcurrentQueue<BgpSpeakerOptions> Applied { get; } = new();

    public ConcurrentDictionary<IpPrefix, PathAttributes?> Originated { get; } = new();

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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
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

    public Task ApplyAsync(BgpSpeakerOptions options, CancellationToken cancellationToken)
    {
        this.options = options;
        Applied.Enqueue(options);
        Record($"apply {options.Peers.Length}");
        return Task.CompletedTask;
    }

    public Task OriginateAsync(IpPrefix prefix, PathAttributes? attributes, CancellationToken cancellationToken)
    {
        Originated[prefix] = attributes;
        Record($"originate {prefix}");
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(IpPrefix prefix, CancellationToken cancellationToken)
    {
        Originated.TryRemove(prefix, out _);
        Record($"withdraw {prefix}");
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<PeerStatus>> GetPeersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(options.Peers.Select(Status).ToImmutableArray());

    public Task<ImmutableArray<PrefixSnapshot>> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken) =>
        Task.FromResult(ImmutableArray<PrefixSnapshot>.Empty);

    public ChannelReader<PeerStatus> SubscribePeerStates() => states.Reader;

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        states.Writer.TryComplete();
        return ValueTask.CompletedTask;
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
