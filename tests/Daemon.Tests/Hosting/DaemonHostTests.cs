using System.Diagnostics;
using System.Net;
using BgpStack.Ctl;
using BgpStack.Daemon.Tests.Control;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>The daemons of these tests take SIGHUP in this process: run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DaemonHostCollection
{
    public const string Name = "daemon host";
}

[Collection(DaemonHostCollection.Name)]
public sealed class DaemonHostTests
{
    private const string TwoPeers = """
        peers:
          - address: 198.18.0.2
            as: 65002
            description: tor-a
          - address: 198.18.0.3
            as: 65003
        static-routes:
          - prefix: 10.244.1.0/24
            communities: ["65001:100"]
          - prefix: 10.244.2.0/24
        """;

    private static (int Exit, string Out, string Error) Ctl(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CtlApp.Run(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Daemon_starts_the_speaker_originates_static_routes_and_answers_status()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        Assert.True(daemon.Speaker.Started);
        Assert.Equal([IpPrefix.Parse("10.244.1.0/24"), IpPrefix.Parse("10.244.2.0/24")], daemon.Speaker.Originated.Keys.Order());
        Assert.Equal([Community.Create(65001, 100)], daemon.Speaker.Originated[IpPrefix.Parse("10.244.1.0/24")]!.Communities.AsImmutableArray().ToArray());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(daemon.SocketPath));

        var (exit, output, error) = Ctl("status", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Router ID 198.18.0.1, AS 65001", output, StringComparison.Ordinal);
        Assert.Contains("| 198.18.0.2   | ebgp      | start |", output, StringComparison.Ordinal);
        Assert.Contains("| 198.18.0.3   | ebgp      | start |", output, StringComparison.Ordinal);
        await daemon.Log.WaitForAsync("Peer 198.18.0.2 AS 65002: Idle");
    }

    [Fact]
    public async Task Stopping_stops_the_speaker_removes_the_socket_and_exits_0()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        Assert.Equal(0, await daemon.StopAsync());
        Assert.True(daemon.Speaker.Stopped);
        Assert.True(daemon.Speaker.Disposed);
        Assert.False(File.Exists(daemon.SocketPath));
        Assert.StartsWith("stopped ", File.ReadAllText(Path.Combine(daemon.Directory, "state", "bgpstackd.state")), StringComparison.Ordinal);
        Assert.False(daemon.Speaker.Options.Restarting);
        var (exit, _, error) = Ctl("status", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("cannot reach bgpstackd", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graceful_restart_stops_the_speaker_for_a_restart_and_marks_the_state_directory()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        var (exit, output, error) = Ctl("graceful-restart", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("peers keep our routes for up to 120 s", output, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(daemon.Speaker.StoppedForRestart);
        Assert.False(daemon.Speaker.Stopped);
        Assert.StartsWith("restarting ", File.ReadAllText(Path.Combine(daemon.Directory, "state", "bgpstackd.state")), StringComparison.Ordinal);
        await daemon.Log.WaitForAsync("Stopping for a graceful restart");
    }

    [Fact]
    public async Task Reload_through_the_control_socket_applies_only_what_changed()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        await daemon.RewriteConfigAsync("""
            peers:
              - address: 198.18.0.2
                as: 65002
                description: tor-a renamed
              - address: 198.18.0.3
                as: 65099
              - address: 198.18.0.4
                as: 65004
            static-routes:
              - prefix: 10.244.1.0/24
                communities: ["65001:100"]
              - prefix: 10.244.3.0/24
            """);

        using var client = new ControlConnection(daemon.SocketPath);
        var response = await client.AskAsync("""{"command":"reload"}""");
        Assert.True(response.GetProperty("ok").GetBoolean(), response.ToString());
        var result = response.GetProperty("result");
        Assert.Equal(["198.18.0.4"], result.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["198.18.0.3"], result.GetProperty("reset").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["198.18.0.2"], result.GetProperty("updated").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(result.GetProperty("removed").EnumerateArray());

        var applied = Assert.Single(daemon.Speaker.Applied);
        Assert.Equal(3, applied.Peers.Length);
        Assert.Equal(65099u, applied.Peers.Single(p => p.Address.Equals(IPAddress.Parse("198.18.0.3"))).RemoteAs);
        Assert.Equal([IpPrefix.Parse("10.244.1.0/24"), IpPrefix.Parse("10.244.3.0/24")], daemon.Speaker.Originated.Keys.Order());
    }

    [Fact]
    public async Task Reload_of_an_unchanged_file_tells_the_speaker_nothing()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        using var client = new ControlConnection(daemon.SocketPath);
        var response = await client.AskAsync("""{"command":"reload"}""");
        Assert.True(response.GetProperty("ok").GetBoolean(), response.ToString());
        Assert.Empty(daemon.Speaker.Applied);
        await daemon.Log.WaitForAsync("nothing changed");
    }

    [Fact]
    public async Task A_config_with_errors_on_reload_is_reported_with_its_position_and_the_running_one_kept()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        await daemon.RewriteConfigAsync("""
            peers:
              - address: 198.18.0.2
                as: sixty-five
            """);

        using var client = new ControlConnection(daemon.SocketPath);
        var response = await client.AskAsync("""{"command":"reload"}""");
        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Matches(@"bgpstackd\.yaml:8:\d+: ", response.GetProperty("error").GetString());
        await daemon.Log.WaitForAsync("bgpstackd.yaml:8:");
        await daemon.Log.WaitForAsync("the running configuration stays");
        Assert.Empty(daemon.Speaker.Applied);

        var (exit, output, error) = Ctl("status", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("198.18.0.3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_router_id_is_refused_on_reload_and_the_running_configuration_kept()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        await File.WriteAllTextAsync(daemon.ConfigPath, daemon.Config(TwoPeers).Replace("router-id: 198.18.0.1", "router-id: 198.18.0.9", StringComparison.Ordinal));
        var (exit, _, error) = Ctl("reload", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Contains("router-id changed; restart bgpstackd to apply it", error, StringComparison.Ordinal);
        Assert.Empty(daemon.Speaker.Applied);
        (exit, var output, error) = Ctl("status", "--socket", daemon.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Router ID 198.18.0.1,", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bgpstackctl_reload_reports_config_errors_with_their_position_and_exits_1()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        await daemon.RewriteConfigAsync("peerz: []");
        var (exit, output, error) = Ctl("reload", "--socket", daemon.SocketPath);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains($"bgpstackctl: bgpstackd: {daemon.ConfigPath}:6:1: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_of_the_file_is_reloaded_by_itself()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);
        await daemon.RewriteConfigAsync("""
            peers:
              - address: 198.18.0.2
                as: 65002
                description: tor-a
            static-routes:
              - prefix: 10.244.1.0/24
                communities: ["65001:100"]
              - prefix: 10.244.2.0/24
            """);

        Assert.Equal("apply 1", await daemon.Speaker.WaitForCallAsync("apply"));
        await daemon.Log.WaitForAsync("(file changed)");
        await daemon.Log.WaitForAsync("0 peers added, 1 removed");
    }

    [Fact]
    public async Task Sighup_reloads_the_file()
    {
        await using var daemon = await RunningDaemon.StartAsync(TwoPeers);

        // Written in place (no rename) and then signalled at once; the watcher's reload may come
        // too, but the SIGHUP one is logged as such.
        await File.WriteAllTextAsync(daemon.ConfigPath, daemon.Config("""
            static-routes:
              - prefix: 10.244.9.0/24
            """));
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-HUP", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, kill.ExitCode);
        }

        await daemon.Log.WaitForAsync("(SIGHUP)");
        Assert.Equal("withdraw 10.244.1.0/24", await daemon.Speaker.WaitForCallAsync("withdraw 10.244.1.0/24"));
        Assert.Equal("originate 10.244.9.0/24", await daemon.Speaker.WaitForCallAsync("originate 10.244.9.0/24"));
    }
}
