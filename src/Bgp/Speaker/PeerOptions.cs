using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Speaker;

/// <summary>Which next hop we put on routes we send to a peer.</summary>
public enum NextHopMode
{
    /// <summary>The usual rules: ourselves toward eBGP peers, unchanged toward iBGP peers.</summary>
    Auto,

    /// <summary>Always ourselves (next-hop-self), also toward iBGP peers and reflected routes.</summary>
    Self,

    /// <summary>Never changed, also toward eBGP peers (as a route server or multihop eBGP would).</summary>
    Keep,
}

/// <summary>What happens when a peer sends more prefixes of a family than its limit.</summary>
public enum MaxPrefixAction
{
    /// <summary>Log a warning (once per crossing) and keep the session.</summary>
    Warn,

    /// <summary>Send a Cease / Maximum Number of Prefixes Reached NOTIFICATION (RFC 4486) and tear the session down.</summary>
    Teardown,
}

/// <summary>A limit on the number of prefixes a peer may send in one family.</summary>
/// <param name="Limit">The most prefixes accepted before <paramref name="Action"/> applies.</param>
/// <param name="Action">What to do when the limit is exceeded.</param>
/// <param name="RestartAfter">After a teardown, how long until the session may start again; null stays down until reconfigured.</param>
public sealed record MaxPrefixLimit(int Limit, MaxPrefixAction Action = MaxPrefixAction.Teardown, TimeSpan? RestartAfter = null);

/// <summary>Graceful restart settings (RFC 4724).</summary>
public sealed record GracefulRestartOptions
{
    /// <summary>The restart time we advertise: how long peers keep our routes after our session drops.</summary>
    public TimeSpan RestartTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long we keep a restarting peer's routes as stale waiting for its End-of-RIB.</summary>
    public TimeSpan StalePathTime { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>As the restarting speaker: how long we defer our first advertisement waiting for End-of-RIB from every peer.</summary>
    public TimeSpan SelectionDeferralTime { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>Whether we tell peers our forwarding state is preserved across a restart (the F bit).</summary>
    public bool ForwardingPreserved { get; init; } = true;

    /// <summary>Default settings: 120 s restart time, 360 s stale path time, forwarding preserved.</summary>
    public static GracefulRestartOptions Default { get; } = new();
}

/// <summary>
/// A configured BGP neighbour. Immutable: change a peer by handing the speaker a new value; the
/// speaker resets the session only when a setting that the session depends on changed.
/// </summary>
public sealed record PeerOptions
{
    /// <summary>The peer's address (IPv4 or IPv6); the session is made to and accepted from it.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The peer's AS number. Equal to the local AS for iBGP.</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>Our AS toward this peer when it differs from the speaker's (local-as override); null uses the speaker's.</summary>
    public uint? LocalAs { get; init; }

    /// <summary>The peer's TCP port.</summary>
    public int Port { get; init; } = 179;

    /// <summary>The local address our connections come from; null lets the kernel choose.</summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>The TCP MD5 signature password (RFC 2385); null for none.</summary>
    public string? Password { get; init; }

    /// <summary>GTSM (RFC 5082): send with TTL 255 and accept only packets with TTL 255 (254 allowed hops below with multihop).</summary>
    public bool TtlSecurity { get; init; }

    /// <summary>For eBGP: the TTL of our packets (eBGP multihop); null is 1 for eBGP and 64 for iBGP.</summary>
    public int? MultihopTtl { get; init; }

    /// <summary>The hold time we propose (RFC 4271 §4.2); zero disables keepalives and the hold timer.</summary>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The keepalive interval; it becomes a third of the negotiated hold time if that is smaller.</summary>
    public TimeSpan KeepaliveTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The connect retry time (jittered by up to 25 % per RFC 4271 §10).</summary>
    public TimeSpan ConnectRetryTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The delay-open time (RFC 4271 §8.1.1); null for no DelayOpen.</summary>
    public TimeSpan? DelayOpenTime { get; init; }

    /// <summary>The first idle hold time after a session drops; it doubles on repeated flaps up to <see cref="MaxIdleHoldTime"/>.</summary>
    public TimeSpan IdleHoldTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest idle hold time the back-off reaches.</summary>
    public TimeSpan MaxIdleHoldTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Only accept connections; never connect out.</summary>
    public bool Passive { get; init; }

    /// <summary>
    /// Administratively down (BIRD's <c>disabled</c>, FRR's <c>neighbor shutdown</c>): the session is
    /// not started and the peer's connections are refused; its status shows <c>down</c>. Turning it
    /// on for a running session closes it with a Cease / Administrative Shutdown.
    /// </summary>
    public bool Shutdown { get; init; }

    /// <summary>This iBGP peer is a route reflector client of ours (RFC 4456).</summary>
    public bool RouteReflectorClient { get; init; }

    /// <summary>Which next hop we send.</summary>
    public NextHopMode NextHop { get; init; } = NextHopMode.Auto;

    /// <summary>The address families exchanged (multiprotocol capabilities advertised).</summary>
    public ImmutableArray<AfiSafi> Families { get; init; } = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast];

    /// <summary>Graceful restart settings for this peer; null disables graceful restart toward it.</summary>
    public GracefulRestartOptions? GracefulRestart { get; init; } = GracefulRestartOptions.Default;

    /// <summary>Prefix limits per family; families not listed have no limit.</summary>
    public ImmutableDictionary<AfiSafi, MaxPrefixLimit> MaxPrefix { get; init; } = ImmutableDictionary<AfiSafi, MaxPrefixLimit>.Empty;

    /// <summary>The policy applied to routes received from the peer; null accepts all.</summary>
    public IRoutePolicy? ImportPolicy { get; init; }

    /// <summary>The policy applied to routes sent to the peer; null sends all the rules allow.</summary>
    public IRoutePolicy? ExportPolicy { get; init; }

    /// <summary>How many times our own AS may appear in a received AS_PATH before the route is dropped as a loop.</summary>
    public int AllowOwnAs { get; init; }

    /// <summary>ADD-PATH (RFC 7911) for the unicast families we exchange with this peer.</summary>
    public AddPathMode AddPath { get; init; } = AddPathMode.None;

    /// <summary>Advertise the extended message capability (RFC 8654).</summary>
    public bool ExtendedMessage { get; init; } = true;

    /// <summary>Advertise extended next hop (RFC 8950): IPv4 unicast with IPv6 next hops.</summary>
    public bool ExtendedNextHop { get; init; }

    /// <summary>Capabilities the peer must advertise; a session without them is refused with an Unsupported Capability NOTIFICATION.</summary>
    public ImmutableArray<CapabilityCode> RequiredCapabilities { get; init; } = [];

    /// <summary>A free-text description shown in status output.</summary>
    public string? Description { get; init; }
}
