using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// bgpstackd from this repository (<c>dotnet src/Daemon/bin/CONFIG/net10.0/bgpstackd.dll --config FILE</c>)
/// with its control socket in the driver's directory, queried with
/// <c>dotnet src/Ctl/bin/CONFIG/net10.0/bgpstackctl.dll --socket PATH status|routes --json</c>.
/// The JSON is read leniently (snake_case, camelCase or kebab-case names; the response envelope
/// or the bare result) so the driver follows the control protocol as the brief states it.
/// </summary>
public sealed class BgpstackdRouter : Router
{
    /// <summary>Makes the driver; <see cref="Router.Start"/> runs it.</summary>
    /// <param name="node">Where it runs.</param>
    /// <param name="name">A label unique in the topology.</param>
    /// <param name="spec">What to configure.</param>
    public BgpstackdRouter(Node node, string name, RouterSpec spec)
        : base(node, name, spec)
    {
        if (spec.BulkIpv4Routes > 0)
        {
            throw new ArgumentException("The bgpstackd driver does not render bulk routes; use BIRD as the feeder.", nameof(spec));
        }

        Dotnet = Require(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", "dotnet (the .NET SDK)");
        // BGPSTACKD_DLL runs another build of the daemon, such as the ReadyToRun publish the
        // benchmarks measure (dotnet publish src/Daemon -c Release -r linux-x64 -p:PublishReadyToRun=true).
        DaemonDll = Environment.GetEnvironmentVariable("BGPSTACKD_DLL") is { Length: > 0 } daemon ? daemon : RepoFile("src/Daemon", "bgpstackd.dll");
        CtlDll = RepoFile("src/Ctl", "bgpstackctl.dll");
    }

    private string Dotnet { get; }

    /// <summary>The daemon's built assembly.</summary>
    public string DaemonDll { get; }

    /// <summary>The CLI's built assembly.</summary>
    public string CtlDll { get; }

    /// <summary>The control socket.</summary>
    public string Socket => Path.Combine(Directory, "bgpstackd.sock");

    /// <summary>The state directory (kept across restarts so the daemon can tell it restarted).</summary>
    public string StateDirectory => Path.Combine(Directory, "state");

    /// <inheritdoc/>
    public override string ConfigPath => Path.Combine(Directory, "bgpstackd.yaml");

    /// <summary>Write <c>restarting: true</c> into the config on the next start (graceful restart as the restarting speaker).</summary>
    public bool Restarting { get; set; }

    /// <summary>Extra YAML appended to the config (policies, dynamic neighbours).</summary>
    public string ExtraYaml { get; set; } = "";

    /// <summary>Extra YAML per peer address, appended under that peer (indented by the caller with 4 spaces).</summary>
    public Dictionary<IPAddress, string> PeerYaml { get; } = [];

    /// <summary>Replaces the description (for reloads and restarts with another config).</summary>
    /// <param name="spec">The new description.</param>
    public void Reconfigure(RouterSpec spec) => Spec = spec;

    /// <summary>Runs bgpstackctl and returns stdout; throws with stderr on failure.</summary>
    /// <param name="args">The arguments after <c>--socket PATH</c>.</param>
    public string Ctl(params string[] args)
    {
        var result = Cmd.Try(Dotnet, [CtlDll, "--socket", Socket, .. args]);
        return result.ExitCode == 0
            ? result.StdOut
            : throw new InvalidOperationException($"bgpstackctl {string.Join(' ', args)} failed ({result.ExitCode}): {result.StdErr}{result.StdOut}");
    }

    /// <summary>Runs bgpstackctl with <c>--json</c> and returns the result (inside the <c>ok/result</c> envelope if present).</summary>
    /// <param name="args">The command and its arguments.</param>
    public JsonElement CtlJson(params string[] args)
    {
        // Queries go straight to the control socket, as birdc and gobgp talk to theirs: starting a
        // .NET CLI process per poll would charge the daemon's measurements with its start-up.
        using var document = JsonDocument.Parse(args is ["status" or "routes"] ? Query(args[0]) : Ctl([.. args, "--json"]));
        var root = document.RootElement.Clone();
        if (root.ValueKind == JsonValueKind.Object && Prop(root, "ok") is { } ok && ok.ValueKind == JsonValueKind.False)
        {
            throw new InvalidOperationException($"bgpstackctl {string.Join(' ', args)}: {root}");
        }

        return root.ValueKind == JsonValueKind.Object && Prop(root, "result") is { } result ? result : root;
    }

    /// <summary>Sends one request line to the control socket and returns the response line.</summary>
    /// <param name="command">The command name.</param>
    private string Query(string command)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.ReceiveTimeout = 30_000;
        socket.SendTimeout = 30_000;
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(Socket));
        using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
        stream.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"command\":\"{command}\"}}\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadLine() ?? throw new InvalidOperationException($"bgpstackd closed the control socket without answering '{command}'");
    }

    /// <summary>Reloads the config (the <c>reload</c> control command through a SIGHUP).</summary>
    public void Reload()
    {
        WriteConfig();
        Cmd.Run("kill", "-HUP", (Process ?? throw new InvalidOperationException("not started")).Pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    protected override void WriteConfig()
    {
        System.IO.Directory.CreateDirectory(StateDirectory);
        var y = new StringBuilder();
        y.Append(CultureInfo.InvariantCulture, $"router-id: {Spec.RouterId}\nlocal-as: {Spec.As}\n");
        y.Append(CultureInfo.InvariantCulture, $"control-socket: {Socket}\nstate-dir: {StateDirectory}\n");
        if (Spec.ClusterId is not null)
        {
            y.Append(CultureInfo.InvariantCulture, $"cluster-id: {Spec.ClusterId}\n");
        }

        if (Restarting)
        {
            y.Append("restarting: true\n");
        }

        y.Append(Spec.InstallRoutes ? "kernel: { enabled: true, table: 254 }\n" : "kernel: { enabled: false }\n");
        y.Append(Spec.Neighbors.Count == 0 ? "peers: []\n" : "peers:\n");
        foreach (var n in Spec.Neighbors)
        {
            // Test peers restart at once after a drop (no idle-hold back-off): the flap storm and
            // the malformed-input cases reset sessions hundreds of times in a row.
            y.Append(CultureInfo.InvariantCulture, $"  - address: {Quote(n.Address.ToString())}\n    as: {n.As}\n    connect-retry: 2\n    idle-hold: 0\n    max-idle-hold: 1\n");
            if (n.LocalAddress is not null)
            {
                y.Append(CultureInfo.InvariantCulture, $"    source-address: {Quote(n.LocalAddress.ToString())}\n");
            }

            if (n.Passive)
            {
                y.Append("    passive: true\n");
            }

            if (n.Password is not null)
            {
                y.Append(CultureInfo.InvariantCulture, $"    password: {Quote(n.Password)}\n");
            }

            if (n.Multihop is { } hops)
            {
                y.Append(CultureInfo.InvariantCulture, $"    multihop: {hops}\n");
            }

            if (n.TtlSecurity)
            {
                y.Append("    ttl-security: true\n");
            }

            if (n.RouteReflectorClient)
            {
                y.Append("    route-reflector-client: true\n");
            }

            if (n.NextHopSelf)
            {
                y.Append("    next-hop: self\n");
            }

            if (n.HoldTime is { } hold)
            {
                y.Append(CultureInfo.InvariantCulture, $"    hold-time: {hold}\n    keepalive: {Math.Max(1, hold / 3)}\n");
            }

            y.Append(n.GracefulRestart ? "    graceful-restart: true\n" : "    graceful-restart: false\n");
            y.Append(CultureInfo.InvariantCulture, $"    families: [{string.Join(", ", n.EffectiveFamilies.Select(f => f == Family.Ipv4 ? "ipv4-unicast" : "ipv6-unicast"))}]\n");
            if (PeerYaml.TryGetValue(n.Address, out var extra))
            {
                y.Append(extra);
            }
        }

        if (Spec.Routes.Count > 0)
        {
            y.Append("static-routes:\n");
            foreach (var route in Spec.Routes)
            {
                y.Append(CultureInfo.InvariantCulture, $"  - prefix: {Quote(route.Prefix)}\n");
                if (route.Communities.Count > 0)
                {
                    y.Append(CultureInfo.InvariantCulture, $"    communities: [{string.Join(", ", route.Communities.Select(Quote))}]\n");
                }

                if (route.LargeCommunities.Count > 0)
                {
                    y.Append(CultureInfo.InvariantCulture, $"    large-communities: [{string.Join(", ", route.LargeCommunities.Select(Quote))}]\n");
                }

                if (route.Med is { } med)
                {
                    y.Append(CultureInfo.InvariantCulture, $"    med: {med}\n");
                }

                if (route.LocalPref is { } lp)
                {
                    y.Append(CultureInfo.InvariantCulture, $"    local-pref: {lp}\n");
                }
            }
        }

        y.Append(ExtraYaml);
        File.WriteAllText(ConfigPath, y.ToString());
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <inheritdoc/>
    protected override void Launch()
    {
        File.Delete(Socket);
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        Process = Node.Topology.Start(Node, $"{Name}-bgpstackd", environment, Dotnet, DaemonDll, "--config", ConfigPath);
    }

    /// <inheritdoc/>
    protected override bool Ready() => File.Exists(Socket) && CtlJson("status").ValueKind == JsonValueKind.Object;

    /// <summary>The peers as <c>status --json</c> reports them.</summary>
    public IReadOnlyList<JsonElement> Peers()
    {
        var status = CtlJson("status");
        var peers = status.ValueKind == JsonValueKind.Array ? status : Prop(status, "peers") ?? throw new FormatException($"status has no peers: {status}");
        return peers.EnumerateArray().ToList();
    }

    /// <inheritdoc/>
    public override string? SessionState(IPAddress neighbor)
    {
        foreach (var peer in Peers())
        {
            if (Prop(peer, "address") is { } address && IPAddress.TryParse(address.GetString(), out var parsed) && parsed.Equals(neighbor))
            {
                var state = Prop(peer, "state");
                return state?.ValueKind == JsonValueKind.Number
                    ? ((BgpStack.Bgp.Fsm.SessionState)state.Value.GetInt32()).ToString()
                    : state?.GetString();
            }
        }

        return null;
    }

    /// <summary>Prefixes received (held after import) from one peer, summed over families; null if the peer is unknown.</summary>
    /// <param name="neighbor">The peer.</param>
    public long? PrefixesReceived(IPAddress neighbor)
    {
        foreach (var peer in Peers())
        {
            if (Prop(peer, "address") is { } address && IPAddress.TryParse(address.GetString(), out var parsed) && parsed.Equals(neighbor))
            {
                return Count(Prop(peer, "prefixes_received"));
            }
        }

        return null;
    }

    /// <summary>Flaps (times a session left Established) as status reports them; null if the peer is unknown.</summary>
    /// <param name="neighbor">The peer.</param>
    public int? Flaps(IPAddress neighbor)
    {
        foreach (var peer in Peers())
        {
            if (Prop(peer, "address") is { } address && IPAddress.TryParse(address.GetString(), out var parsed) && parsed.Equals(neighbor))
            {
                return Prop(peer, "flaps") is { ValueKind: JsonValueKind.Number } flaps ? flaps.GetInt32() : null;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    protected override string DescribeSessions() => Ctl("status");

    /// <inheritdoc/>
    public override long RouteCount(Family family)
    {
        // The sum of every peer's received prefixes of the family: cheap enough to poll with 1M routes.
        long total = 0;
        var key = family == Family.Ipv4 ? "ipv4" : "ipv6";
        foreach (var peer in Peers())
        {
            if (Prop(peer, "prefixes_received") is { ValueKind: JsonValueKind.Object } counts)
            {
                foreach (var entry in counts.EnumerateObject())
                {
                    if (entry.Name.Contains(key, StringComparison.OrdinalIgnoreCase) && entry.Value.ValueKind == JsonValueKind.Number)
                    {
                        total += entry.Value.GetInt64();
                    }
                }
            }
        }

        return total;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<RouteEntry> Routes(Family family)
    {
        var json = CtlJson("routes");
        var routes = json.ValueKind == JsonValueKind.Array ? json : Prop(json, "routes") ?? throw new FormatException($"routes has no routes: {json}");
        var result = new List<RouteEntry>();
        foreach (var route in routes.EnumerateArray())
        {
            var prefix = Prop(route, "prefix")?.GetString() ?? "";
            if (prefix.Contains(':', StringComparison.Ordinal) != (family == Family.Ipv6))
            {
                continue;
            }

            if (Prop(route, "paths") is not { ValueKind: JsonValueKind.Array } paths)
            {
                continue;
            }

            var index = 0;
            var bestIndex = Prop(route, "best") is { ValueKind: JsonValueKind.Number } b ? b.GetInt32() : -1;
            foreach (var path in paths.EnumerateArray())
            {
                result.Add(ParsePath(prefix, Prop(path, "attributes") ?? path, path, index == bestIndex));
                index++;
            }
        }

        return result;
    }

    private static RouteEntry ParsePath(string prefix, JsonElement attributes, JsonElement path, bool bestByIndex) => new()
    {
        Prefix = prefix,
        NextHop = Text(Prop(attributes, "next_hop")),
        AsPath = Prop(attributes, "as_path") switch
        {
            { ValueKind: JsonValueKind.String } s => (s.GetString() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(t => char.IsDigit(t[0])).Select(t => uint.Parse(t.Trim('{', '}', ','), CultureInfo.InvariantCulture)).ToList(),
            { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().SelectMany(Numbers).ToList(),
            _ => [],
        },
        Communities = Strings(Prop(attributes, "communities")),
        LargeCommunities = Strings(Prop(attributes, "large_communities")),
        Med = UInt(Prop(attributes, "med") ?? Prop(attributes, "multi_exit_disc")),
        LocalPref = UInt(Prop(attributes, "local_pref")),
        OriginatorId = Text(Prop(attributes, "originator_id")),
        ClusterList = Strings(Prop(attributes, "cluster_list")),
        Stale = Prop(path, "stale") is { ValueKind: JsonValueKind.True },
        Best = bestByIndex || Prop(path, "best") is { ValueKind: JsonValueKind.True },
        From = Text(Prop(path, "source") ?? Prop(path, "peer_address")),
    };

    private static IEnumerable<uint> Numbers(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => [element.GetUInt32()],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Numbers),
        JsonValueKind.Object => Prop(element, "asns") is { } asns ? Numbers(asns) : [],
        _ => [],
    };

    private static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static uint? UInt(JsonElement? element) => element is { ValueKind: JsonValueKind.Number } n ? n.GetUInt32() : null;

    private static List<string> Strings(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.GetRawText()).ToList() : [];

    private static long? Count(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetInt64(),
        { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Sum(p => p.Value.GetInt64()),
        _ => null,
    };

    /// <summary>A property by name, ignoring case and <c>_</c>/<c>-</c> (snake, kebab and camel case all match).</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The name in any of those spellings.</param>
    public static JsonElement? Prop(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var wanted = Normalize(name);
        foreach (var property in element.EnumerateObject())
        {
            if (Normalize(property.Name) == wanted)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    private static string RepoFile(string project, string file)
    {
        var repo = FindRepository();
        // Prefer the configuration the tests were built in; the brief's commands use Release.
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        foreach (var candidate in (string[])[configuration, configuration == "Release" ? "Debug" : "Release"])
        {
            var path = Path.Combine(repo, project, "bin", candidate, "net10.0", file);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{file} is not built: expected {Path.Combine(repo, project, "bin", configuration, "net10.0", file)} (dotnet build {project} -c {configuration}).");
    }

    /// <summary>The repository root (the directory holding BgpStack.sln above the test assembly, or BGPSTACK_REPO).</summary>
    public static string FindRepository()
    {
        if (Environment.GetEnvironmentVariable("BGPSTACK_REPO") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BgpStack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the repository (BgpStack.sln) above {AppContext.BaseDirectory}; set BGPSTACK_REPO.");
    }
}
