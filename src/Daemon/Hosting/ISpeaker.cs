using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Bgp.Speaker;
using BgpStack.Rib.Feed;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// What the daemon uses of the BGP speaker: the shape of <c>BgpSpeaker</c>'s API, so the host,
/// reload and control code are written once and tests drive them with a recording double. Every
/// call is a message to the speaker's own loops.
/// </summary>
internal interface ISpeaker : IAsyncDisposable
{
    /// <summary>Starts listening and connecting.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops every session with a Cease NOTIFICATION.</summary>
    /// <param name="cancellationToken">Cuts the stop short.</param>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Stops for a graceful restart: sessions close without a NOTIFICATION, so helpers keep our routes (RFC 4724 §4.1).</summary>
    /// <param name="cancellationToken">Cuts the stop short.</param>
    Task StopForRestartAsync(CancellationToken cancellationToken);

    /// <summary>Takes new options; only peers whose session-relevant settings changed are reset.</summary>
    /// <param name="options">The new options.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task ApplyAsync(BgpSpeakerOptions options, CancellationToken cancellationToken);

    /// <summary>Announces a route of our own.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="attributes">Its attributes; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task OriginateAsync(IpPrefix prefix, PathAttributes? attributes, CancellationToken cancellationToken);

    /// <summary>Withdraws a route of our own.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task WithdrawAsync(IpPrefix prefix, CancellationToken cancellationToken);

    /// <summary>Every peer's status.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ImmutableArray<PeerStatus>> GetPeersAsync(CancellationToken cancellationToken);

    /// <summary>The Loc-RIB, or a prefix and its more-specifics.</summary>
    /// <param name="prefix">The covering prefix; null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ImmutableArray<PrefixSnapshot>> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken);

    /// <summary>Subscribes to the RIB's change feed, replaying the current table first (for the FIB writer).</summary>
    /// <param name="options">The subscription's settings.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ChangeSubscription> SubscribeRibAsync(ChangeSubscriptionOptions options, CancellationToken cancellationToken);

    /// <summary>Peer state changes as they happen.</summary>
    ChannelReader<PeerStatus> SubscribePeerStates();
}
