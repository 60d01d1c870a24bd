using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// GoBGP (<c>gobgpd -f CONF.toml --api-hosts 127.0.0.1:PORT</c>), queried with <c>gobgp -p PORT ... -j</c>
/// inside the node's namespace (the API listens on the namespace's own loopback). Originated routes
/// are added through <c>gobgp global rib add</c> once the daemon answers.
/// </summary>
public sealed partial class GobgpRouter : Router
{
    private const string ApiPort = "50051";

    /// <summary>Makes the driver; <see cref="Router.Start"/> runs it.</summary>
    /// <param name="node">Where it runs.</param>
    /// <param name="name">A label unique in the topology.</param>
    /// <param name="spec">What to configure.</param>
    public GobgpRouter(Node node, string name, RouterSpec spec)
        : base(node, name, spec)
    {
        if (spec.BulkIpv4Routes > 0)
        {
            throw new ArgumentException("The GoBGP driver does not render bulk routes; use BIRD as the feeder.", nameof(spec));
        }

        if (spec.InstallRoutes)
        {
            throw new ArgumentException("The GoBGP driver runs no FIB writer (no zebra); kernel installation is for BIRD and bgpstackd.", nameof(spec));
        }

        Gobgpd = Require("gobgpd", "gobgpd");
        Gobgp = Require("gobgp", "gobgpd");
    }

    private string Gobgpd { get; }

    private string Gobgp { get; }

    /// <inheritdoc/>
    public override string ConfigPath => Path.Combine(Directory, "gobgpd.toml");

    /// <summary>Runs a gobgp CLI command inside the namespace and returns stdout.</summary>
    /// <param name="args">The arguments after <c>-p PORT</c>.</param>
    public string Cli(params string[] args)
    {
        var result = Node.Exec(Gobgp, ["-p", ApiPort, .. args]);
        return result.ExitCode == 0
            ? result.StdOut
            : throw new InvalidOperationException($"gobgp {string.Join(' ', args)} failed ({result.ExitCode}): {result.StdErr}{result.StdOut}");
    }

    /// <summary>Resets the session to a neighbour.</summary>
    /// <param name="neighbor">The neighbour.</param>
    public void ResetNeighbor(IPAddress neighbor) => Cli("neighbor", neighbor.ToString(), "reset");

