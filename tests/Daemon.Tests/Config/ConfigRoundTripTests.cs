using BgpStack.Daemon.Config;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>Golden files: each parses, prints back to exactly its own text, and the printed text parses to an equal configuration.</summary>
public class ConfigRoundTripTests
{
    private static readonly string GoldenDirectory = Path.Combine(AppContext.BaseDirectory, "Config", "golden");

    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(GoldenDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_golden_files_are_there()
    {
        Assert.True(GoldenFiles().Count >= 4, $"golden files missing from {GoldenDirectory}");
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Golden_file_prints_back_to_itself(string name)
    {
        var text = File.ReadAllText(Path.Combine(GoldenDirectory, name));
        var config = DaemonConfigFile.Parse(text, name);
        Assert.Equal(text, DaemonConfigFile.Print(config));
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Parse_of_print_equals_the_original(string name)
    {
        var config = DaemonConfigFile.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, name)), name);
        var again = DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed");
        Assert.Equal(config, again);
        Assert.True(config.Diff(again).IsEmpty);
    }

    [Fact]
    public void The_default_prints_and_parses_back_to_itself()
    {
        var printed = DaemonConfigFile.Print(DaemonConfig.Default);
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenDirectory, "minimal.yaml")), printed);
        Assert.Equal(DaemonConfig.Default, DaemonConfigFile.Parse(printed, "default"));
    }

    [Fact]
    public void Non_canonical_input_prints_in_the_canonical_layout()
    {
        var yaml = """
            local-as: 65001
            router-id: 198.18.0.1
            policies:
              p:
                default: accept
                statements:
                  - action: accept
                    match: { prefix: "10.0.0.0/8{8,24}", family: ipv4-unicast }
            peers:
              - as: 65002
                address: 198.18.0.2
                hold-time: 90
                graceful-restart: true
                families: ipv4-unicast
                max-prefix: { ipv4-unicast: 100 }
                import: p
            """;
        var expected = """
            router-id: 198.18.0.1
            local-as: 65001
            listen: ["[::]:179"]
            control-socket: /run/bgpstack/bgpstackd.sock
            state-dir: /var/lib/bgpstack
            peers:
              - address: 198.18.0.2
                as: 65002
                families: [ipv4-unicast]
                max-prefix:
                  ipv4-unicast:
                    limit: 100
                    action: teardown
                import: p
            policies:
              p:
                statements:
                  - match:
                      prefix: [10.0.0.0/8 le 24]
                      family: [ipv4-unicast]
                    action: accept

            """;
        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal), DaemonConfigFile.Print(DaemonConfigFile.Parse(yaml, "in.yaml")));
    }

    [Fact]
    public void A_policy_hook_that_is_not_a_route_policy_cannot_be_printed()
    {
        var peer = new BgpStack.Bgp.Speaker.PeerOptions { Address = System.Net.IPAddress.Loopback, RemoteAs = 65002, ImportPolicy = new Hook() };
        var config = DaemonConfig.Default with { Speaker = DaemonConfig.Default.Speaker with { Peers = [peer] } };
        var error = Assert.Throws<ArgumentException>(() => DaemonConfigFile.Print(config));
        Assert.Contains("Hook cannot be written as YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_text_survives_the_round_trip()
    {
        // Every printable ASCII character and the escapes, in random strings; seeded, so failures replay.
        var random = new Random(4);
        var alphabet = Enumerable.Range(32, 95).Select(c => (char)c).Concat("\t\n\u0001\u007fé€".ToCharArray()).ToArray();
        for (var i = 0; i < 500; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var peer = new BgpStack.Bgp.Speaker.PeerOptions { Address = System.Net.IPAddress.Loopback, RemoteAs = 65002, Description = text, Password = text };
            var config = DaemonConfig.Default with { ControlSocket = "/" + text, Speaker = DaemonConfig.Default.Speaker with { Peers = [peer] } };
            var again = DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed");
            Assert.Equal("/" + text, again.ControlSocket);
            Assert.Equal(text, again.Speaker.Peers[0].Description);
            Assert.Equal(config, again);
        }
    }

    [Fact]
    public void Text_that_needs_quotes_survives_the_round_trip()
    {
        var config = DaemonConfig.Default with
        {
            ControlSocket = "/tmp/a: b#c/\"quoted\"\\x",
            StateDirectory = "/tmp/\ttab\nnewline",
        };
        var again = DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed");
        Assert.Equal(config.ControlSocket, again.ControlSocket);
        Assert.Equal(config.StateDirectory, again.StateDirectory);
    }

    private sealed class Hook : BgpStack.Bgp.Speaker.Policy.IRoutePolicy
    {
        public BgpStack.Rib.PathAttributes? Apply(BgpStack.Rib.IpPrefix prefix, BgpStack.Rib.PathAttributes attributes, in BgpStack.Bgp.Speaker.Policy.PolicyPeer peer) => attributes;
    }
}
