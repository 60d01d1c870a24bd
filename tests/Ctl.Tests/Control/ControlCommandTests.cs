using System.Text.Json;
using BgpStack.Control;
using BgpStack.Ctl.Commands;
using BgpStack.Ctl.Control;

namespace BgpStack.Ctl.Tests.Control;

public sealed class ControlCommandTests
{
    private static string StatusAnswer() =>
        JsonSerializer.Serialize(new ControlResponse<StatusResult> { Ok = true, Result = ControlSamples.CalicoLike() }, ControlJsonContext.Default.ControlResponseStatusResult);

    [Fact]
    public void Status_without_a_daemon_says_it_cannot_reach_bgpstackd_and_exits_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bgpstackctl-absent-{Guid.NewGuid():N}.sock");
        var (exit, output, error) = Cli.Run("status", "--socket", path);
        Assert.Equal(CtlApp.ExitDaemon, exit);
        Assert.Empty(output);
        Assert.StartsWith($"bgpstackctl: cannot reach bgpstackd at {path}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_prints_the_peer_table_from_the_daemon()
    {
        using var daemon = new FakeDaemon(StatusAnswer());
        var (exit, output, error) = Cli.Run("--socket", daemon.SocketPath, "status");
        Assert.True(exit == 0, error);
        Assert.Equal("""{"command":"status"}""", daemon.Request);
        Assert.StartsWith("bgpstackd is running.", output, StringComparison.Ordinal);
        Assert.Contains("| 192.168.60.83 | ibgp      | up    |", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_json_prints_the_result_with_per_peer_prefix_counts()
    {
        using var daemon = new FakeDaemon(StatusAnswer());
        var (exit, output, error) = Cli.Run("status", "--json", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        var peer = document.RootElement.GetProperty("peers")[0];
        Assert.Equal(12, peer.GetProperty("prefixes_received").GetProperty("ipv4-unicast").GetInt32());
        Assert.Equal(65001u, document.RootElement.GetProperty("local_as").GetUInt32());
    }

    [Fact]
    public void An_error_from_the_daemon_is_printed_and_exits_1()
    {
        using var daemon = new FakeDaemon("""{"ok":false,"error":"config.yaml:3:7: unknown key 'peerz'"}""");
        var (exit, output, error) = Cli.Run("routes", "--socket", daemon.SocketPath);
        Assert.Equal(CtlApp.ExitDaemon, exit);
        Assert.Empty(output);
        Assert.Equal("bgpstackctl: bgpstackd: config.yaml:3:7: unknown key 'peerz'", error.Trim());
    }

    [Fact]
    public void A_daemon_answering_garbage_is_reported_not_thrown()
    {
        using var daemon = new FakeDaemon("this is not json");
        var (exit, _, error) = Cli.Run("status", "--socket", daemon.SocketPath);
        Assert.Equal(CtlApp.ExitDaemon, exit);
        Assert.Contains("answered with invalid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_sends_an_address_as_its_host_prefix_and_prints_the_answer()
    {
        var answer = JsonSerializer.Serialize(new ControlResponse<RoutesResult> { Ok = true, Result = ControlSamples.Routes() }, ControlJsonContext.Default.ControlResponseRoutesResult);
        using var daemon = new FakeDaemon(answer);
        var (exit, output, error) = Cli.Run("routes", "2001:db8::1", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Equal("""{"command":"routes","prefix":"2001:db8::1/128"}""", daemon.Request);
        Assert.Contains("10.244.1.0/24  3 paths, best by lower router ID", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_rejects_a_bad_prefix_as_a_usage_error_without_calling_the_daemon()
    {
        var (exit, _, error) = Cli.Run("routes", "10.0.0.0/33", "--socket", "/nonexistent/ctl.sock");
        Assert.Equal(CtlApp.ExitUsage, exit);
        Assert.Contains("not a prefix or address: '10.0.0.0/33'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a.sock", "/b.sock", "/a.sock")]
    [InlineData(null, "/b.sock", "/b.sock")]
    [InlineData(null, "", ControlClient.DefaultSocketPath)]
    [InlineData(null, null, ControlClient.DefaultSocketPath)]
    public void Socket_option_beats_the_environment_which_beats_the_default(string? option, string? environment, string expected) =>
        Assert.Equal(expected, ControlClient.ResolveSocketPath(option, environment));

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    public void Prefix_argument_is_normalized(string given, string sent)
    {
        Assert.True(RoutesCommand.TryNormalize(given, out var prefix));
        Assert.Equal(sent, prefix);
    }

    [Fact]
    public void Reload_prints_which_peers_changed()
    {
        var answer = JsonSerializer.Serialize(
            new ControlResponse<ReloadResult> { Ok = true, Result = new ReloadResult { ConfigFile = "/etc/bgpstack/bgpstackd.yaml", Added = ["198.18.0.4"], Reset = ["198.18.0.3"] } },
            ControlJsonContext.Default.ControlResponseReloadResult);
        using var daemon = new FakeDaemon(answer);
        var (exit, output, error) = Cli.Run("reload", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Equal("""{"command":"reload"}""", daemon.Request);
        Assert.Equal(
            "Reloaded /etc/bgpstack/bgpstackd.yaml.\nPeers added: 198.18.0.4\nPeers reset: 198.18.0.3\n",
            output.ReplaceLineEndings("\n"));
    }
}
