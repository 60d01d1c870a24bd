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
}
