using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Rib;

namespace BgpStack.Daemon.Config;

/// <summary>
/// Writes a <see cref="DaemonConfig"/> as YAML in one canonical layout: top-level keys in schema
/// order, peer keys in schema order, settings equal to their defaults left out (except the paths
/// and listen addresses, always written), lists of short values in flow style.
/// </summary>
internal static partial class ConfigPrinter
{
    /// <summary>Writes the configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The YAML text, ending in a newline.</returns>
    /// <exception cref="ArgumentException">A peer's policy is not a <see cref="RoutePolicy"/> (a library user's own hook cannot be written as YAML).</exception>
    public static string Print(DaemonConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var speaker = config.Speaker;
        var root = new Map();
        root.Add("router-id", Plain(speaker.RouterId.ToString()));
        root.Add("local-as", Number(speaker.LocalAs));
        root.Add("listen", Flow(speaker.Listen.Select(e => e.ToString())));
        if (speaker.ClusterId is { } clusterId)
        {
            root.Add("cluster-id", Plain(clusterId.ToString()));
        }

        root.Add("control-socket", Scalar(config.ControlSocket));
        root.Add("state-dir", Scalar(config.StateDirectory));
        if (speaker.Restarting)
        {
            root.Add("restarting", Plain("true"));
        }

        var decision = speaker.Rib.Decision;
        if (decision.MaximumPaths != 1 || decision.MaximumPathsInternal != 1)
        {
            var ecmp = new Map();
            ecmp.Add("max-paths", Number(decision.MaximumPaths));
            if (decision.MaximumPathsInternal != 1)
            {
                ecmp.Add("max-paths-ibgp", Number(decision.MaximumPathsInternal));
            }

            root.Add("ecmp", ecmp);
        }

        if (config.Kernel is { } kernel)
        {
            var map = new Map();
            map.Add("enabled", Bool(kernel.Enabled));
            map.Add("table", Number(kernel.Table));
            map.Add("metric", Number(kernel.Metric));
            map.Add("max-paths", Number(kernel.MaxPaths));
            var kinds = new List<string>();
            if (kernel.Install.HasFlag(KernelRouteKinds.Bgp))
            {
                kinds.Add("bgp");
            }

            if (kernel.Install.HasFlag(KernelRouteKinds.Static))
            {
                kinds.Add("static");
            }

            map.Add("install", Flow(kinds));
            map.Add("flush-on-shutdown", Bool(kernel.FlushOnShutdown));
            root.Add("kernel", map);
        }

        if (!speaker.Peers.IsEmpty)
        {
            root.Add("peers", new Seq([.. speaker.Peers.Select(p => Peer(p, template: false))]));
        }

        if (!speaker.DynamicNeighbors.IsEmpty)
        {
            root.Add("dynamic-neighbors", new Seq([.. speaker.DynamicNeighbors.Select(DynamicNeighbor)]));
        }

        if (!config.StaticRoutes.IsEmpty)
        {
            root.Add("static-routes", new Seq([.. config.StaticRoutes.Select(StaticRoute)]));
        }

        if (!config.Policies.IsEmpty)
        {
            var map = new Map();
            foreach (var policy in config.Policies)
            {
                map.Add(policy.Name, Policy(policy));
            }

            root.Add("policies", map);
        }

        var lines = new List<string>();
        root.Render(lines, 0);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static Map Peer(PeerOptions peer, bool template)
    {
        var defaults = new PeerOptions { Address = peer.Address, RemoteAs = peer.RemoteAs };
        var map = new Map();
        if (!template)
        {
            map.Add("address", Scalar(peer.Address.ToString()));
            map.Add("as", Number(peer.RemoteAs));
        }

        if (peer.LocalAs is { } localAs)
        {
            map.Add("local-as", Number(localAs));
        }

        if (peer.Description is { } description)
        {
            map.Add("description", Scalar(description));
        }

        if (peer.Password is { } password)
        {
            map.Add("password", Scalar(password));
        }

        if (peer.TtlSecurity)
        {
            map.Add("ttl-security", Bool(true));
        }

        if (peer.MultihopTtl is { } ttl)
        {
            map.Add("multihop", Number(ttl));
        }

        if (peer.SourceAddress is { } source)
        {
            map.Add("source-address", Scalar(source.ToString()));
        }

        if (peer.Port != defaults.Port)
        {
            map.Add("port", Number(peer.Port));
        }

        if (peer.HoldTime != defaults.HoldTime)
        {
            map.Add("hold-time", Seconds(peer.HoldTime));
        }

        if (peer.KeepaliveTime != defaults.KeepaliveTime)
        {
            map.Add("keepalive", Seconds(peer.KeepaliveTime));
        }

        if (peer.ConnectRetryTime != defaults.ConnectRetryTime)
        {
            map.Add("connect-retry", Seconds(peer.ConnectRetryTime));
        }

        if (peer.DelayOpenTime is { } delay)
        {
            map.Add("delay-open", Seconds(delay));
        }

        if (peer.IdleHoldTime != defaults.IdleHoldTime)
        {
            map.Add("idle-hold", Seconds(peer.IdleHoldTime));
        }

        if (peer.MaxIdleHoldTime != defaults.MaxIdleHoldTime)
        {
            map.Add("max-idle-hold", Seconds(peer.MaxIdleHoldTime));
        }

        if (peer.Passive)
        {
            map.Add("passive", Bool(true));
        }

        if (peer.Shutdown)
        {
            map.Add("shutdown", Bool(true));
        }

        if (peer.RouteReflectorClient)
        {
            map.Add("route-reflector-client", Bool(true));
        }

        if (peer.NextHop != NextHopMode.Auto)
        {
            map.Add("next-hop", Plain(peer.NextHop.ToString().ToLowerInvariant()));
        }

        if (!peer.Families.SequenceEqual(defaults.Families))
        {
            map.Add("families", Flow(peer.Families.Select(f => f.ToString())));
        }

        if (peer.GracefulRestart is null)
        {
            map.Add("graceful-restart", Bool(false));
        }
        else if (peer.GracefulRestart != GracefulRestartOptions.Default)
        {
            map.Add("graceful-restart", GracefulRestart(peer.GracefulRestart));
        }

        if (!peer.MaxPrefix.IsEmpty)
        {
            var limits = new Map();
            foreach (var (family, limit) in peer.MaxPrefix.OrderBy(p => p.Key.Afi))
            {
                var entry = new Map();
                entry.Add("limit", Number(limit.Limit));
                entry.Add("action", Plain(limit.Action.ToString().ToLowerInvariant()));
                if (limit.RestartAfter is { } restart)
                {
                    entry.Add("restart", Seconds(restart));
                }

                limits.Add(family.ToString(), entry);
            }

            map.Add("max-prefix", limits);
        }

        if (peer.AllowOwnAs != 0)
        {
            map.Add("allow-own-as", Number(peer.AllowOwnAs));
        }

        if (peer.AddPath != AddPathMode.None)
        {
            map.Add("add-path", Plain(peer.AddPath.ToString().ToLowerInvariant()));
        }

        if (!peer.ExtendedMessage)
        {
            map.Add("extended-message", Bool(false));
        }

        if (peer.ExtendedNextHop)
        {
            map.Add("extended-next-hop", Bool(true));
        }

        if (peer.ImportPolicy is not null)
        {
            map.Add("import", Scalar(PolicyName(peer.ImportPolicy)));
        }

        if (peer.ExportPolicy is not null)
        {
            map.Add("export", Scalar(PolicyName(peer.ExportPolicy)));
        }

        return map;
    }

    private static string PolicyName(IRoutePolicy policy) =>
        policy is RoutePolicy named
            ? named.Name
            : throw new ArgumentException($"a peer's policy of type {policy.GetType().Name} cannot be written as YAML; only RoutePolicy can", nameof(policy));

    private static Map GracefulRestart(GracefulRestartOptions options)
    {
        var defaults = GracefulRestartOptions.Default;
        var map = new Map();
        if (options.RestartTime != defaults.RestartTime)
        {
            map.Add("restart-time", Seconds(options.RestartTime));
        }

        if (options.StalePathTime != defaults.StalePathTime)
        {
            map.Add("stale-time", Seconds(options.StalePathTime));
        }

        if (options.SelectionDeferralTime != defaults.SelectionDeferralTime)
        {
            map.Add("selection-deferral-time", Seconds(options.SelectionDeferralTime));
        }

        if (options.ForwardingPreserved != defaults.ForwardingPreserved)
        {
            map.Add("forwarding-preserved", Bool(options.ForwardingPreserved));
        }

        return map;
    }

    private static Map DynamicNeighbor(DynamicNeighborRange range)
    {
        var map = new Map();
        map.Add("range", Scalar(range.Prefix.ToString()));
        map.Add("as-range", range.MinAs == range.MaxAs
            ? Number(range.MinAs)
            : Plain(string.Create(CultureInfo.InvariantCulture, $"{range.MinAs}-{range.MaxAs}")));
        var template = Peer(range.Template, template: true);
        if (template.Count > 0)
        {
            map.Add("template", template);
        }

        return map;
    }

    private static Map StaticRoute(StaticRoute route)
    {
        var attributes = route.Attributes;
        var map = new Map();
        map.Add("prefix", Scalar(route.Prefix.ToString()));
        if (attributes.Origin is { } origin && origin != Origin.Igp)
        {
            map.Add("origin", Plain(origin.ToString().ToLowerInvariant()));
        }

        if (attributes.MultiExitDisc is { } med)
        {
            map.Add("med", Number(med));
        }

        if (attributes.LocalPref is { } localPref)
        {
            map.Add("local-pref", Number(localPref));
        }

        if (!attributes.Communities.IsEmpty)
        {
            map.Add("communities", Flow(attributes.Communities.Select(c => c.ToString())));
        }

        if (!attributes.LargeCommunities.IsEmpty)
        {
            map.Add("large-communities", Flow(attributes.LargeCommunities.Select(c => c.ToString())));
        }

        return map;
    }

    private static Map Policy(RoutePolicy policy)
    {
        var map = new Map();
        if (!policy.DefaultAccept)
        {
            map.Add("default", Plain("reject"));
        }

        if (!policy.Statements.IsEmpty)
        {
            map.Add("statements", new Seq([.. policy.Statements.Select(Statement)]));
        }

        return map;
    }

    private static Map Statement(PolicyStatement statement)
    {
        var map = new Map();
        var match = statement.Match;
        if (!match.IsAny)
        {
            var m = new Map();
            if (!match.Prefixes.IsEmpty)
            {
                m.Add("prefix", Flow(match.Prefixes.Select(r => r.ToString())));
            }

            if (!match.Families.IsEmpty)
            {
                m.Add("family", Flow(match.Families.Select(f => f.ToString())));
            }

            if (!match.Communities.IsEmpty)
            {
                m.Add("community", Flow(match.Communities.Select(c => c.ToString())));
            }

            if (!match.LargeCommunities.IsEmpty)
            {
                m.Add("large-community", Flow(match.LargeCommunities.Select(c => c.ToString())));
            }

            if (match.AsPath is { } pattern)
            {
                m.Add("as-path", Quoted(pattern.Pattern));
            }

            map.Add("match", m);
        }

        map.Add("action", Plain(statement.Action.ToString().ToLowerInvariant()));
        var set = statement.Set;
        if (!set.IsEmpty)
        {
            var s = new Map();
            if (set.LocalPref is { } localPref)
            {
                s.Add("local-pref", Number(localPref));
            }

            if (set.MultiExitDisc is { } med)
            {
                s.Add("med", Number(med));
            }

            if (!set.CommunitiesToAdd.IsEmpty)
            {
                s.Add("community-add", Flow(set.CommunitiesToAdd.Select(c => c.ToString())));
            }

            if (!set.CommunitiesToRemove.IsEmpty)
            {
                s.Add("community-remove", Flow(set.CommunitiesToRemove.Select(c => c.ToString())));
            }

            if (!set.LargeCommunitiesToAdd.IsEmpty)
            {
                s.Add("large-community-add", Flow(set.LargeCommunitiesToAdd.Select(c => c.ToString())));
            }

            if (!set.LargeCommunitiesToRemove.IsEmpty)
            {
                s.Add("large-community-remove", Flow(set.LargeCommunitiesToRemove.Select(c => c.ToString())));
            }

            if (set.Prepend != 0)
            {
                s.Add("prepend", Number(set.Prepend));
            }

            if (set.NextHop is { } nextHop)
            {
                s.Add("next-hop", Scalar(nextHop.ToString()));
            }

            map.Add("set", s);
        }

        return map;
    }

    private static Text Number<T>(T value)
        where T : IFormattable => Plain(value.ToString(null, CultureInfo.InvariantCulture));

    private static Text Seconds(TimeSpan value) => Number((long)value.TotalSeconds);

    private static Text Bool(bool value) => Plain(value ? "true" : "false");

    private static Text Plain(string text) => new Text(text);

    // A value written plain when YAML reads it back as the same string, double-quoted otherwise.
    private static Text Scalar(string value) => new Text(IsPlainSafe(value, flow: false) ? value : QuotedText(value));

    private static Text Quoted(string value) => new Text(QuotedText(value));

    private static Text Flow(IEnumerable<string> values) =>
        new Text("[" + string.Join(", ", values.Select(v => IsPlainSafe(v, flow: true) ? v : QuotedText(v))) + "]");

    private static bool IsPlainSafe(string value, bool flow) =>
        value is not ("" or "~" or "null" or "Null" or "NULL")
        && (flow ? FlowPlain() : BlockPlain()).IsMatch(value);

    private static string QuotedText(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ' or '\u007f':
                    text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.Append('"').ToString();
    }

    // Words of letters, digits and . / _ - separated by single spaces; block context also allows
    // inner colons not followed by a space and '%' (IPv6 addresses with a zone).
    [GeneratedRegex(@"^[A-Za-z0-9_./-]+(?: [A-Za-z0-9_./-]+)*$")]
    private static partial Regex FlowPlain();

    [GeneratedRegex(@"^[A-Za-z0-9_./](?:[A-Za-z0-9_./%-]|:(?=[A-Za-z0-9_./:%-]))*(?: [A-Za-z0-9_./-]+)*$")]
    private static partial Regex BlockPlain();

    private abstract class Node
    {
        public abstract void Render(List<string> lines, int indent);
    }

    private sealed class Text(string yaml) : Node
    {
        public string Yaml { get; } = yaml;

        public override void Render(List<string> lines, int indent) => lines.Add(new string(' ', indent) + Yaml);
    }

    private sealed class Map : Node
    {
        private readonly List<(string Key, Node Value)> entries = [];

        public int Count => entries.Count;

        public void Add(string key, Node value) => entries.Add((key, value));

        public override void Render(List<string> lines, int indent)
        {
            var pad = new string(' ', indent);
            foreach (var (key, value) in entries)
            {
                switch (value)
                {
                    case Text text:
                        lines.Add($"{pad}{key}: {text.Yaml}");
                        break;
                    case Map { Count: 0 }:
                        lines.Add($"{pad}{key}: {{}}");
                        break;
                    case Seq { Count: 0 }:
                        lines.Add($"{pad}{key}: []");
                        break;
                    case Map:
                        lines.Add($"{pad}{key}:");
                        value.Render(lines, indent + 2);
                        break;
                    default:
                        lines.Add($"{pad}{key}:");
                        value.Render(lines, indent + 2);
                        break;
                }
            }
        }
    }

    private sealed class Seq(List<Node> items) : Node
    {
        public int Count => items.Count;

        public override void Render(List<string> lines, int indent)
        {
            var pad = new string(' ', indent);
            foreach (var item in items)
            {
                if (item is Text text)
                {
                    lines.Add($"{pad}- {text.Yaml}");
                    continue;
                }

                // The item's first line takes the dash in place of its indentation.
                var first = lines.Count;
                item.Render(lines, indent + 2);
                if (lines.Count > first)
                {
                    lines[first] = pad + "- " + lines[first][(indent + 2)..];
                }
                else
                {
                    lines.Add(pad + "- {}");
                }
            }
        }
    }
}
