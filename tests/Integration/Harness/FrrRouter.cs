using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// FRR's bgpd alone, without zebra (<c>bgpd -Z -S -f CONF --vty_socket DIR -i PID</c>), queried
/// with <c>vtysh --vty_socket DIR -c '... json'</c>. Originated routes are <c>network</c>
/// statements whose attributes come from a route-map each.
/// </summary>
public sealed class FrrRouter : Router
{
    /// <summary>Makes the driver; <see cref="Router.Start"/> runs it.</summary>
    /// <param name="node">Where it runs.</param>
    /// <param name="name">A label unique in the topology.</param>
    /// <param name="spec">What to configure.</param>
    public FrrRouter(Node node, string name, RouterSpec spec)
        : base(node, name, spec)
    {
        if (spec.BulkIpv4Routes > 0)
        {
            throw new ArgumentException("The FRR driver does not render bulk routes; use BIRD as the feeder.", nameof(spec));
        }

        if (spec.InstallRoutes)
        {
            throw new ArgumentException("The FRR driver runs no FIB writer (no zebra); kernel installation is for BIRD and bgpstackd.", nameof(spec));
        }

        Bgpd = Require("/usr/lib/frr/bgpd", "frr");
        Vtysh = Require("vtysh", "frr");
    }

    private string Bgpd { get; }

    private string Vtysh { get; }

    /// <summary>The vty socket directory.</summary>
    public string VtyDirectory => Path.Combine(Directory, "vty");

    /// <inheritdoc/>
    public override string ConfigPath => Path.Combine(Directory, "bgpd.conf");

    /// <summary>Graceful restart: the restart time FRR advertises and the stale path time it keeps a restarting peer's routes.</summary>
    public (int RestartTime, int StalePathTime) GracefulRestartTimes { get; init; } = (120, 360);

    /// <summary>Runs a vtysh command and returns its output.</summary>
    /// <param name="command">The command.</param>
    public string Cli(string command)
    {
        var result = Cmd.Try(Vtysh, "--vty_socket", VtyDirectory, "-c", command);
        return result.ExitCode == 0 && !result.StdOut.StartsWith('%')
            ? result.StdOut
            : throw new InvalidOperationException($"vtysh -c '{command}' failed ({result.ExitCode}): {result.StdErr}{result.StdOut}");
    }

    /// <summary>Runs a vtysh command with JSON output and parses it.</summary>
    /// <param name="command">The command.</param>
    public JsonElement CliJson(string command)
    {
        var text = Cli(command).Trim();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return document.RootElement.Clone();
    }

    /// <summary>Resets the session to a neighbour (<c>clear bgp NEIGHBOR</c>).</summary>
    /// <param name="neighbor">The neighbour.</param>
    public void ClearNeighbor(IPAddress neighbor) => Cli($"clear bgp {neighbor}");

