using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Rib;
using BgpStack.Rib.Decision;
using YamlDotNet.RepresentationModel;

namespace BgpStack.Daemon.Config;

/// <summary>
/// Turns the YAML tree of a configuration file into a <see cref="DaemonConfig"/>, checking every
/// value and the rules between them; problems go to the <see cref="ConfigReader"/> with their
/// positions and parsing carries on, so one run reports them all.
/// </summary>
internal sealed partial class ConfigParser
{
    /// <summary>The keys allowed at the top level.</summary>
    internal static readonly ImmutableArray<string> RootKeys =
    [
        "router-id", "local-as", "listen", "cluster-id", "control-socket", "state-dir", "restarting",
        "ecmp", "kernel", "peers", "dynamic-neighbors", "static-routes", "policies",
    ];

    /// <summary>The keys allowed in a peer.</summary>
    internal static readonly ImmutableArray<string> PeerKeys =
    [
        "address", "as", "local-as", "description", "password", "ttl-security", "multihop", "source-address",
        "port", "hold-time", "keepalive", "connect-retry", "delay-open", "idle-hold", "max-idle-hold", "passive", "shutdown", "route-reflector-client",
        "next-hop", "families", "graceful-restart", "max-prefix", "allow-own-as", "add-path",
        "extended-message", "extended-next-hop", "import", "export",
    ];

    // A range is shut down by removing it: its template has no shutdown of its own.
    private static readonly ImmutableArray<string> TemplateKeys = [.. PeerKeys.Where(k => k is not ("address" or "as" or "shutdown"))];
    private static readonly ImmutableArray<string> EcmpKeys = ["max-paths", "max-paths-ibgp"];
    private static readonly ImmutableArray<string> KernelKeys = ["enabled", "table", "metric", "max-paths", "install", "flush-on-shutdown"];
    private static readonly ImmutableArray<string> GracefulRestartKeys = ["restart-time", "stale-time", "selection-deferral-time", "forwarding-preserved"];
    private static readonly ImmutableArray<string> MaxPrefixKeys = ["limit", "action", "restart"];
    private static readonly ImmutableArray<string> FamilyKeys = ["ipv4-unicast", "ipv6-unicast"];
    private static readonly ImmutableArray<string> DynamicNeighborKeys = ["range", "as-range", "template"];
    private static readonly ImmutableArray<string> StaticRouteKeys = ["prefix", "origin", "med", "local-pref", "communities", "large-communities"];
    private static readonly ImmutableArray<string> PolicyKeys = ["default", "statements"];
    private static readonly ImmutableArray<string> StatementKeys = ["match", "action", "set"];
    private static readonly ImmutableArray<string> MatchKeys = ["prefix", "family", "community", "large-community", "as-path"];
    private static readonly ImmutableArray<string> SetKeys =
        ["local-pref", "med", "community-add", "community-remove", "large-community-add", "large-community-remove", "prepend", "next-hop"];

    private static readonly Dictionary<string, AfiSafi> Families = new(StringComparer.Ordinal)
    {
        ["ipv4-unicast"] = AfiSafi.Ipv4Unicast,
        ["ipv6-unicast"] = AfiSafi.Ipv6Unicast,
    };

    private static readonly Dictionary<string, NextHopMode> NextHopModes = new(StringComparer.Ordinal)
    {
        ["auto"] = NextHopMode.Auto,
        ["self"] = NextHopMode.Self,
        ["keep"] = NextHopMode.Keep,
    };

    private static readonly Dictionary<string, AddPathMode> AddPathModes = new(StringComparer.Ordinal)
    {
        ["none"] = AddPathMode.None,
        ["receive"] = AddPathMode.Receive,
        ["send"] = AddPathMode.Send,
        ["both"] = AddPathMode.Both,
    };

    private static readonly Dictionary<string, MaxPrefixAction> MaxPrefixActions = new(StringComparer.Ordinal)
    {
        ["warn"] = MaxPrefixAction.Warn,
        ["teardown"] = MaxPrefixAction.Teardown,
    };

    private static readonly Dictionary<string, bool> DefaultActions = new(StringComparer.Ordinal)
    {
        ["accept"] = true,
        ["reject"] = false,
    };

    private static readonly Dictionary<string, PolicyAction> Actions = new(StringComparer.Ordinal)
    {
        ["accept"] = PolicyAction.Accept,
        ["reject"] = PolicyAction.Reject,
        ["next"] = PolicyAction.Next,
    };

    private static readonly Dictionary<string, Origin> Origins = new(StringComparer.Ordinal)
    {
        ["igp"] = Origin.Igp,
        ["egp"] = Origin.Egp,
        ["incomplete"] = Origin.Incomplete,
    };

    private static readonly Dictionary<string, KernelRouteKinds> InstallKinds = new(StringComparer.Ordinal)
    {
        ["bgp"] = KernelRouteKinds.Bgp,
        ["static"] = KernelRouteKinds.Static,
    };

