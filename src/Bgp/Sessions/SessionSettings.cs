using BgpStack.Bgp.Speaker;

namespace BgpStack.Bgp.Sessions;

/// <summary>Everything a <see cref="BgpSession"/> needs to know about its peer and about us. Immutable.</summary>
public sealed record SessionSettings
{
    /// <summary>The peer's configuration.</summary>
    public required PeerOptions Peer { get; init; }

    /// <summary>The speaker's AS; <see cref="PeerOptions.LocalAs"/> overrides it toward this peer.</summary>
    public required uint LocalAs { get; init; }

    /// <summary>Our BGP identifier.</summary>
    public required RouterId RouterId { get; init; }

    /// <summary>We restarted with forwarding preserved: the graceful restart R bit is set (RFC 4724 §4.1).</summary>
    public bool Restarting { get; init; }

    /// <summary>The peer came from a dynamic neighbour range: the session is accepted, never initiated.</summary>
    public bool IsDynamic { get; init; }

    /// <summary>
    /// For a dynamic peer, the AS numbers its OPEN may carry (inclusive); null requires exactly
    /// <see cref="PeerOptions.RemoteAs"/>.
    /// </summary>
    public (uint Min, uint Max)? RemoteAsRange { get; init; }

    /// <summary>The most messages handled from the peer before other peers get a turn.</summary>
    public int MessagesPerTurn { get; init; } = 64;

    /// <summary>Our AS toward this peer: the per-peer override or the speaker's.</summary>
    public uint EffectiveLocalAs => Peer.LocalAs ?? LocalAs;
}
