using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// BIRD 2 (<c>bird -f -c CONF -s SOCK -P PID</c>), queried with <c>birdc -s SOCK</c>. Each neighbour
/// is a protocol <c>nI</c>; originated routes are static routes whose BGP attributes are set by the
/// export filter (BIRD drops a static route's MED toward eBGP unless the export filter sets it).
/// </summary>
public sealed partial class BirdRouter : Router
{
    /// <summary>Makes the driver; <see cref="Router.Start"/> runs it.</summary>
    /// <param name="node">Where it runs.</param>
    /// <param name="name">A label unique in the topology.</param>
    /// <param name="spec">What to configure.</param>
    public BirdRouter(Node node, string name, RouterSpec spec)
        : base(node, name, spec)
    {
        Bird = Require("bird", "bird2");
        Birdc = Require("birdc", "bird2");
    }

    private string Bird { get; }

    private string Birdc { get; }

    /// <summary>The control socket.</summary>
    public string Socket => Path.Combine(Directory, "bird.ctl");

    /// <inheritdoc/>
    public override string ConfigPath => Path.Combine(Directory, "bird.conf");

    /// <summary>The protocol name BIRD uses for a neighbour.</summary>
    /// <param name="neighbor">The neighbour's address.</param>
    public string ProtocolFor(IPAddress neighbor)
    {
        for (var i = 0; i < Spec.Neighbors.Count; i++)
        {
            if (Spec.Neighbors[i].Address.Equals(neighbor))
            {
                return $"n{i}";
            }
        }

        throw new InvalidOperationException($"{Name} has no neighbour {neighbor}.");
    }