    private readonly ConfigReader reader;
    private ImmutableArray<RoutePolicy> policies = [];

    // Policies defined with errors: already reported, so references to them are not reported again.
    private readonly HashSet<string> brokenPolicies = new(StringComparer.Ordinal);

    /// <summary>Creates a parser recording problems in <paramref name="reader"/>.</summary>
    /// <param name="reader">Where problems go.</param>
    public ConfigParser(ConfigReader reader) => this.reader = reader;

    /// <summary>Reads the whole configuration from its root node.</summary>
    /// <param name="root">The document's root.</param>
    /// <returns>The configuration, or null when any problem was recorded.</returns>
    public DaemonConfig? Parse(YamlNode root)
    {
        var map = reader.Mapping(root, "the configuration", RootKeys);
        if (map is null)
        {
            return null;
        }

        // Policies first: peers refer to them by name wherever they appear in the file.
        policies = map["policies"] is { } policyNode ? Policies(policyNode) : [];

        var routerId = map.Required("router-id") is { } idNode ? reader.RouterIdentifier(idNode, "router-id") : null;
        var localAs = map.Required("local-as") is { } asNode ? reader.Asn(asNode, "local-as") : null;
        var listen = map["listen"] is { } listenNode ? Listen(listenNode) : [new IPEndPoint(IPAddress.IPv6Any, 179)];
        var clusterId = map["cluster-id"] is { } clusterNode ? reader.RouterIdentifier(clusterNode, "cluster-id") : null;
        var controlSocket = map["control-socket"] is { } socketNode ? AbsolutePath(socketNode, "control-socket") : DaemonConfig.DefaultControlSocket;
        var stateDirectory = map["state-dir"] is { } stateNode ? AbsolutePath(stateNode, "state-dir") : DaemonConfig.DefaultStateDirectory;
        var restarting = map["restarting"] is { } restartingNode ? reader.Bool(restartingNode, "restarting") : false;
        var decision = map["ecmp"] is { } ecmpNode ? Ecmp(ecmpNode) : DecisionOptions.Default;
        var kernel = map["kernel"] is { } kernelNode ? Kernel(kernelNode, decision?.MaximumPaths ?? 1) : null;
        var peers = map["peers"] is { } peersNode ? Peers(peersNode, localAs) : [];
        var dynamic = map["dynamic-neighbors"] is { } dynamicNode ? DynamicNeighbors(dynamicNode, localAs) : [];
        var statics = map["static-routes"] is { } staticNode ? StaticRoutes(staticNode) : [];

        if (!listen.IsDefault && listen.IsEmpty)
        {
            foreach (var peer in peers.Where(p => p.Passive))
            {
                reader.Error(map.KeyNode("listen")!, $"listen: is empty, so passive peer {peer.Address} could never connect");
            }
        }

        if (reader.HasErrors || routerId is null || localAs is null || listen.IsDefault || controlSocket is null
            || stateDirectory is null || restarting is null || decision is null)
        {
            return null;
        }

        return new DaemonConfig
        {
            Speaker = new BgpSpeakerOptions
            {
                RouterId = routerId.Value,
                LocalAs = localAs.Value,
                Listen = listen,
                ClusterId = clusterId,
                Peers = peers,
                DynamicNeighbors = dynamic,
                Restarting = restarting.Value,
                Rib = RibLoopOptions.Default with { Decision = decision },
            },
            ControlSocket = controlSocket,
            StateDirectory = stateDirectory,
            StaticRoutes = statics,
            Kernel = kernel,
            Policies = policies,
        };
    }

