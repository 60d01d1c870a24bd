using BgpStack.Daemon.Config;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>
/// Every rule the parser checks, each with the position it reports. The expected position is
/// written into the YAML as '»' (removed before parsing), so the tests read like the file.
/// </summary>
public class ConfigValidationTests
{
    private const string Head = "router-id: 198.18.0.1\nlocal-as: 65001\n";

    public static TheoryData<string, string> Cases => new()
    {
        // Document level.
        { "router-id: 198.18.0.1\nlocal-as: 65001\n»local-as: 65002\n", "duplicate key 'local-as'" },
        { "router-id: 198.18.0.1\nlocal-as: [65001\n»", "not valid YAML" },
        { "»- router-id\n", "the configuration must be a mapping" },

        // Input YamlDotNet's reader fails on with exceptions other than YamlException.
        { Head + "policies:\n  p:\n    statements:\n      - match:\n          prefix: »[10.[0.0.0/8 ge 16 le 24]\n          as-path: \"^65002( 65002)*$\"\n", "not valid YAML here" },
        { Head + "listen: »[!!int]\n", "not valid YAML here" },
        { "»local-as: 65001\n", "the configuration is missing the required key 'router-id'" },
        { "»router-id: 198.18.0.1\n", "the configuration is missing the required key 'local-as'" },
        { Head + "»router_id: 198.18.0.2\n", "unknown key 'router_id' in the configuration; did you mean 'router-id'?" },
        { Head + "»bogus: 1\n", "unknown key 'bogus' in the configuration; known keys: router-id, local-as" },

        // Globals.
        { "router-id: »198.18.0\nlocal-as: 65001\n", "router-id: '198.18.0' is not an IPv4 address in dotted-quad form" },
        { "router-id: »2001:db8::1\nlocal-as: 65001\n", "is not an IPv4 address" },
        { "router-id: »0.0.0.0\nlocal-as: 65001\n", "0.0.0.0 is not a valid BGP identifier (RFC 6286)" },
        { "router-id: 198.18.0.1\nlocal-as: »0\n", "local-as: '0' is not an AS number" },
        { "router-id: 198.18.0.1\nlocal-as: »4294967296\n", "local-as: '4294967296' is not an AS number" },
        { "router-id: 198.18.0.1\nlocal-as: »-5\n", "is not an AS number" },
        { "router-id: 198.18.0.1\nlocal-as: »23456\n", "AS_TRANS" },
        { "router-id: 198.18.0.1\nlocal-as:»\n", "local-as: has no value" },
        { "router-id: 198.18.0.1\nlocal-as: »[1]\n", "local-as: expected a single value, not a list" },
        { Head + "listen: [\"[::]:179\", »\"[::]:179\"]\n", "listen: [::]:179 is listed twice" },
        { Head + "listen: [»\"198.18.0.1:0\"]\n", "listen: '198.18.0.1:0' is not an address" },
        { Head + "listen: [»\"198.18.0.1:x\"]\n", "is not an address" },
        { Head + "listen: [»\"[::1\"]\n", "is not an address" },
        { Head + "cluster-id: »abc\n", "cluster-id: 'abc' is not an IPv4 address" },
        { Head + "control-socket: »run/x.sock\n", "control-socket: 'run/x.sock' must be an absolute path" },
        { Head + "state-dir: »var\n", "state-dir: 'var' must be an absolute path" },
        { Head + "restarting: »yes\n", "restarting: expected true or false, not 'yes'" },
        { Head + "ecmp: { max-paths: »0 }\n", "max-paths: expected a whole number from 1 to 256, not '0'" },
        { Head + "ecmp: { »maxpaths: 2 }\n", "unknown key 'maxpaths' in ecmp; did you mean 'max-paths'?" },
        { Head + "ecmp: »8\n", "ecmp must be a mapping of keys to values, not '8'" },
        { Head + "kernel: { table: »255 }\n", "table: 255 is the kernel's local table" },
        { Head + "kernel: { table: »0 }\n", "table: expected a whole number from 1 to 4294967295" },
        { Head + "kernel: { install: [bgp, »connected] }\n", "install: expected one of bgp, static, not 'connected'" },
        { Head + "kernel: { install: [bgp, »bgp] }\n", "install: bgp is listed twice" },

        // Peers.
        { Head + "peers:\n  - »as: 65002\n", "peer is missing the required key 'address'" },
        { Head + "peers:\n  - »address: 198.18.0.2\n", "peer is missing the required key 'as'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    »hold_time: 30\n", "unknown key 'hold_time' in peer; did you mean 'hold-time'?" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    »hodl-time: 30\n", "did you mean 'hold-time'?" },
        { Head + "peers:\n  - address: »198.18.0\n    as: 65002\n", "address: '198.18.0' is not an IP address" },
        { Head + "peers:\n  - address: »198.18.0.0/24\n    as: 65002\n", "address: '198.18.0.0/24' is not an IP address" },
        { Head + "peers:\n  - address: »224.0.0.5\n    as: 65002\n", "224.0.0.5 cannot be a peer or next-hop address" },
        { Head + "peers:\n  - address: »0.0.0.0\n    as: 65002\n", "cannot be a peer" },
        { Head + "peers:\n  - address: »fe80::1\n    as: 65002\n", "address: link-local fe80::1 needs the interface it is on, like fe80::1%eth0" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: »65x\n", "as: '65x' is not an AS number" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n  - address: »198.18.0.2\n    as: 65003\n", "address: peer 198.18.0.2 is already configured at line 4" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: »1\n", "hold-time: 1 is not allowed; use 0 (no keepalives) or 3 to 65535 seconds (RFC 4271 §4.2)" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: »2\n", "hold-time: 2 is not allowed" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: »65536\n", "hold-time: expected a whole number from 0 to 65535 seconds" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: 9\n    keepalive: »9\n", "keepalive: 9 must be less than hold-time (9)" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    keepalive: »0\n", "keepalive: expected a whole number from 1 to 21845 seconds" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    connect-retry: »0\n", "connect-retry: expected a whole number from 1 to 65535 seconds" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    delay-open: »241\n", "delay-open: expected a whole number from 1 to 240 seconds" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    port: »0\n", "port: expected a whole number from 1 to 65535" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    multihop: »256\n", "multihop: expected a whole number from 1 to 255" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65001\n    multihop: »2\n", "multihop: applies to eBGP peers only" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    source-address: »2001:db8::1\n", "source-address: 2001:db8::1 is not of the same address family as the peer address 198.18.0.2" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    route-reflector-client: »true\n", "route-reflector-client: applies to iBGP peers only, and AS 65002 is not our AS 65001" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    local-as: 65002\n    multihop: »2\n", "multihop: applies to eBGP peers only" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    ttl-security: »on\n", "ttl-security: expected true or false, not 'on'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    password: »" + new string('x', 81) + "\n", "password: TCP MD5 keys are at most 80 bytes" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    next-hop: »peer\n", "next-hop: expected one of auto, self, keep, not 'peer'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    families: [»ipv4-multicast]\n", "families: expected one of ipv4-unicast, ipv6-unicast, not 'ipv4-multicast'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    families: [ipv4-unicast, »ipv4-unicast]\n", "families: ipv4-unicast is listed twice" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    families: »[]\n", "families: a peer needs at least one family" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    graceful-restart: { restart-time: »4096 }\n", "restart-time: expected a whole number from 1 to 4095 seconds" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    graceful-restart: »maybe\n", "graceful-restart: expected true or false, not 'maybe'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    families: [ipv4-unicast]\n    max-prefix: { »ipv6-unicast: 10 }\n", "max-prefix: ipv6-unicast is not among this peer's families" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    max-prefix: { »ipv4: 10 }\n", "unknown key 'ipv4' in max-prefix" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    max-prefix: { ipv4-unicast: { limit: 10, action: warn, restart: »30 } }\n", "restart: applies only with action teardown" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    max-prefix: { ipv4-unicast: »{ action: warn } }\n", "max-prefix ipv4-unicast is missing the required key 'limit'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    max-prefix: { ipv4-unicast: { limit: 10, action: »drop } }\n", "action: expected one of warn, teardown, not 'drop'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    allow-own-as: »11\n", "allow-own-as: expected a whole number from 0 to 10" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    add-path: »all\n", "add-path: expected one of none, receive, send, both, not 'all'" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    import: »anything\n", "import: no policy named 'anything'; the file defines no policies" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    export: »to-tr\npolicies:\n  to-tor: {}\n", "export: no policy named 'to-tr'; did you mean 'to-tor'?" },
        { Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    export: »zzz\npolicies:\n  to-tor: {}\n  from-tor: {}\n", "export: no policy named 'zzz'; defined policies: to-tor, from-tor" },
        { Head + "peers: »198.18.0.2\n", "peers: expected a list, not '198.18.0.2'" },
        { Head + "»listen: []\npeers:\n  - address: 198.18.0.2\n    as: 65002\n    passive: true\n", "listen: is empty, so passive peer 198.18.0.2 could never connect" },

        // Dynamic neighbours.
        { Head + "dynamic-neighbors:\n  - »range: 198.18.0.0/24\n", "dynamic neighbour range is missing the required key 'as-range'" },
        { Head + "dynamic-neighbors:\n  - range: »198.18.0.1/24\n    as-range: 65002\n", "range: 198.18.0.1/24 has host bits set; did you mean 198.18.0.0/24?" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: »65100-65000\n", "as-range: 65100 is above 65000" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: »65000-x\n", "as-range: 'x' is not an AS number" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/16\n    as-range: 65002\n  - range: »198.18.4.0/24\n    as-range: 65003\n", "range: 198.18.4.0/24 overlaps 198.18.0.0/16 at line 4" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n    template: { »address: 198.18.0.9 }\n", "unknown key 'address' in template" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n    template: { »shutdown: true }\n", "unknown key 'shutdown' in template" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002-65010\n    template: { route-reflector-client: »true }\n", "route-reflector-client: applies to iBGP peers only, and local AS 65001 is outside this range's as-range" },
        { Head + "dynamic-neighbors:\n  - range: 198.18.0.0/24\n    as-range: 65002\n    template: { hold-time: »2 }\n", "hold-time: 2 is not allowed" },

        // Static routes.
        { Head + "static-routes:\n  - prefix: »10.244.1.1/24\n", "prefix: 10.244.1.1/24 has host bits set; did you mean 10.244.1.0/24?" },
        { Head + "static-routes:\n  - prefix: »10.244.1.0\n", "prefix: '10.244.1.0' is not an IP prefix" },
        { Head + "static-routes:\n  - prefix: 10.244.1.0/24\n  - prefix: »10.244.1.0/24\n", "prefix: 10.244.1.0/24 is already a static route at line 4" },
        { Head + "static-routes:\n  - prefix: 10.244.1.0/24\n    communities: [»\"65001:70000\"]\n", "communities: '65001:70000' is not a community" },
        { Head + "static-routes:\n  - prefix: 10.244.1.0/24\n    large-communities: [»\"1:2\"]\n", "large-communities: '1:2' is not a large community" },
        { Head + "static-routes:\n  - prefix: 10.244.1.0/24\n    med: »-1\n", "med: expected a whole number from 0 to 4294967295" },
        { Head + "static-routes:\n  - prefix: 10.244.1.0/24\n    origin: »bgp\n", "origin: expected one of igp, egp, incomplete, not 'bgp'" },
        { Head + "static-routes:\n  - »med: 1\n", "static route is missing the required key 'prefix'" },

        // Policies.
        { Head + "policies:\n  »\"bad name\": {}\n", "policies: 'bad name' is not a policy name" },
        { Head + "policies: »[]\n", "policies: expected a mapping of policy names to policies, not a list" },
        { Head + "policies:\n  p:\n    default: »drop\n", "default: expected one of accept, reject, not 'drop'" },
        { Head + "policies:\n  p:\n    »statement: []\n", "unknown key 'statement' in policy 'p'; did you mean 'statements'?" },
        { Head + "policies:\n  p:\n    statements:\n      - »match: { family: ipv4-unicast }\n", "statement is missing the required key 'action'" },
        { Head + "policies:\n  p:\n    statements:\n      - action: »permit\n", "action: expected one of accept, reject, next, not 'permit'" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { »prefixes: [10.0.0.0/8] }\n        action: accept\n", "unknown key 'prefixes' in match; did you mean 'prefix'?" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { prefix: [»10.0.0.0/8 le 7] }\n        action: accept\n", "prefix: '10.0.0.0/8 le 7': the lengths must satisfy 8 <= ge <= le <= 32" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { prefix: [»10.0.0.1/8] }\n        action: accept\n", "prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { community: [»\"65001\"] }\n        action: accept\n", "community: '65001' is not a community" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { large-community: [»\"a:b:c\"] }\n        action: accept\n", "large-community: 'a:b:c' is not a large community" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { as-path: »\"(\" }\n        action: accept\n", "as-path: AS path pattern '(' is not a valid regular expression" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { as-path: »\"(1) \\\\1\" }\n        action: accept\n", "linear-time matching does not support" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { family: »ipv4 }\n        action: accept\n", "family: expected one of ipv4-unicast, ipv6-unicast, not 'ipv4'" },
        { Head + "policies:\n  p:\n    statements:\n      - match: { prefix: [\"2001:db8::/32\"], »family: ipv4-unicast }\n        action: accept\n", "family: no prefix listed in this match is of these families, so the statement can never match" },
        { Head + "policies:\n  p:\n    statements:\n      - action: reject\n        »set: { local-pref: 10 }\n", "set: has no effect in a statement whose action is reject" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { »local_pref: 10 }\n", "unknown key 'local_pref' in set; did you mean 'local-pref'?" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { prepend: »256 }\n", "prepend: expected a whole number from 0 to 255" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { next-hop: »peer }\n", "next-hop: 'peer' is not an IP address" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { local-pref: »4294967296 }\n", "local-pref: expected a whole number from 0 to 4294967295" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { community-add: [»\"x:1\"] }\n", "community-add: 'x:1' is not a community" },
        { Head + "policies:\n  p:\n    statements:\n      - action: accept\n        set: { large-community-remove: [»\"1:2:3:4\"] }\n", "large-community-remove: '1:2:3:4' is not a large community" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_problem_at_its_line_and_column(string marked, string expected)
    {
        var (yaml, line, column) = Marked(marked);
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse(yaml, "bgpstackd.yaml"));
        var match = error.Errors.FirstOrDefault(e => e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.True(match is not null, $"no error contains \"{expected}\"; got:\n{error.Message}");
        Assert.Equal((line, column), (match.Line, match.Column));
        Assert.Contains($"bgpstackd.yaml:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_an_error_at_its_start()
    {
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse("# nothing here\n", "empty.yaml"));
        Assert.Equal("empty.yaml:1:1: the configuration is empty; it needs at least router-id and local-as", error.Message);
    }

    [Fact]
    public void A_second_document_is_an_error_where_it_starts()
    {
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse(Head + "---\nrouter-id: 198.18.0.2\n", "two.yaml"));
        Assert.StartsWith("two.yaml:4:1: only one YAML document is allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_in_file_order()
    {
        var yaml = "router-id: 0.0.0.0\nlocal-as: 0\npeers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: 1\n    bogus: true\n";
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse(yaml, "many.yaml"));
        Assert.Equal([(1, 12), (2, 11), (6, 16), (7, 5)], error.Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal(4, error.Message.Split('\n').Length);
    }

    [Fact]
    public void A_broken_policy_is_reported_once_not_again_where_peers_use_it()
    {
        var yaml = Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    import: p\npolicies:\n  p:\n    statements:\n      - action: maybe\n";
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse(yaml, "b.yaml"));
        Assert.Equal("b.yaml:10:17: action: expected one of accept, reject, next, not 'maybe'", error.Message);
    }

    [Fact]
    public void Quoted_null_words_are_text_but_plain_ones_are_missing_values()
    {
        var ok = DaemonConfigFile.Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    description: \"null\"\n", "q.yaml");
        Assert.Equal("null", ok.Speaker.Peers[0].Description);
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Parse(Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    description: ~\n", "q.yaml"));
        Assert.Equal("q.yaml:6:18: description: has no value", error.Message);
    }

    [Fact]
    public void A_link_local_peer_with_an_interface_name_or_index_is_accepted()
    {
        var config = DaemonConfigFile.Parse(Head + "peers:\n  - address: fe80::1%lo\n    as: 65002\n  - address: fe80::2%1\n    as: 65003\n", "ll.yaml");
        Assert.All(config.Speaker.Peers, p => Assert.NotEqual(0, p.Address.ScopeId));
    }

    [Fact]
    public void Load_reports_an_unreadable_file_by_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bgpstack-missing-{Guid.NewGuid():N}.yaml");
        var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Load(path));
        Assert.StartsWith($"{path}: cannot read the configuration: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Errors[0].Line);
    }

    [Fact]
    public void Load_names_the_file_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bgpstack-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Head + "peers:\n  - address: 198.18.0.2\n    as: 65002\n    hold-time: 2\n");
        try
        {
            var error = Assert.Throws<ConfigException>(() => DaemonConfigFile.Load(path));
            Assert.StartsWith($"{path}:6:16: hold-time: 2 is not allowed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static (string Yaml, int Line, int Column) Marked(string marked)
    {
        var at = marked.IndexOf('»', StringComparison.Ordinal);
        Assert.True(at >= 0, "the case has no » marker");
        var before = marked[..at];
        var line = before.Count(c => c == '\n') + 1;
        var column = at - before.LastIndexOf('\n');
        return (marked.Remove(at, 1), line, column);
    }
}
