using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// A range of addresses from which the speaker accepts sessions it was not configured for
/// (dynamic neighbours, like FRR's <c>bgp listen range</c> or BIRD's <c>neighbor range</c>).
/// </summary>
/// <param name="Prefix">The addresses a peer may connect from.</param>
/// <param name="MinAs">The lowest AS number a dynamic peer may have.</param>
/// <param name="MaxAs">The highest AS number a dynamic peer may have.</param>
/// <param name="Template">
/// The settings every peer from the range gets; its <see cref="PeerOptions.Address"/> and
/// <see cref="PeerOptions.RemoteAs"/> are replaced by the connecting peer's.
/// </param>
public sealed record DynamicNeighborRange(IpPrefix Prefix, uint MinAs, uint MaxAs, PeerOptions Template);

/// <summary>The settings of a BGP speaker. Immutable.</summary>
public sealed record BgpSpeakerOptions
{
    /// <summary>Our BGP identifier.</summary>
    public required RouterId RouterId { get; init; }

    /// <summary>Our AS number.</summary>
    public required uint LocalAs { get; init; }

    /// <summary>Where we accept connections; empty accepts none (every peer must then be active).</summary>
    public ImmutableArray<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.IPv6Any, 179)];

    /// <summary>Our route reflector cluster ID (RFC 4456); null uses the router ID. Used only when some peer is a client.</summary>
    public RouterId? ClusterId { get; init; }

    /// <summary>The configured peers.</summary>
    public ImmutableArray<PeerOptions> Peers { get; init; } = [];

    /// <summary>Ranges from which unconfigured peers may connect.</summary>
    public ImmutableArray<DynamicNeighborRange> DynamicNeighbors { get; init; } = [];

    /// <summary>
    /// Set when this start follows a restart that preserved forwarding: we send the restart state
    /// (R) bit and defer our first advertisement until End-of-RIB from every peer or the deferral
    /// timer (RFC 4724 §4.1).
    /// </summary>
    public bool Restarting { get; init; }

    /// <summary>The RIB's settings: decision options (ECMP paths), next-hop resolution, channel sizes.</summary>
    public RibLoopOptions Rib { get; init; } = RibLoopOptions.Default;

    /// <summary>The clock used for every timer; tests inject a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the speaker logs.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The most messages handled from one peer before another peer gets a turn.</summary>
    public int MessagesPerTurn { get; init; } = 64;
}