    private ImmutableArray<IPEndPoint> Listen(YamlNode node)
    {
        var items = reader.Sequence(node, "listen", allowScalar: true);
        if (items is null)
        {
            return default;
        }

        var endpoints = ImmutableArray.CreateBuilder<IPEndPoint>();
        foreach (var item in items)
        {
            var text = reader.Text(item, "listen");
            if (text is null)
            {
                continue;
            }

            if (!TryEndPoint(text, out var endpoint))
            {
                reader.Error(item, $"listen: '{text}' is not an address with an optional port (198.18.0.1:179, [2001:db8::1]:179, [::]:179)");
            }
            else if (endpoints.Contains(endpoint))
            {
                reader.Error(item, $"listen: {endpoint} is listed twice");
            }
            else
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints.ToImmutable();
    }

    private static bool TryEndPoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        string host;
        var port = 179;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port)))
            {
                return false;
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            endpoint = new IPEndPoint(v6, 1);
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) < 0)
            {
                host = text[..colon];
                if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
                {
                    return false;
                }
            }
            else
            {
                host = text;
            }

            if (!IPAddress.TryParse(host, out var address)
                || (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
            {
                return false;
            }

            endpoint = new IPEndPoint(address, 1);
        }

        if (port is < 1 or > 65535)
        {
            return false;
        }

        endpoint.Port = port;
        return true;
    }

    private string? AbsolutePath(YamlNode node, string key)
    {
        var text = reader.Text(node, key);
        if (text is not null && (!text.StartsWith('/') || text.Contains('\0', StringComparison.Ordinal)))
        {
            reader.Error(node, $"{key}: '{text}' must be an absolute path (starting with /)");
            return null;
        }

        return text;
    }

    private DecisionOptions? Ecmp(YamlNode node)
    {
        var map = reader.Mapping(node, "ecmp", EcmpKeys);
        if (map is null)
        {
            return null;
        }

        var options = DecisionOptions.Default;
        if (map["max-paths"] is { } paths && reader.Integer(paths, "max-paths", 1, 256) is { } maxPaths)
        {
            options = options with { MaximumPaths = (int)maxPaths };
        }

        if (map["max-paths-ibgp"] is { } internalPaths && reader.Integer(internalPaths, "max-paths-ibgp", 1, 256) is { } maxInternal)
        {
            options = options with { MaximumPathsInternal = (int)maxInternal };
        }

        return options;
    }

    private KernelConfig? Kernel(YamlNode node, int ecmpPaths)
    {
        var map = reader.Mapping(node, "kernel", KernelKeys);
        if (map is null)
        {
            return null;
        }

        var kernel = new KernelConfig { MaxPaths = ecmpPaths };
        if (map["enabled"] is { } enabledNode && reader.Bool(enabledNode, "enabled") is { } enabled)
        {
            kernel = kernel with { Enabled = enabled };
        }

        if (map["table"] is { } tableNode && reader.Integer(tableNode, "table", 1, uint.MaxValue) is { } table)
        {
            if (table == 255)
            {
                // 255 is the kernel's "local" table of its own addresses.
                reader.Error(tableNode, "table: 255 is the kernel's local table; use 254 (main) or a table of your own");
            }

            kernel = kernel with { Table = (uint)table };
        }

        if (map["metric"] is { } metricNode && reader.Integer(metricNode, "metric", 0, uint.MaxValue) is { } metric)
        {
            kernel = kernel with { Metric = (uint)metric };
        }

        if (map["max-paths"] is { } pathsNode && reader.Integer(pathsNode, "max-paths", 1, 256) is { } paths)
        {
            kernel = kernel with { MaxPaths = (int)paths };
        }

        if (map["install"] is { } installNode)
        {
            var kinds = Values(installNode, "install", allowScalar: true, item => reader.Choice(item, "install", InstallKinds));
            if (kinds is not null)
            {
                kernel = kernel with { Install = kinds.Aggregate(KernelRouteKinds.None, (all, kind) => all | kind) };
            }
        }

        if (map["flush-on-shutdown"] is { } flushNode && reader.Bool(flushNode, "flush-on-shutdown") is { } flush)
        {
            kernel = kernel with { FlushOnShutdown = flush };
        }

        return kernel;
    }

    private ImmutableArray<PeerOptions> Peers(YamlNode node, uint? localAs)
    {
        var items = reader.Sequence(node, "peers");
        if (items is null)
        {
            return [];
        }

        var peers = ImmutableArray.CreateBuilder<PeerOptions>();
        var seen = new Dictionary<IPAddress, long>();
        foreach (var item in items)
        {
            var peer = Peer(item, localAs, template: null);
            if (peer is null)
            {
                continue;
            }

            if (seen.TryGetValue(peer.Address, out var line))
            {
                var at = item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("address"), out var a) ? a : item;
                reader.Error(at, string.Create(CultureInfo.InvariantCulture, $"address: peer {peer.Address} is already configured at line {line}"));
                continue;
            }

            seen[peer.Address] = item.Start.Line;
            peers.Add(peer);
        }

        return peers.ToImmutable();
    }

    private PeerOptions? Peer(YamlNode node, uint? localAs, (uint Min, uint Max)? template)
    {
        var isTemplate = template is not null;
        var map = reader.Mapping(node, isTemplate ? "template" : "peer", isTemplate ? TemplateKeys : PeerKeys);
        if (map is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        IPAddress? address = IPAddress.IPv6Loopback;
        uint? remoteAs = template?.Min;
        if (!isTemplate)
        {
            var addressNode = map.Required("address");
            address = addressNode is null ? null : reader.Address(addressNode, "address");
            if (address is { IsIPv6LinkLocal: true, ScopeId: 0 })
            {
                // A link-local address means nothing without the link it is on.
                reader.Error(addressNode!, $"address: link-local {address} needs the interface it is on, like {address}%eth0");
            }

            remoteAs = map.Required("as") is { } asNode ? reader.Asn(asNode, "as") : null;
        }

        var peer = new PeerOptions { Address = address ?? IPAddress.IPv6Loopback, RemoteAs = remoteAs ?? 1 };
        if (map["local-as"] is { } localAsNode && reader.Asn(localAsNode, "local-as") is { } ownAs)
        {
            peer = peer with { LocalAs = ownAs };
        }

        var effectiveLocalAs = peer.LocalAs ?? localAs;
        var isInternal = !isTemplate && remoteAs is not null && effectiveLocalAs == remoteAs;

        if (map["description"] is { } descriptionNode && reader.Text(descriptionNode, "description") is { } description)
        {
            peer = peer with { Description = description };
        }

        if (map["password"] is { } passwordNode && reader.Text(passwordNode, "password") is { } password)
        {
            // TCP_MD5SIG_MAXKEYLEN is 80 bytes.
            if (Encoding.UTF8.GetByteCount(password) > 80)
            {
                reader.Error(passwordNode, "password: TCP MD5 keys are at most 80 bytes");
            }

            peer = peer with { Password = password };
        }

        if (map["ttl-security"] is { } gtsmNode && reader.Bool(gtsmNode, "ttl-security") is { } gtsm)
        {
            peer = peer with { TtlSecurity = gtsm };
        }

        if (map["multihop"] is { } multihopNode && reader.Integer(multihopNode, "multihop", 1, 255) is { } multihop)
        {
            if (isInternal)
            {
                reader.Error(multihopNode, "multihop: applies to eBGP peers only; iBGP sessions are not limited to one hop");
            }

            peer = peer with { MultihopTtl = (int)multihop };
        }

        if (map["source-address"] is { } sourceNode && reader.Address(sourceNode, "source-address") is { } source)
        {
            if (address is not null && !isTemplate && source.AddressFamily != address.AddressFamily)
            {
                reader.Error(sourceNode, $"source-address: {source} is not of the same address family as the peer address {address}");
            }

            peer = peer with { SourceAddress = source };
        }

        if (map["port"] is { } portNode && reader.Integer(portNode, "port", 1, 65535) is { } port)
        {
            peer = peer with { Port = (int)port };
        }

        if (map["hold-time"] is { } holdNode && reader.Integer(holdNode, "hold-time", 0, 65535, "seconds") is { } hold)
        {
            if (hold is 1 or 2)
            {
                // RFC 4271 §4.2: the hold time must be zero or at least three seconds.
                reader.Error(holdNode, string.Create(CultureInfo.InvariantCulture, $"hold-time: {hold} is not allowed; use 0 (no keepalives) or 3 to 65535 seconds (RFC 4271 §4.2)"));
            }

            peer = peer with { HoldTime = TimeSpan.FromSeconds(hold) };
        }

        if (map["keepalive"] is { } keepaliveNode && reader.Seconds(keepaliveNode, "keepalive", 1, 21845) is { } keepalive)
        {
            if (peer.HoldTime > TimeSpan.Zero && keepalive >= peer.HoldTime)
            {
                reader.Error(keepaliveNode, string.Create(CultureInfo.InvariantCulture, $"keepalive: {keepalive.TotalSeconds} must be less than hold-time ({peer.HoldTime.TotalSeconds}); a third of it is usual"));
            }

            peer = peer with { KeepaliveTime = keepalive };
        }

        if (map["connect-retry"] is { } retryNode && reader.Seconds(retryNode, "connect-retry", 1, 65535) is { } retry)
        {
            peer = peer with { ConnectRetryTime = retry };
        }

        if (map["delay-open"] is { } delayNode && reader.Seconds(delayNode, "delay-open", 1, 240) is { } delay)
        {
            peer = peer with { DelayOpenTime = delay };
        }

        // The idle hold time after a drop doubles on repeated flaps up to max-idle-hold (RFC 4271
        // §8.1.1 DampPeerOscillations); 0 restarts at once.
        if (map["idle-hold"] is { } idleNode && reader.Seconds(idleNode, "idle-hold", 0, 65535) is { } idle)
        {
            peer = peer with { IdleHoldTime = idle, MaxIdleHoldTime = idle > peer.MaxIdleHoldTime ? idle : peer.MaxIdleHoldTime };
        }

        if (map["max-idle-hold"] is { } maxIdleNode && reader.Seconds(maxIdleNode, "max-idle-hold", 0, 65535) is { } maxIdle)
        {
            if (maxIdle < peer.IdleHoldTime)
            {
                reader.Error(maxIdleNode, string.Create(CultureInfo.InvariantCulture, $"max-idle-hold: {maxIdle.TotalSeconds} must not be less than idle-hold ({peer.IdleHoldTime.TotalSeconds})"));
            }

            peer = peer with { MaxIdleHoldTime = maxIdle };
        }

        if (map["passive"] is { } passiveNode && reader.Bool(passiveNode, "passive") is { } passive)
        {
            peer = peer with { Passive = passive };
        }

        if (map["shutdown"] is { } shutdownNode && reader.Bool(shutdownNode, "shutdown") is { } shutdown)
        {
            peer = peer with { Shutdown = shutdown };
        }

        if (map["route-reflector-client"] is { } rrNode && reader.Bool(rrNode, "route-reflector-client") is { } rrClient)
        {
            var internalPossible = isTemplate
                ? effectiveLocalAs is null || (effectiveLocalAs >= template!.Value.Min && effectiveLocalAs <= template.Value.Max)
                : isInternal || remoteAs is null || effectiveLocalAs is null;
            if (rrClient && !internalPossible)
            {
                reader.Error(rrNode, isTemplate
                    ? $"route-reflector-client: applies to iBGP peers only, and local AS {effectiveLocalAs} is outside this range's as-range"
                    : $"route-reflector-client: applies to iBGP peers only, and AS {remoteAs} is not our AS {effectiveLocalAs}");
            }

            peer = peer with { RouteReflectorClient = rrClient };
        }

        if (map["next-hop"] is { } nextHopNode && reader.Choice(nextHopNode, "next-hop", NextHopModes) is { } nextHop)
        {
            peer = peer with { NextHop = nextHop };
        }

        if (map["families"] is { } familiesNode)
        {
            var families = Values(familiesNode, "families", allowScalar: true, item => reader.Choice(item, "families", Families));
            if (families is { Count: 0 })
            {
                reader.Error(familiesNode, "families: a peer needs at least one family");
            }
            else if (families is not null)
            {
                peer = peer with { Families = [.. families] };
            }
        }

        if (map["graceful-restart"] is { } grNode)
        {
            peer = peer with { GracefulRestart = GracefulRestart(grNode, peer.GracefulRestart) };
        }

        if (map["max-prefix"] is { } maxPrefixNode)
        {
            peer = peer with { MaxPrefix = MaxPrefix(maxPrefixNode, peer.Families) };
        }

        if (map["allow-own-as"] is { } allowNode && reader.Integer(allowNode, "allow-own-as", 0, 10) is { } allow)
        {
            peer = peer with { AllowOwnAs = (int)allow };
        }

        if (map["add-path"] is { } addPathNode && reader.Choice(addPathNode, "add-path", AddPathModes) is { } addPath)
        {
            peer = peer with { AddPath = addPath };
        }

        if (map["extended-message"] is { } extendedNode && reader.Bool(extendedNode, "extended-message") is { } extended)
        {
            peer = peer with { ExtendedMessage = extended };
        }

        if (map["extended-next-hop"] is { } enhNode && reader.Bool(enhNode, "extended-next-hop") is { } enh)
        {
            peer = peer with { ExtendedNextHop = enh };
        }

        if (map["import"] is { } importNode)
        {
            peer = peer with { ImportPolicy = PolicyReference(importNode, "import") };
        }

        if (map["export"] is { } exportNode)
        {
            peer = peer with { ExportPolicy = PolicyReference(exportNode, "export") };
        }

        return address is null || remoteAs is null || reader.Errors.Count != errorsBefore ? null : peer;
    }

    private GracefulRestartOptions? GracefulRestart(YamlNode node, GracefulRestartOptions? current)
    {
        if (node is YamlScalarNode)
        {
            return reader.Bool(node, "graceful-restart") is false ? null : GracefulRestartOptions.Default;
        }

        var map = reader.Mapping(node, "graceful-restart", GracefulRestartKeys);
        if (map is null)
        {
            return current;
        }

        var options = GracefulRestartOptions.Default;
        if (map["restart-time"] is { } restartNode && reader.Seconds(restartNode, "restart-time", 1, 4095) is { } restart)
        {
            // RFC 4724 §3: the restart time is a 12-bit field.
            options = options with { RestartTime = restart };
        }

        if (map["stale-time"] is { } staleNode && reader.Seconds(staleNode, "stale-time", 1, 65535) is { } stale)
        {
            options = options with { StalePathTime = stale };
        }

        if (map["selection-deferral-time"] is { } deferralNode && reader.Seconds(deferralNode, "selection-deferral-time", 1, 3600) is { } deferral)
        {
            options = options with { SelectionDeferralTime = deferral };
        }

        if (map["forwarding-preserved"] is { } forwardingNode && reader.Bool(forwardingNode, "forwarding-preserved") is { } forwarding)
        {
            options = options with { ForwardingPreserved = forwarding };
        }

        return options;
    }

    private ImmutableDictionary<AfiSafi, MaxPrefixLimit> MaxPrefix(YamlNode node, ImmutableArray<AfiSafi> families)
    {
        var map = reader.Mapping(node, "max-prefix", FamilyKeys);
        var limits = ImmutableDictionary.CreateBuilder<AfiSafi, MaxPrefixLimit>();
        if (map is null)
        {
            return limits.ToImmutable();
        }

        foreach (var name in FamilyKeys)
        {
            if (map[name] is not { } value)
            {
                continue;
            }

            var family = Families[name];
            if (!families.Contains(family))
            {
                reader.Error(map.KeyNode(name)!, $"max-prefix: {name} is not among this peer's families");
            }

            if (value is YamlScalarNode)
            {
                if (reader.Integer(value, "limit", 1, int.MaxValue) is { } bare)
                {
                    limits[family] = new MaxPrefixLimit((int)bare);
                }

                continue;
            }

            var limitMap = reader.Mapping(value, $"max-prefix {name}", MaxPrefixKeys);
            if (limitMap is null)
            {
                continue;
            }

            var limit = limitMap.Required("limit") is { } limitNode ? reader.Integer(limitNode, "limit", 1, int.MaxValue) : null;
            var action = limitMap["action"] is { } actionNode ? reader.Choice(actionNode, "action", MaxPrefixActions) : MaxPrefixAction.Teardown;
            TimeSpan? restart = null;
            if (limitMap["restart"] is { } restartNode)
            {
                restart = reader.Seconds(restartNode, "restart", 1, 65535);
                if (action == MaxPrefixAction.Warn)
                {
                    reader.Error(restartNode, "restart: applies only with action teardown");
                }
            }

            if (limit is not null && action is not null)
            {
                limits[family] = new MaxPrefixLimit((int)limit, action.Value, restart);
            }
        }

        return limits.ToImmutable();
    }

    private RoutePolicy? PolicyReference(YamlNode node, string key)
    {
        var name = reader.Text(node, key);
        if (name is null)
        {
            return null;
        }

        foreach (var policy in policies)
        {
            if (string.Equals(policy.Name, name, StringComparison.Ordinal))
            {
                return policy;
            }
        }

        if (brokenPolicies.Contains(name))
        {
            return null;
        }

        var nearest = ConfigReader.Suggest(name, policies.Select(p => p.Name));
        reader.Error(node, policies.IsEmpty
            ? $"{key}: no policy named '{name}'; the file defines no policies"
            : nearest is not null
                ? $"{key}: no policy named '{name}'; did you mean '{nearest}'?"
                : $"{key}: no policy named '{name}'; defined policies: {string.Join(", ", policies.Select(p => p.Name))}");
        return null;
    }

    private ImmutableArray<DynamicNeighborRange> DynamicNeighbors(YamlNode node, uint? localAs)
    {
        var items = reader.Sequence(node, "dynamic-neighbors");
        if (items is null)
        {
            return [];
        }

        var ranges = ImmutableArray.CreateBuilder<DynamicNeighborRange>();
        var lines = new List<long>();
        foreach (var item in items)
        {
            var map = reader.Mapping(item, "dynamic neighbour range", DynamicNeighborKeys);
            if (map is null)
            {
                continue;
            }

            var rangeNode = map.Required("range");
            var prefix = rangeNode is null ? null : reader.Prefix(rangeNode, "range");
            var asRange = map.Required("as-range") is { } asRangeNode ? AsRange(asRangeNode) : null;
            PeerOptions? template = new() { Address = IPAddress.IPv6Loopback, RemoteAs = 1 };
            if (map["template"] is { } templateNode && asRange is not null)
            {
                template = Peer(templateNode, localAs, asRange);
            }

            if (prefix is null || asRange is null || template is null)
            {
                continue;
            }

            for (var i = 0; i < ranges.Count; i++)
            {
                if (Overlaps(ranges[i].Prefix, prefix.Value))
                {
                    reader.Error(rangeNode!, string.Create(CultureInfo.InvariantCulture, $"range: {prefix} overlaps {ranges[i].Prefix} at line {lines[i]}; a connecting peer must match one range"));
                }
            }

            ranges.Add(new DynamicNeighborRange(
                prefix.Value,
                asRange.Value.Min,
                asRange.Value.Max,
                template with { Address = prefix.Value.Address, RemoteAs = asRange.Value.Min }));
            lines.Add(item.Start.Line);
        }

        return ranges.ToImmutable();
    }

    private (uint Min, uint Max)? AsRange(YamlNode node)
    {
        var text = reader.Text(node, "as-range");
        if (text is null)
        {
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var (lowText, highText) = dash < 0 ? (text, text) : (text[..dash].Trim(), text[(dash + 1)..].Trim());
        if (!ConfigReader.TryAsn(lowText, out var low, out var problem) || !ConfigReader.TryAsn(highText, out var high, out problem))
        {
            reader.Error(node, $"as-range: {problem}; write one AS or LOW-HIGH like 65000-65100");
            return null;
        }

        if (low > high)
        {
            reader.Error(node, $"as-range: {low} is above {high}; write LOW-HIGH");
            return null;
        }

        return (low, high);
    }

    private static bool Overlaps(IpPrefix a, IpPrefix b)
    {
        if (a.IsIPv6 != b.IsIPv6)
        {
            return false;
        }

        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return new PrefixRange(shorter, shorter.Length, shorter.MaxLength).Matches(longer);
    }

    private ImmutableArray<StaticRoute> StaticRoutes(YamlNode node)
    {
        var items = reader.Sequence(node, "static-routes");
        if (items is null)
        {
            return [];
        }

        var routes = ImmutableArray.CreateBuilder<StaticRoute>();
        var seen = new Dictionary<IpPrefix, long>();
        foreach (var item in items)
        {
            var map = reader.Mapping(item, "static route", StaticRouteKeys);
            if (map is null)
            {
                continue;
            }

            var errorsBefore = reader.Errors.Count;
            var prefixNode = map.Required("prefix");
            var prefix = prefixNode is null ? null : reader.Prefix(prefixNode, "prefix");
            var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty };
            if (map["origin"] is { } originNode && reader.Choice(originNode, "origin", Origins) is { } origin)
            {
                attributes = attributes with { Origin = origin };
            }

            if (map["med"] is { } medNode && reader.Integer(medNode, "med", 0, uint.MaxValue) is { } med)
            {
                attributes = attributes with { MultiExitDisc = (uint)med };
            }

            if (map["local-pref"] is { } lpNode && reader.Integer(lpNode, "local-pref", 0, uint.MaxValue) is { } lp)
            {
                attributes = attributes with { LocalPref = (uint)lp };
            }

            if (map["communities"] is { } communitiesNode && Communities(communitiesNode, "communities") is { } communities)
            {
                attributes = attributes with { Communities = communities };
            }

            if (map["large-communities"] is { } largeNode && LargeCommunities(largeNode, "large-communities") is { } large)
            {
                attributes = attributes with { LargeCommunities = large };
            }

            if (prefix is null || reader.Errors.Count != errorsBefore)
            {
                continue;
            }

            if (seen.TryGetValue(prefix.Value, out var line))
            {
                reader.Error(prefixNode!, string.Create(CultureInfo.InvariantCulture, $"prefix: {prefix} is already a static route at line {line}"));
                continue;
            }

            seen[prefix.Value] = item.Start.Line;
            routes.Add(new StaticRoute(prefix.Value, attributes));
        }

        return routes.ToImmutable();
    }

    private ImmutableArray<RoutePolicy> Policies(YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, $"policies: expected a mapping of policy names to policies, not {ConfigReader.Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<RoutePolicy>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || !PolicyName().IsMatch(name))
            {
                reader.Error(keyNode, $"policies: '{(keyNode as YamlScalarNode)?.Value}' is not a policy name (letters, digits, '-', '_' and '.', starting with a letter or digit)");
                continue;
            }

            if (Policy(name, value) is { } policy)
            {
                result.Add(policy);
            }
            else
            {
                brokenPolicies.Add(name);
            }
        }

        return result.ToImmutable();
    }

    private RoutePolicy? Policy(string name, YamlNode node)
    {
        var map = reader.Mapping(node, $"policy '{name}'", PolicyKeys);
        if (map is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var defaultAccept = map["default"] is { } defaultNode ? reader.Choice(defaultNode, "default", DefaultActions) : true;
        var statements = new List<PolicyStatement>();
        if (map["statements"] is { } statementsNode && reader.Sequence(statementsNode, "statements") is { } items)
        {
            foreach (var item in items)
            {
                if (Statement(item) is { } statement)
                {
                    statements.Add(statement);
                }
            }
        }

        return defaultAccept is null || reader.Errors.Count != errorsBefore ? null : new RoutePolicy(name, statements, defaultAccept.Value);
    }

    private PolicyStatement? Statement(YamlNode node)
    {
        var map = reader.Mapping(node, "statement", StatementKeys);
        if (map is null)
        {
            return null;
        }

        var match = map["match"] is { } matchNode ? Match(matchNode) : PolicyMatch.Any;
        var action = map.Required("action") is { } actionNode ? reader.Choice(actionNode, "action", Actions) : null;
        var set = PolicyModifications.None;
        if (map["set"] is { } setNode)
        {
            set = Set(setNode);
            if (action == PolicyAction.Reject)
            {
                reader.Error(map.KeyNode("set")!, "set: has no effect in a statement whose action is reject");
            }
        }

        return match is null || action is null || set is null ? null : new PolicyStatement(match, action.Value, set);
    }

    private PolicyMatch? Match(YamlNode node)
    {
        var map = reader.Mapping(node, "match", MatchKeys);
        if (map is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var match = PolicyMatch.Any;
        if (map["prefix"] is { } prefixNode && Values(prefixNode, "prefix", allowScalar: true, PrefixRangeValue) is { } ranges)
        {
            match = match with { Prefixes = [.. ranges] };
        }

        if (map["family"] is { } familyNode && Values(familyNode, "family", allowScalar: true, item => reader.Choice(item, "family", Families)) is { } families)
        {
            match = match with { Families = [.. families] };
        }

        if (map["community"] is { } communityNode && Communities(communityNode, "community") is { } communities)
        {
            match = match with { Communities = communities };
        }

        if (map["large-community"] is { } largeNode && LargeCommunities(largeNode, "large-community") is { } large)
        {
            match = match with { LargeCommunities = large };
        }

        if (map["as-path"] is { } asPathNode && reader.Text(asPathNode, "as-path") is { } pattern)
        {
            try
            {
                match = match with { AsPath = new AsPathPattern(pattern) };
            }
            catch (ArgumentException e)
            {
                reader.Error(asPathNode, $"as-path: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        if (!match.Families.IsEmpty && !match.Prefixes.IsEmpty
            && match.Prefixes.All(r => !match.Families.Contains(r.Prefix.IsIPv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast)))
        {
            reader.Error(map.KeyNode("family")!, "family: no prefix listed in this match is of these families, so the statement can never match");
        }

        return reader.Errors.Count != errorsBefore ? null : match;
    }

    private PolicyModifications? Set(YamlNode node)
    {
        var map = reader.Mapping(node, "set", SetKeys);
        if (map is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var set = PolicyModifications.None;
        if (map["local-pref"] is { } lpNode && reader.Integer(lpNode, "local-pref", 0, uint.MaxValue) is { } lp)
        {
            set = set with { LocalPref = (uint)lp };
        }

        if (map["med"] is { } medNode && reader.Integer(medNode, "med", 0, uint.MaxValue) is { } med)
        {
            set = set with { MultiExitDisc = (uint)med };
        }

        if (map["community-add"] is { } addNode && Communities(addNode, "community-add") is { } add)
        {
            set = set with { CommunitiesToAdd = add };
        }

        if (map["community-remove"] is { } removeNode && Communities(removeNode, "community-remove") is { } remove)
        {
            set = set with { CommunitiesToRemove = remove };
        }

        if (map["large-community-add"] is { } largeAddNode && LargeCommunities(largeAddNode, "large-community-add") is { } largeAdd)
        {
            set = set with { LargeCommunitiesToAdd = largeAdd };
        }

        if (map["large-community-remove"] is { } largeRemoveNode && LargeCommunities(largeRemoveNode, "large-community-remove") is { } largeRemove)
        {
            set = set with { LargeCommunitiesToRemove = largeRemove };
        }

        if (map["prepend"] is { } prependNode && reader.Integer(prependNode, "prepend", 0, AsPath.MaxSegmentLength) is { } prepend)
        {
            set = set with { Prepend = (int)prepend };
        }

        if (map["next-hop"] is { } nextHopNode && reader.Text(nextHopNode, "next-hop") is { } nextHopText)
        {
            if (nextHopText == "self")
            {
                set = set with { NextHop = NextHopRewrite.Self };
            }
            else if (reader.Address(nextHopNode, "next-hop") is { } nextHop)
            {
                set = set with { NextHop = NextHopRewrite.To(nextHop) };
            }
        }

        return reader.Errors.Count != errorsBefore ? null : set;
    }

    private PrefixRange? PrefixRangeValue(YamlNode node)
    {
        var text = reader.Text(node, "prefix");
        if (text is null)
        {
            return null;
        }

        if (!PrefixRange.TryParse(text, out var range, out var error))
        {
            reader.Error(node, $"prefix: {error}");
            return null;
        }

        return range;
    }

    private EquatableArray<Community>? Communities(YamlNode node, string key)
    {
        var values = Values(node, key, allowScalar: true, Community? (item) =>
        {
            var text = reader.Text(item, key);
            if (text is null)
            {
                return null;
            }

            if (!Community.TryParse(text, out var community))
            {
                reader.Error(item, $"{key}: '{text}' is not a community (ASN:VALUE with both parts 0 to 65535, or a well-known name such as no-export)");
                return null;
            }

            return community;
        });
        if (values is null)
        {
            return null;
        }

        return new EquatableArray<Community>(values);
    }

    private EquatableArray<LargeCommunity>? LargeCommunities(YamlNode node, string key)
    {
        var values = Values(node, key, allowScalar: true, LargeCommunity? (item) =>
        {
            var text = reader.Text(item, key);
            if (text is null)
            {
                return null;
            }

            if (!LargeCommunity.TryParse(text, out var community))
            {
                reader.Error(item, $"{key}: '{text}' is not a large community (GLOBAL:LOCAL1:LOCAL2, each 0 to 4294967295)");
                return null;
            }

            return community;
        });
        if (values is null)
        {
            return null;
        }

        return new EquatableArray<LargeCommunity>(values);
    }

    // The items of a list, each parsed by parse; an item listed twice is an error. Null when the node is not a list or any item is bad.
    private List<T>? Values<T>(YamlNode node, string key, bool allowScalar, Func<YamlNode, T?> parse)
        where T : struct
    {
        var items = reader.Sequence(node, key, allowScalar);
        if (items is null)
        {
            return null;
        }

        var values = new List<T>(items.Count);
        var ok = true;
        foreach (var item in items)
        {
            if (parse(item) is not { } value)
            {
                ok = false;
                continue;
            }

            if (values.Contains(value))
            {
                reader.Error(item, $"{key}: {(item as YamlScalarNode)?.Value} is listed twice");
                ok = false;
                continue;
            }

            values.Add(value);
        }

        return ok ? values : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex PolicyName();
}