    /// <summary>Runs a birdc command and returns its output without the greeting line.</summary>
    /// <param name="command">The command words.</param>
    public string Cli(params string[] command)
    {
        var result = Cmd.Try(Birdc, ["-s", Socket, .. command]);
        var text = result.StdOut;
        if (result.ExitCode != 0 || !text.StartsWith("BIRD ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"birdc {string.Join(' ', command)} failed ({result.ExitCode}): {result.StdErr}{text}");
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? "" : text[(newline + 1)..];
    }

    /// <summary>Disables a neighbour's protocol (the session goes down with a Cease).</summary>
    /// <param name="neighbor">The neighbour.</param>
    public void DisableNeighbor(IPAddress neighbor) => Cli("disable", ProtocolFor(neighbor));

    /// <summary>Enables a neighbour's protocol again.</summary>
    /// <param name="neighbor">The neighbour.</param>
    public void EnableNeighbor(IPAddress neighbor) => Cli("enable", ProtocolFor(neighbor));

    /// <inheritdoc/>
    protected override void WriteConfig()
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"router id {Spec.RouterId};\n");
        c.Append("log stderr all;\n");
        c.Append("protocol device { scan time 10; }\n");
        if (Spec.InstallRoutes)
        {
            // The FIB side of the comparison: every best route into table main, nothing learnt back,
            // removed again on shutdown; the periodic scan only re-syncs, so once a minute is enough.
            c.Append("protocol kernel kernel4 {\n  ipv4 { import none; export all; };\n  kernel table 254;\n  learn off;\n  persist off;\n  scan time 60;\n}\n");
            c.Append("protocol kernel kernel6 {\n  ipv6 { import none; export all; };\n  kernel table 254;\n  learn off;\n  persist off;\n  scan time 60;\n}\n");
        }

        var v4 = Spec.Routes.Where(r => r.Family == Family.Ipv4).ToList();
        var v6 = Spec.Routes.Where(r => r.Family == Family.Ipv6).ToList();
        if (v4.Count > 0 || Spec.BulkIpv4Routes > 0)
        {
            c.Append("protocol static static4 {\n  ipv4;\n");
            foreach (var route in v4)
            {
                c.Append(CultureInfo.InvariantCulture, $"  route {route.Prefix} unreachable;\n");
            }

            if (Spec.BulkIpv4Routes > 0)
            {
                var bulk = Path.Combine(Directory, "bulk4.conf");
                WriteBulk(bulk, Spec.BulkIpv4Routes);
                c.Append(CultureInfo.InvariantCulture, $"  include \"{bulk}\";\n");
            }

            c.Append("}\n");
        }

        if (v6.Count > 0)
        {
            c.Append("protocol static static6 {\n  ipv6;\n");
            foreach (var route in v6)
            {
                c.Append(CultureInfo.InvariantCulture, $"  route {route.Prefix} unreachable;\n");
            }

            c.Append("}\n");
        }

        // The originated routes' attributes, set on export (see the class remarks).
        c.Append("function set_attrs() {\n");
        foreach (var route in Spec.Routes)
        {
            c.Append(CultureInfo.InvariantCulture, $"  if source = RTS_STATIC && net = {route.Prefix} then {{\n");
            if (route.Med is { } med)
            {
                c.Append(CultureInfo.InvariantCulture, $"    bgp_med = {med};\n");
            }

            if (route.LocalPref is { } lp)
            {
                c.Append(CultureInfo.InvariantCulture, $"    bgp_local_pref = {lp};\n");
            }

            foreach (var community in route.Communities)
            {
                c.Append(CultureInfo.InvariantCulture, $"    bgp_community.add(({community.Replace(':', ',')}));\n");
            }

            foreach (var large in route.LargeCommunities)
            {
                c.Append(CultureInfo.InvariantCulture, $"    bgp_large_community.add(({large.Replace(':', ',')}));\n");
            }

            c.Append("  }\n");
        }

        c.Append("}\n");

        for (var i = 0; i < Spec.Neighbors.Count; i++)
        {
            var n = Spec.Neighbors[i];
            var internalPeer = n.As == Spec.As;
            c.Append(CultureInfo.InvariantCulture, $"protocol bgp n{i} {{\n");
            c.Append(n.LocalAddress is null
                ? string.Create(CultureInfo.InvariantCulture, $"  local as {Spec.As};\n")
                : string.Create(CultureInfo.InvariantCulture, $"  local {n.LocalAddress} as {Spec.As};\n"));
            c.Append(CultureInfo.InvariantCulture, $"  neighbor {n.Address} as {n.As};\n");
            if (n.Multihop is { } hops)
            {
                // Also keeps BIRD from adding a link-local IPv6 next hop, which FRR without zebra cannot resolve.
                c.Append(CultureInfo.InvariantCulture, $"  multihop {hops};\n");
            }
            else if (internalPeer)
            {
                // Directly connected iBGP: next hops resolve on the link without an IGP.
                c.Append("  direct;\n");
            }

            // Quick retries: tests bring sessions up and down on purpose.
            c.Append("  connect delay time 1;\n  connect retry time 2;\n  error wait time 1, 4;\n  error forget time 10;\n");
            if (n.Passive)
            {
                c.Append("  passive on;\n");
            }

            if (n.Password is not null)
            {
                c.Append(CultureInfo.InvariantCulture, $"  password \"{n.Password}\";\n");
            }

            if (n.TtlSecurity)
            {
                c.Append("  ttl security on;\n");
            }

            if (n.RouteReflectorClient)
            {
                c.Append("  rr client;\n");
                if (Spec.ClusterId is not null)
                {
                    c.Append(CultureInfo.InvariantCulture, $"  rr cluster id {Spec.ClusterId};\n");
                }
            }

            if (n.GracefulRestart)
            {
                c.Append("  graceful restart on;\n");
            }

            if (n.HoldTime is { } hold)
            {
                c.Append(CultureInfo.InvariantCulture, $"  hold time {hold};\n");
            }

            foreach (var family in n.EffectiveFamilies)
            {
                c.Append(family == Family.Ipv4 ? "  ipv4 {\n" : "  ipv6 {\n");
                c.Append("    import all;\n    export filter { set_attrs(); accept; };\n");
                if (n.NextHopSelf)
                {
                    c.Append("    next hop self;\n");
                }

                c.Append("  };\n");
            }

            c.Append("}\n");
        }

        File.WriteAllText(ConfigPath, c.ToString());
    }

    private static void WriteBulk(string path, int count)
    {
        using var writer = new StreamWriter(path, append: false, Encoding.ASCII, 1 << 20);
        for (var i = 0; i < count; i++)
        {
            writer.Write("route ");
            writer.Write(RouterSpec.BulkPrefix(i));
            writer.Write(" unreachable;\n");
        }
    }

    /// <inheritdoc/>
    protected override void Launch()
    {
        File.Delete(Socket);
        Process = Node.Topology.Start(Node, $"{Name}-bird", null, Bird, "-f", "-c", ConfigPath, "-s", Socket, "-P", Path.Combine(Directory, "bird.pid"));
    }

