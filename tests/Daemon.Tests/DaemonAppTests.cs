using BgpStack.Daemon.Hosting;
using BgpStack.Daemon.Tests.Hosting;

namespace BgpStack.Daemon.Tests;

[Collection(DaemonHostCollection.Name)]
public class DaemonAppTests
{
    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var runtime = new DaemonRuntime(stdout, stderr, options => new RecordingSpeaker(options)) { ConsoleLogging = false };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = DaemonApp.RunAsync(args, runtime, stop.Token).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Version_flag_prints_the_version_and_exits_0()
    {
        var (code, stdout, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^bgpstackd \d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public void Help_describes_config_reload_and_exit_codes()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("--config FILE", stdout, StringComparison.Ordinal);
        Assert.Contains("SIGHUP", stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_argument_is_a_usage_error_with_exit_2()
    {
        var (code, _, stderr) = Run("--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--config")]
    [InlineData("-c")]
    public void Config_without_a_file_is_a_usage_error_with_exit_2(string flag)
    {
        var (code, _, stderr) = Run(flag);
        Assert.Equal(2, code);
        Assert.Contains("needs a file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_with_errors_at_start_exits_1_with_file_line_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bgpstackd-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "router-id: 198.18.0.1\nlocal-as: 65001\npeerz: []\n");
        try
        {
            var (code, _, stderr) = Run("--config", path);
            Assert.Equal(1, code);
            Assert.Contains($"{path}:3:1: ", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_config_file_exits_1_saying_so()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bgpstackd-missing-{Guid.NewGuid():N}.yaml");
        var (code, _, stderr) = Run("--config", path);
        Assert.Equal(1, code);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_control_socket_in_use_makes_start_fail_with_exit_1()
    {
        await using var first = await RunningDaemon.StartAsync(string.Empty);
        var (code, _, stderr) = Run("--config", first.ConfigPath);
        Assert.Equal(1, code);
        Assert.Contains("cannot start", stderr, StringComparison.Ordinal);
        Assert.Contains("in use by another process", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_default_is_a_valid_configuration_without_peers()
    {
        var config = BgpStack.Daemon.Config.DaemonConfig.Default;
        Assert.Equal("198.18.0.1", config.Speaker.RouterId.ToString());
        Assert.Empty(config.Speaker.Peers);
        Assert.Equal("/run/bgpstack/bgpstackd.sock", config.ControlSocket);
    }
}
