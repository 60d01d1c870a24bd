// The control socket's wire format, compiled into both bgpstackd and bgpstackctl (linked, not
// referenced: the CLI must not load the daemon's assembly). One JSON object per line each way.
using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace BgpStack.Control;

/// <summary>The command names a request may carry.</summary>
internal static class ControlCommands
{
    /// <summary>The peer table: <see cref="StatusResult"/>.</summary>
    public const string Status = "status";

    /// <summary>The Loc-RIB, or a prefix and its more-specifics: <see cref="RoutesResult"/>.</summary>
    public const string Routes = "routes";

    /// <summary>Re-read the configuration file and apply it: <see cref="ReloadResult"/>.</summary>
    public const string Reload = "reload";

    /// <summary>Stop for a graceful restart (sessions closed without a NOTIFICATION, like <c>birdc graceful restart</c>): <see cref="StopResult"/>.</summary>
    public const string GracefulRestart = "graceful-restart";

    /// <summary>Our routes as the kernel holds them, and how they differ from the RIB's selected routes: <see cref="FibResult"/>.</summary>
    public const string Fib = "fib";
}

/// <summary>A request: <c>{"command":"routes","prefix":"10.0.0.0/8"}</c>. Unknown members are an error, so a misspelt one is not silently ignored.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ControlRequest
{
    /// <summary>One of <see cref="ControlCommands"/>.</summary>
    public string? Command { get; init; }

    /// <summary>For <c>routes</c>: this prefix and the more-specific ones in the table; null for the whole table.</summary>
    public string? Prefix { get; init; }
}

/// <summary>A response: <c>{"ok":true,"result":...}</c> or <c>{"ok":false,"error":"..."}</c>.</summary>
/// <typeparam name="T">The result's type, which the command decides.</typeparam>
internal sealed record ControlResponse<T>
    where T : class
{
    /// <summary>True when the command succeeded and <see cref="Result"/> is set.</summary>
    public bool Ok { get; init; }

    /// <summary>Why the command failed, when <see cref="Ok"/> is false.</summary>
    public string? Error { get; init; }

    /// <summary>The command's result, when <see cref="Ok"/> is true.</summary>
    public T? Result { get; init; }
}

/// <summary>The failure response every command shares; reads back as any <see cref="ControlResponse{T}"/>.</summary>
internal sealed record ControlError
{
    /// <summary>Always false.</summary>
    public bool Ok { get; init; }

    /// <summary>What went wrong.</summary>
    public required string Error { get; init; }
}

/// <summary>The result of <c>status</c>: who we are and every peer.</summary>
internal sealed record StatusResult
{
    /// <summary>The daemon's version.</summary>
    public required string Version { get; init; }

    /// <summary>Our BGP identifier.</summary>
    public required string RouterId { get; init; }

    /// <summary>Our AS.</summary>
    public required uint LocalAs { get; init; }

    /// <summary>When the daemon started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The configuration file in use; null when running on the embedded default.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Every configured and dynamic peer.</summary>
    public ImmutableArray<PeerStatusDto> Peers { get; init; } = [];
}

/// <summary>One peer's session, as <c>status</c> shows it.</summary>
internal sealed record PeerStatusDto
{
    /// <summary>The peer's address.</summary>
    public required string Address { get; init; }

    /// <summary>The peer's AS.</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>Our AS toward the peer.</summary>
    public required uint LocalAs { get; init; }

    /// <summary><c>external</c>, <c>internal</c> or <c>rr-client</c>.</summary>
    public required string Type { get; init; }

    /// <summary>True when the peer came from a dynamic neighbour range.</summary>
    public bool Dynamic { get; init; }

    /// <summary>The RFC 4271 state: <c>Idle</c>, <c>Connect</c>, <c>Active</c>, <c>OpenSent</c>, <c>OpenConfirm</c>, <c>Established</c>.</summary>
    public required string State { get; init; }

    /// <summary>True when the peer is administratively down (configuration <c>shutdown: true</c>).</summary>
    public bool Shutdown { get; init; }

    /// <summary>When the session entered its state (UTC).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>BIRD-style explanation of the state.</summary>
    public required string Info { get; init; }

    /// <summary>The peer's BGP identifier, once known.</summary>
    public string? RouterId { get; init; }

    /// <summary>The negotiated hold time in seconds, while established.</summary>
    public int? HoldTime { get; init; }

    /// <summary>The negotiated families (<c>ipv4-unicast</c>, ...).</summary>
    public ImmutableArray<string> Families { get; init; } = [];