    /// <inheritdoc/>
    protected override bool Ready() => File.Exists(Socket) && Cli("show", "status").Contains("Daemon is up", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string? SessionState(IPAddress neighbor)
    {
        var text = Cli("show", "protocols", "all", ProtocolFor(neighbor));
        var match = BgpStateLine().Match(text);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    /// <inheritdoc/>
    protected override string DescribeSessions() => Cli("show", "protocols");

    /// <inheritdoc/>
    public override long RouteCount(Family family)
    {
        // "1000000 of 1000000 routes for 1000000 networks in table master4"
        var text = Cli("show", "route", "count", "table", family == Family.Ipv4 ? "master4" : "master6");
        var match = RouteCountLine().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new FormatException($"unexpected birdc output: {text}");
    }

    /// <summary>Networks that came from BGP (not our static routes), for counting received routes.</summary>
    /// <param name="family">The family.</param>
    public long BgpRouteCount(Family family)
    {
        var text = Cli("show", "route", "count", "table", family == Family.Ipv4 ? "master4" : "master6", "where", "source", "=", "RTS_BGP");
        var match = RouteCountLine().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new FormatException($"unexpected birdc output: {text}");
    }

    /// <inheritdoc/>
    public override IReadOnlyList<RouteEntry> Routes(Family family) =>
        ParseRoutes(Cli("show", "route", "all", "table", family == Family.Ipv4 ? "master4" : "master6"), this);

    /// <summary>Parses <c>birdc show route all</c> output.</summary>
    /// <param name="text">The output without the greeting.</param>
    /// <param name="router">Maps protocol names back to neighbour addresses; may be null.</param>
    public static IReadOnlyList<RouteEntry> ParseRoutes(string text, BirdRouter? router)
    {
        var routes = new List<RouteEntry>();
        string? prefix = null;
        RouteEntry? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith("Table ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line[0] == '\t')
            {
                if (current is not null)
                {
                    current = ApplyAttribute(current, line.Trim());
                }

                continue;
            }

            var header = RouteHeader().Match(line);
            if (!header.Success)
            {
                continue;
            }

            if (current is not null)
            {
                routes.Add(current);
            }

            if (header.Groups["prefix"].Success)
            {
                prefix = header.Groups["prefix"].Value;
            }

            var protocol = header.Groups["proto"].Value;
            current = new RouteEntry
            {
                Prefix = prefix ?? "",
                Best = header.Groups["best"].Success,
                From = router?.AddressOfProtocol(protocol) ?? protocol,
                Stale = line.Contains("stale", StringComparison.OrdinalIgnoreCase),
            };
        }

        if (current is not null)
        {
            routes.Add(current);
        }

        return routes;
    }

    private string? AddressOfProtocol(string protocol)
    {
        if (protocol.Length > 1 && protocol[0] == 'n' && int.TryParse(protocol.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < Spec.Neighbors.Count)
        {
            return Spec.Neighbors[i].Address.ToString();
        }

        return null;
    }

    private static RouteEntry ApplyAttribute(RouteEntry route, string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return route;
        }

        var key = line[..colon];
        var value = line[(colon + 1)..].Trim();
        return key switch
        {
            "BGP.as_path" => route with { AsPath = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => char.IsDigit(t[0])).Select(t => uint.Parse(t, CultureInfo.InvariantCulture)).ToList() },
            "BGP.next_hop" => route with { NextHop = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() },
            "BGP.med" => route with { Med = uint.Parse(value, CultureInfo.InvariantCulture) },
            "BGP.local_pref" => route with { LocalPref = uint.Parse(value, CultureInfo.InvariantCulture) },
            "BGP.community" => route with { Communities = Tuples(value) },
            "BGP.large_community" => route with { LargeCommunities = Tuples(value) },
            "BGP.originator_id" => route with { OriginatorId = value },
            "BGP.cluster_list" => route with { ClusterList = value.Split(' ', StringSplitOptions.RemoveEmptyEntries) },
            _ => route,
        };
    }

    // "(65001,100) (65001,200)" or "(65001, 1, 2)" -> "65001:100", "65001:1:2"
    private static List<string> Tuples(string value) =>
        TupleItem().Matches(value).Select(m => string.Join(':', m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))).ToList();

    /// <summary>True when <paramref name="address"/> is IPv6.</summary>
    /// <param name="address">The address.</param>
    public static bool IsV6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;

    [GeneratedRegex(@"BGP state:\s+(\S+)")]
    private static partial Regex BgpStateLine();

    [GeneratedRegex(@"(\d+) of \d+ routes for \d+ networks")]
    private static partial Regex RouteCountLine();

    // "10.2.0.0/24          unicast [frr4 01:07:59.025] * (100) [AS65002i]" or a continuation
    // line for another path of the same prefix, which starts with spaces instead of the prefix.
    [GeneratedRegex(@"^(?:(?<prefix>[0-9a-fA-F:.]+/\d+)|\s+)\s*\S+\s+\[(?<proto>\S+)(?<rest>[^\]]*)\](?<best>\s+\*)?")]
    private static partial Regex RouteHeader();

    [GeneratedRegex(@"\(([^)]*)\)")]
    private static partial Regex TupleItem();
}