    /// <inheritdoc/>
    protected override void WriteConfig()
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"frr defaults traditional\nhostname {Name}\nlog stdout informational\n!\n");
        for (var i = 0; i < Spec.Routes.Count; i++)
        {
            var route = Spec.Routes[i];
            c.Append(CultureInfo.InvariantCulture, $"route-map ORIG{i} permit 10\n");
            if (route.Communities.Count > 0)
            {
                c.Append(CultureInfo.InvariantCulture, $" set community {string.Join(' ', route.Communities)}\n");
            }

            if (route.LargeCommunities.Count > 0)
            {
                c.Append(CultureInfo.InvariantCulture, $" set large-community {string.Join(' ', route.LargeCommunities)}\n");
            }

            if (route.Med is { } med)
            {
                c.Append(CultureInfo.InvariantCulture, $" set metric {med}\n");
            }

            if (route.LocalPref is { } lp)
            {
                c.Append(CultureInfo.InvariantCulture, $" set local-preference {lp}\n");
            }

            c.Append("!\n");
        }

        c.Append(CultureInfo.InvariantCulture, $"router bgp {Spec.As}\n bgp router-id {Spec.RouterId}\n");
        c.Append(" no bgp ebgp-requires-policy\n no bgp default ipv4-unicast\n no bgp network import-check\n");
        if (Spec.ClusterId is not null)
        {
            c.Append(CultureInfo.InvariantCulture, $" bgp cluster-id {Spec.ClusterId}\n");
        }

        // Global: FRR refuses the per-neighbour form on top of it ("Config Failed").
        if (Spec.Neighbors.Any(n => n.GracefulRestart))
        {
            c.Append(" bgp graceful-restart\n");
            c.Append(CultureInfo.InvariantCulture, $" bgp graceful-restart restart-time {GracefulRestartTimes.RestartTime}\n");
            c.Append(CultureInfo.InvariantCulture, $" bgp graceful-restart stalepath-time {GracefulRestartTimes.StalePathTime}\n");
        }

        foreach (var n in Spec.Neighbors)
        {
            var a = n.Address;
            c.Append(CultureInfo.InvariantCulture, $" neighbor {a} remote-as {n.As}\n neighbor {a} timers connect 2\n");
            if (n.HoldTime is { } hold)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} timers {Math.Max(1, hold / 3)} {hold}\n");
            }

            if (n.LocalAddress is not null)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} update-source {n.LocalAddress}\n");
            }

            if (n.Multihop is { } hops)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} ebgp-multihop {hops}\n");
            }

            if (n.Passive)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} passive\n");
            }

            if (n.Password is not null)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} password {n.Password}\n");
            }

            if (n.TtlSecurity)
            {
                c.Append(CultureInfo.InvariantCulture, $" neighbor {a} ttl-security hops 1\n");
            }

        }

        foreach (var family in (Family[])[Family.Ipv4, Family.Ipv6])
        {
            var neighbors = Spec.Neighbors.Where(n => n.EffectiveFamilies.Contains(family)).ToList();
            var routes = Spec.Routes.Select((r, i) => (r, i)).Where(x => x.r.Family == family).ToList();
            if (neighbors.Count == 0 && routes.Count == 0)
            {
                continue;
            }

            c.Append(family == Family.Ipv4 ? " address-family ipv4 unicast\n" : " address-family ipv6 unicast\n");
            foreach (var (route, i) in routes)
            {
                c.Append(CultureInfo.InvariantCulture, $"  network {route.Prefix} route-map ORIG{i}\n");
            }

            foreach (var n in neighbors)
            {
                c.Append(CultureInfo.InvariantCulture, $"  neighbor {n.Address} activate\n  neighbor {n.Address} send-community all\n");
                if (n.RouteReflectorClient)
                {
                    c.Append(CultureInfo.InvariantCulture, $"  neighbor {n.Address} route-reflector-client\n");
                }

                if (n.NextHopSelf)
                {
                    c.Append(CultureInfo.InvariantCulture, $"  neighbor {n.Address} next-hop-self\n");
                }
            }

            c.Append(" exit-address-family\n");
        }

        c.Append("!\n");
        File.WriteAllText(ConfigPath, c.ToString());
    }

    /// <inheritdoc/>
    protected override void Launch()
    {
        System.IO.Directory.CreateDirectory(VtyDirectory);
        File.Delete(Path.Combine(VtyDirectory, "bgpd.vty"));
        // -Z: no zebra; -S: stay root (no frr user or capabilities juggling); foreground, logging to stdout.
        Process = Node.Topology.Start(Node, $"{Name}-bgpd", null, Bgpd, "-Z", "-S", "-f", ConfigPath, "--vty_socket", VtyDirectory, "-i", Path.Combine(Directory, "bgpd.pid"));
    }

    /// <inheritdoc/>
    protected override bool Ready() => File.Exists(Path.Combine(VtyDirectory, "bgpd.vty")) && Cli("show bgp summary json").Length > 0;

    /// <inheritdoc/>
    public override string? SessionState(IPAddress neighbor)
    {
        foreach (var peer in CliJson("show bgp neighbors json").EnumerateObject())
        {
            if (IPAddress.TryParse(peer.Name, out var address) && address.Equals(neighbor))
            {
                return peer.Value.TryGetProperty("bgpState", out var state) ? state.GetString() : null;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    protected override string DescribeSessions() => Cli("show bgp summary");

    /// <inheritdoc/>
    public override long RouteCount(Family family)
    {
        var table = CliJson($"show bgp {Afi(family)} unicast json");
        return table.TryGetProperty("routes", out var routes) ? routes.EnumerateObject().LongCount() : 0;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<RouteEntry> Routes(Family family)
    {
        var table = CliJson($"show bgp {Afi(family)} unicast json");
        var result = new List<RouteEntry>();
        if (!table.TryGetProperty("routes", out var routes))
        {
            return result;
        }

        // The table view lacks communities; ask per prefix (test tables are small).
        foreach (var prefix in routes.EnumerateObject())
        {
            var detail = CliJson($"show bgp {Afi(family)} unicast {prefix.Name} json");
            if (!detail.TryGetProperty("paths", out var paths))
            {
                continue;
            }

            foreach (var path in paths.EnumerateArray())
            {
                result.Add(ParsePath(prefix.Name, path));
            }
        }

        return result;
    }

    private static RouteEntry ParsePath(string prefix, JsonElement path)
    {
        var asPath = new List<uint>();
        if (path.TryGetProperty("aspath", out var aspath) && aspath.TryGetProperty("segments", out var segments))
        {
            foreach (var segment in segments.EnumerateArray())
            {
                asPath.AddRange(segment.GetProperty("list").EnumerateArray().Select(x => x.GetUInt32()));
            }
        }

        string? nextHop = null;
        if (path.TryGetProperty("nexthops", out var nexthops))
        {
            nextHop = nexthops.EnumerateArray().Select(n => n.GetProperty("ip").GetString()).FirstOrDefault();
        }

        return new RouteEntry
        {
            Prefix = prefix,
            NextHop = nextHop,
            AsPath = asPath,
            Communities = List(path, "community"),
            LargeCommunities = List(path, "largeCommunity"),
            Med = UInt(path, "metric") ?? UInt(path, "med"),
            LocalPref = UInt(path, "localpref") ?? UInt(path, "locPrf"),
            OriginatorId = path.TryGetProperty("originatorId", out var originator) ? originator.GetString() : null,
            ClusterList = List(path, "clusterList"),
            Stale = path.TryGetProperty("stale", out var stale) && stale.ValueKind == JsonValueKind.True,
            Best = path.TryGetProperty("bestpath", out var best) && best.TryGetProperty("overall", out var overall) && overall.ValueKind == JsonValueKind.True,
            From = path.TryGetProperty("peer", out var peer) && peer.TryGetProperty("peerId", out var peerId) ? peerId.GetString() : null,
        };
    }

    private static List<string> List(JsonElement path, string name) =>
        path.TryGetProperty(name, out var value) && value.TryGetProperty("list", out var list)
            ? list.EnumerateArray().Select(x => x.ToString()).ToList()
            : [];

    private static uint? UInt(JsonElement path, string name) =>
        path.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetUInt32() : null;

    private static string Afi(Family family) => family == Family.Ipv4 ? "ipv4" : "ipv6";
}