    /// <inheritdoc/>
    protected override void WriteConfig()
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"[global.config]\n  as = {Spec.As}\n  router-id = \"{Spec.RouterId}\"\n  port = 179\n\n");
        foreach (var n in Spec.Neighbors)
        {
            c.Append(CultureInfo.InvariantCulture, $"[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"{n.Address}\"\n    peer-as = {n.As}\n");
            if (n.Password is not null)
            {
                c.Append(CultureInfo.InvariantCulture, $"    auth-password = \"{n.Password}\"\n");
            }

            // Quick retries: GoBGP waits 120 s between connects and 30 s after a reset by default.
            c.Append("  [neighbors.timers.config]\n    connect-retry = 2\n    idle-hold-time-after-reset = 1\n");
            if (n.HoldTime is { } hold)
            {
                c.Append(CultureInfo.InvariantCulture, $"    hold-time = {hold}\n    keepalive-interval = {Math.Max(1, hold / 3)}\n");
            }

            if (n.Passive || n.LocalAddress is not null)
            {
                c.Append("  [neighbors.transport.config]\n");
                if (n.Passive)
                {
                    c.Append("    passive-mode = true\n");
                }

                if (n.LocalAddress is not null)
                {
                    c.Append(CultureInfo.InvariantCulture, $"    local-address = \"{n.LocalAddress}\"\n");
                }
            }

            if (n.Multihop is { } hops)
            {
                c.Append(CultureInfo.InvariantCulture, $"  [neighbors.ebgp-multihop.config]\n    enabled = true\n    multihop-ttl = {hops}\n");
            }

            if (n.TtlSecurity)
            {
                c.Append("  [neighbors.ttl-security.config]\n    enabled = true\n    ttl-min = 255\n");
            }

            if (n.RouteReflectorClient)
            {
                c.Append(CultureInfo.InvariantCulture, $"  [neighbors.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = \"{Spec.ClusterId ?? Spec.RouterId}\"\n");
            }

            if (n.GracefulRestart)
            {
                c.Append("  [neighbors.graceful-restart.config]\n    enabled = true\n    restart-time = 120\n");
            }

            foreach (var family in n.EffectiveFamilies)
            {
                c.Append(CultureInfo.InvariantCulture, $"  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"{(family == Family.Ipv4 ? "ipv4-unicast" : "ipv6-unicast")}\"\n");
                if (n.GracefulRestart)
                {
                    c.Append("    [neighbors.afi-safis.mp-graceful-restart.config]\n      enabled = true\n");
                }
            }

            c.Append('\n');
        }

        File.WriteAllText(ConfigPath, c.ToString());
    }

    /// <inheritdoc/>
    protected override void Launch() =>
        Process = Node.Topology.Start(Node, $"{Name}-gobgpd", null, Gobgpd, "-f", ConfigPath, "--api-hosts", $"127.0.0.1:{ApiPort}");

    /// <inheritdoc/>
    protected override bool Ready() => Node.Exec(Gobgp, "-p", ApiPort, "global").ExitCode == 0;

    /// <inheritdoc/>
    protected override void AfterStart()
    {
        foreach (var route in Spec.Routes)
        {
            List<string> args = ["global", "rib", "add", route.Prefix];
            if (route.Communities.Count > 0)
            {
                args.AddRange(["community", string.Join(',', route.Communities)]);
            }

            if (route.LargeCommunities.Count > 0)
            {
                args.AddRange(["large-community", string.Join(',', route.LargeCommunities)]);
            }

            if (route.Med is { } med)
            {
                args.AddRange(["med", med.ToString(CultureInfo.InvariantCulture)]);
            }

            if (route.LocalPref is { } lp)
            {
                args.AddRange(["local-pref", lp.ToString(CultureInfo.InvariantCulture)]);
            }

            args.AddRange(["-a", route.Family == Family.Ipv4 ? "ipv4" : "ipv6"]);
            Cli([.. args]);
        }
    }

    /// <inheritdoc/>
    public override string? SessionState(IPAddress neighbor)
    {
        using var document = JsonDocument.Parse(Cli("neighbor", "-j"));
        foreach (var peer in document.RootElement.EnumerateArray())
        {
            if (!peer.TryGetProperty("state", out var state) || !state.TryGetProperty("neighbor_address", out var address)
                || !IPAddress.TryParse(address.GetString(), out var parsed) || !parsed.Equals(neighbor))
            {
                continue;
            }

            if (!state.TryGetProperty("session_state", out var session))
            {
                return "Idle";
            }

            // api.PeerState.SessionState: 1 idle .. 6 established (a string in some versions).
            return session.ValueKind == JsonValueKind.Number
                ? session.GetInt32() switch
                {
                    1 => "Idle",
                    2 => "Connect",
                    3 => "Active",
                    4 => "OpenSent",
                    5 => "OpenConfirm",
                    6 => "Established",
                    var other => $"Unknown({other})",
                }
                : session.GetString();
        }

        return null;
    }

    /// <inheritdoc/>
    protected override string DescribeSessions() => Cli("neighbor");

    /// <inheritdoc/>
    public override long RouteCount(Family family)
    {
        // "Destination: 1000000, Path: 1000000"
        var text = Cli("global", "rib", "summary", "-a", family == Family.Ipv4 ? "ipv4" : "ipv6");
        var match = DestinationCount().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new FormatException($"unexpected gobgp output: {text}");
    }

    /// <inheritdoc/>
    public override IReadOnlyList<RouteEntry> Routes(Family family)
    {
        var text = Cli("global", "rib", "-j", "-a", family == Family.Ipv4 ? "ipv4" : "ipv6").Trim();
        var result = new List<RouteEntry>();
        if (text.Length == 0 || text == "null")
        {
            return result;
        }

        using var document = JsonDocument.Parse(text);
        foreach (var prefix in document.RootElement.EnumerateObject())
        {
            foreach (var path in prefix.Value.EnumerateArray())
            {
                result.Add(ParsePath(prefix.Name, path));
            }
        }

        return result;
    }

    private static RouteEntry ParsePath(string prefix, JsonElement path)
    {
        var route = new RouteEntry
        {
            Prefix = prefix,
            Best = path.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.True,
            Stale = path.TryGetProperty("stale", out var stale) && stale.ValueKind == JsonValueKind.True,
            From = path.TryGetProperty("neighbor-ip", out var from) ? from.GetString() : null,
        };
        if (!path.TryGetProperty("attrs", out var attrs))
        {
            return route;
        }

        foreach (var attr in attrs.EnumerateArray())
        {
            if (attr.TryGetProperty("nexthop", out var nexthop))
            {
                route = route with { NextHop = nexthop.GetString() };
            }

            route = attr.GetProperty("type").GetInt32() switch
            {
                2 when attr.TryGetProperty("as_paths", out var segments) => route with
                {
                    AsPath = segments.EnumerateArray().SelectMany(s => s.TryGetProperty("asns", out var asns) ? asns.EnumerateArray().Select(a => a.GetUInt32()) : []).ToList(),
                },
                4 => route with { Med = attr.GetProperty("metric").GetUInt32() },
                5 => route with { LocalPref = attr.GetProperty("value").GetUInt32() },
                8 => route with
                {
                    Communities = attr.GetProperty("communities").EnumerateArray().Select(v => v.GetUInt32()).Select(v => $"{v >> 16}:{v & 0xFFFF}").ToList(),
                },
                9 => route with { OriginatorId = attr.GetProperty("value").GetString() },
                10 => route with { ClusterList = attr.GetProperty("value").EnumerateArray().Select(v => v.GetString() ?? "").ToList() },
                32 => route with
                {
                    LargeCommunities = attr.GetProperty("value").EnumerateArray()
                        .Select(v => $"{v.GetProperty("ASN").GetUInt32()}:{v.GetProperty("LocalData1").GetUInt32()}:{v.GetProperty("LocalData2").GetUInt32()}").ToList(),
                },
                _ => route,
            };
        }

        return route;
    }

    [GeneratedRegex(@"Destination:\s*(\d+)")]
    private static partial Regex DestinationCount();
}
