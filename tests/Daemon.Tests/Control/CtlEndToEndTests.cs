using BgpStack.Control;
using BgpStack.Ctl;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Daemon.Tests.Control;

/// <summary>bgpstackctl against the daemon's control server over a real Unix socket.</summary>
public sealed class CtlEndToEndTests : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("bgpstack-e2e-").FullName;
    private readonly FixedHandler handler = new();
    private readonly ControlServer server;

    public CtlEndToEndTests()
    {
        server = new ControlServer(SocketPath, handler, NullLogger.Instance);
        server.Start();
    }

    private string SocketPath => Path.Combine(directory, "bgpstackd.sock");

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static (int Exit, string Out, string Error) Ctl(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CtlApp.Run(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Status_shows_both_family_tables()
    {
        var (exit, output, error) = Ctl("--socket", SocketPath, "status");
        Assert.True(exit == 0, error);
        Assert.StartsWith("bgpstackd is running.", output, StringComparison.Ordinal);
        Assert.Contains("IPv4 BGP status", output, StringComparison.Ordinal);
        Assert.Contains("IPv6 BGP status", output, StringComparison.Ordinal);
        Assert.Contains("| 198.18.0.2   | ebgp      | up    |", output, StringComparison.Ordinal);
        Assert.Contains("| 2001:db8::3  | dynamic rr client | start |", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_json_carries_prefix_counts()
    {
        var (exit, output, error) = Ctl("status", "--json", "--socket", SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("\"ipv4-unicast\": 1000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_for_a_prefix_show_the_best_path_and_why()
    {
        var (exit, output, error) = Ctl("routes", "10.244.1.0/24", "--socket", SocketPath);
        Assert.True(exit == 0, error);
        Assert.Equal(IpPrefix.Parse("10.244.1.0/24"), handler.LastPrefix);
        Assert.Contains("10.244.1.0/24  2 paths, best by shorter AS_PATH", output, StringComparison.Ordinal);
        Assert.Contains("  *  198.18.0.2 (ebgp AS65002) via 198.18.0.2", output, StringComparison.Ordinal);
        Assert.Contains("   S 198.18.0.4 (ibgp AS65001) via 198.18.0.4 path-id 4  (lost to 198.18.0.2 on shorter AS_PATH)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_daemon_stops_the_cli_says_it_cannot_reach_it()
    {
        await server.DisposeAsync();
        var (exit, _, error) = Ctl("status", "--socket", SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains($"cannot reach bgpstackd at {SocketPath}", error, StringComparison.Ordinal);
    }
}
