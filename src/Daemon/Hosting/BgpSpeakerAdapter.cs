using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Bgp.Speaker;
using BgpStack.Rib.Feed;

namespace BgpStack.Daemon.Hosting;

/// <summary>The daemon's speaker: <see cref="BgpSpeaker"/> behind the <see cref="ISpeaker"/> seam, every call passed straight through.</summary>
/// <param name="speaker">The speaker.</param>
internal sealed class BgpSpeakerAdapter(BgpSpeaker speaker) : ISpeaker
{
    /// <summary>Creates the speaker for <paramref name="options"/>.</summary>
    /// <param name="options">The speaker's options.</param>
    public static ISpeaker Create(BgpSpeakerOptions options) => new BgpSpeakerAdapter(new BgpSpeaker(options));

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => speaker.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => speaker.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopForRestartAsync(CancellationToken cancellationToken) => speaker.StopForRestartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task ApplyAsync(BgpSpeakerOptions options, CancellationToken cancellationToken) => speaker.ApplyAsync(options, cancellationToken);

    /// <inheritdoc/>
    public Task OriginateAsync(IpPrefix prefix, PathAttributes? attributes, CancellationToken cancellationToken) => speaker.OriginateAsync(prefix, attributes, cancellationToken);

    /// <inheritdoc/>
    public Task WithdrawAsync(IpPrefix prefix, CancellationToken cancellationToken) => speaker.WithdrawAsync(prefix, cancellationToken);

    /// <inheritdoc/>
    public Task<ImmutableArray<PeerStatus>> GetPeersAsync(CancellationToken cancellationToken) => speaker.GetPeersAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<ImmutableArray<PrefixSnapshot>> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken) => speaker.GetRoutesAsync(prefix, cancellationToken);

    /// <inheritdoc/>
    public Task<ChangeSubscription> SubscribeRibAsync(ChangeSubscriptionOptions options, CancellationToken cancellationToken) =>
        speaker.Rib.SubscribeAsync(options, replayCurrentTable: true, cancellationToken);

    /// <inheritdoc/>
    public ChannelReader<PeerStatus> SubscribePeerStates() => speaker.SubscribePeerStates();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => speaker.DisposeAsync();
}
