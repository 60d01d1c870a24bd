using BgpStack.Daemon.Config;

namespace BgpStack.Daemon.Tests.Config;

public class ConfigSmokeTests
{
    [Fact]
    public void Brief_example_round_trips()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Config", "golden", "brief-example.yaml");
        var text = File.ReadAllText(path);
        var config = DaemonConfigFile.Parse(text, "brief-example.yaml");
        var printed = DaemonConfigFile.Print(config);
        Assert.Equal(text, printed);
        Assert.Equal(config, DaemonConfigFile.Parse(printed, "printed"));
    }
}
