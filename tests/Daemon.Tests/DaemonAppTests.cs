namespace BgpStack.Daemon.Tests;

public class DaemonAppTests
{
    [Fact]
    public void Version_flag_prints_the_version_and_exits_0()
    {
        var stdout = new StringWriter();
        var code = DaemonApp.Run(["--version"], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Matches(@"^bgpstackd \d+\.\d+\.\d+", stdout.ToString());
    }

    [Fact]
    public void Running_on_the_embedded_default_exits_cleanly()
    {
        var stdout = new StringWriter();
        var code = DaemonApp.Run([], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains($"bgpstackd {DaemonApp.Version}", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_argument_is_a_usage_error_with_exit_2()
    {
        var stderr = new StringWriter();
        var code = DaemonApp.Run(["--bogus"], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains("--bogus", stderr.ToString(), StringComparison.Ordinal);
    }
}
