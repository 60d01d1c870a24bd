using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Speaker;

/// <summary>How a peer relates to us.</summary>
public enum PeerType
{
    /// <summary>An external peer (different AS).</summary>
    External,

    /// <summary>An internal peer (same AS), full mesh.</summary>
    Internal,

    /// <summary>An internal peer that is our route reflector client.</summary>
    RouteReflectorClient,
}

/// <summary>A snapshot of one peer's session, for status displays (<c>bgpstackctl status</c>).</summary>
public sealed record PeerStatus
{
    /// <summary>The peer's address.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The peer's AS.</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>Our AS toward the peer.</summary>
    public required uint LocalAs { get; init; }

    /// <summary>How the peer relates to us.</summary>
    public required PeerType Type { get; init; }

    /// <summary>True when the peer came from a dynamic neighbour range rather than configuration.</summary>
    public bool Dynamic { get; init; }

    /// <summary>The session's state.</summary>
    public required SessionState State { get; init; }

    /// <summary>True when the peer is administratively down (<see cref="PeerOptions.Shutdown"/>); its state is then Idle.</summary>
    public bool Shutdown { get; init; }

    /// <summary>When the session entered its current state.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>
    /// A short human explanation like BIRD's info column: "Established", "Active Socket: Connection
    /// refused", "Idle Received: Hold timer expired".
    /// </summary>
    public required string Info { get; init; }

    /// <summary>The peer's BGP identifier once an OPEN was received.</summary>
    public RouterId? RemoteRouterId { get; init; }

    /// <summary>The negotiated hold time while established.</summary>
    public TimeSpan? HoldTime { get; init; }

    /// <summary>The families negotiated while established.</summary>
    public ImmutableArray<AfiSafi> Families { get; init; } = [];

    /// <summary>Prefixes received from the peer and held (after the import policy), per family.</summary>
    public ImmutableDictionary<AfiSafi, int> PrefixesReceived { get; init; } = ImmutableDictionary<AfiSafi, int>.Empty;

    /// <summary>Prefixes advertised to the peer, per family.</summary>
    public ImmutableDictionary<AfiSafi, int> PrefixesSent { get; init; } = ImmutableDictionary<AfiSafi, int>.Empty;

    /// <summary>How many times the session left Established.</summary>
    public int Flaps { get; init; }

    /// <summary>The last error (NOTIFICATION sent or received, socket error), if any.</summary>
    public string? LastError { get; init; }

    /// <summary>The configured description.</summary>
    public string? Description { get; init; }
}