    /// <summary>Prefixes received and held, per family.</summary>
    public ImmutableSortedDictionary<string, int> PrefixesReceived { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>Prefixes advertised, per family.</summary>
    public ImmutableSortedDictionary<string, int> PrefixesSent { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>How many times the session left Established.</summary>
    public int Flaps { get; init; }

    /// <summary>The last error, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>The configured description.</summary>
    public string? Description { get; init; }
}

/// <summary>The result of <c>routes</c>.</summary>
internal sealed record RoutesResult
{
    /// <summary>The prefixes, in prefix order.</summary>
    public ImmutableArray<RouteDto> Routes { get; init; } = [];
}

/// <summary>One prefix with its paths and the decision over them.</summary>
internal sealed record RouteDto
{
    /// <summary>The prefix.</summary>
    public required string Prefix { get; init; }

    /// <summary>The step that chose the best path over the runner-up (<c>local-pref</c>, <c>as-path-length</c>, ... <c>only-path</c>); null when no path is eligible.</summary>
    public string? Reason { get; init; }

    /// <summary>Every path the RIB holds for the prefix.</summary>
    public ImmutableArray<PathDto> Paths { get; init; } = [];
}

/// <summary>One path of a prefix.</summary>
internal sealed record PathDto
{
    /// <summary>Who it came from: the peer's address, or the kind of source (<c>static</c>, <c>local</c>, ...).</summary>
    public required string Source { get; init; }

    /// <summary><c>bgp</c>, <c>static</c>, <c>connected</c>, <c>kernel</c> or <c>local</c>.</summary>
    public required string SourceKind { get; init; }

    /// <summary>The peer's AS (BGP paths).</summary>
    public uint? PeerAs { get; init; }

    /// <summary>Whether the path came over iBGP (BGP paths).</summary>
    public bool? Internal { get; init; }

    /// <summary>The ADD-PATH identifier (0 without ADD-PATH).</summary>
    public uint PathId { get; init; }

    /// <summary>NEXT_HOP.</summary>
    public string? NextHop { get; init; }

    /// <summary>AS_PATH as text (<c>65001 65002 {65003}</c>); empty for an empty path.</summary>
    public string? AsPath { get; init; }

    /// <summary>ORIGIN: <c>igp</c>, <c>egp</c> or <c>incomplete</c>.</summary>
    public string? Origin { get; init; }

    /// <summary>MULTI_EXIT_DISC.</summary>
    public uint? Med { get; init; }

    /// <summary>LOCAL_PREF.</summary>
    public uint? LocalPref { get; init; }

    /// <summary>COMMUNITIES (<c>65001:100</c>, well-known ones by name).</summary>
    public ImmutableArray<string> Communities { get; init; } = [];

    /// <summary>LARGE_COMMUNITIES (<c>65001:1:2</c>).</summary>
    public ImmutableArray<string> LargeCommunities { get; init; } = [];

    /// <summary>ORIGINATOR_ID (RFC 4456).</summary>
    public string? OriginatorId { get; init; }

    /// <summary>CLUSTER_LIST (RFC 4456).</summary>
    public ImmutableArray<string> ClusterList { get; init; } = [];

    /// <summary>The best path of its prefix.</summary>
    public bool Best { get; init; }

    /// <summary>In the multipath (ECMP) set, the best included.</summary>
    public bool Multipath { get; init; }

    /// <summary>Held as stale after the peer's restart (RFC 4724).</summary>
    public bool Stale { get; init; }

    /// <summary><c>best</c>, <c>multipath</c>, <c>lost</c> or <c>ineligible</c>.</summary>
    public required string Status { get; init; }

    /// <summary>For a path that lost: the step at which it lost; for the best: the step at which it won.</summary>
    public string? Reason { get; init; }

    /// <summary>For a path that lost: the index (in this prefix's paths) of the path it lost to.</summary>
    public int? LostTo { get; init; }
}

/// <summary>The result of <c>reload</c>.</summary>
internal sealed record ReloadResult
{
    /// <summary>The file that was read.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>Peers added.</summary>
    public ImmutableArray<string> Added { get; init; } = [];

    /// <summary>Peers removed.</summary>
    public ImmutableArray<string> Removed { get; init; } = [];

    /// <summary>Peers whose sessions were reset because a setting they depend on changed.</summary>
    public ImmutableArray<string> Reset { get; init; } = [];

    /// <summary>Peers updated in place (their sessions stay up).</summary>
    public ImmutableArray<string> Updated { get; init; } = [];
}

/// <summary>The result of <c>graceful-restart</c>: the daemon is stopping.</summary>
internal sealed record StopResult
{
    /// <summary>True: peers that help with graceful restart keep our routes until we are back.</summary>
    public bool ForRestart { get; init; }

    /// <summary>The longest restart time we advertised, in seconds: how long peers wait for us.</summary>
    public int RestartTime { get; init; }
}

/// <summary>The result of <c>fib</c>: our routes in the kernel table and their differences from the RIB.</summary>
internal sealed record FibResult
{
    /// <summary>The kernel routing table written (254 is <c>main</c>).</summary>
    public required uint Table { get; init; }

    /// <summary>The routes of ours the kernel holds (as the FIB writer last had them acknowledged), in prefix order.</summary>
    public ImmutableArray<FibRouteDto> Installed { get; init; } = [];

    /// <summary>Routes the RIB selects for the kernel that it does not hold (as the RIB wants them).</summary>
    public ImmutableArray<FibRouteDto> Missing { get; init; } = [];

    /// <summary>Routes the kernel holds for prefixes the RIB wants none of ours for.</summary>
    public ImmutableArray<FibRouteDto> Extra { get; init; } = [];

    /// <summary>Routes the kernel holds differently from what the RIB selects (as the RIB wants them).</summary>
    public ImmutableArray<FibRouteDto> Different { get; init; } = [];

    /// <summary>Prefixes waiting for a retry after the kernel refused them.</summary>
    public int Pending { get; init; }

    /// <summary>Route requests the kernel refused since the writer started.</summary>
    public long Failed { get; init; }
}

/// <summary>One kernel route.</summary>
internal sealed record FibRouteDto
{
    /// <summary>The destination.</summary>
    public required string Prefix { get; init; }

    /// <summary><c>unicast</c>, <c>blackhole</c>, ...</summary>
    public required string Type { get; init; }

    /// <summary>The gateways, in order.</summary>
    public ImmutableArray<string> NextHops { get; init; } = [];

    /// <summary>The route metric.</summary>
    public uint? Metric { get; init; }
}

/// <summary>The source-generated serializer for every message of the control protocol.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(ControlResponse<StatusResult>))]
[JsonSerializable(typeof(ControlResponse<RoutesResult>))]
[JsonSerializable(typeof(ControlResponse<ReloadResult>))]
[JsonSerializable(typeof(ControlResponse<FibResult>))]
[JsonSerializable(typeof(ControlResponse<StopResult>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
