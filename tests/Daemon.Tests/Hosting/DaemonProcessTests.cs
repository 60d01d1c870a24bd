using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>The bgpstackd executable as a process: signals, exit codes and its log on stderr.</summary>
[Collection(DaemonHostCollection.Name)]
public sealed class DaemonProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("bgpstackd-proc-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        Assert.True(kill.WaitForExit(10_000));
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task Sighup_reloads_and_sigterm_stops_with_exit_0_logging_one_line_per_event_on_stderr()
    {
        await using var daemon = await DaemonProcess.StartAsync(directory);

        // The daemon's own line (the speaker logs a similar one earlier), written once the control socket serves.
        await daemon.WaitForLogAsync($"started: router ID 198.18.0.1, AS 65001, 0 peers, 1 static routes, from {daemon.Config}; control socket {daemon.Socket}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(daemon.Socket));

        Signal(daemon.Process.Id, "-HUP");
        await daemon.WaitForLogAsync("(SIGHUP)");
        await daemon.WaitForLogAsync("nothing changed");
        Assert.False(daemon.Process.HasExited);

        Signal(daemon.Process.Id, "-TERM");
        await daemon.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, daemon.Process.ExitCode);

        Assert.Empty(await daemon.Process.StandardOutput.ReadToEndAsync());
        Assert.False(File.Exists(daemon.Socket));
        var lines = daemon.Log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): ", line));
        Assert.Contains(lines, line => line.Contains("Stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sighup_while_starting_does_not_end_the_process_and_is_applied_once_started()
    {
        await using var daemon = await DaemonProcess.StartAsync(directory);

        // The speaker starts before the reload machinery exists: its first line is the earliest hook.
        await daemon.WaitForLogAsync("Listening for BGP connections");
        Signal(daemon.Process.Id, "-HUP");

        await daemon.WaitForLogAsync("(SIGHUP)");
        await daemon.WaitForLogAsync($"control socket {daemon.Socket}");
        Assert.False(daemon.Process.HasExited, daemon.Log());
    }

    [Fact]
    public async Task A_daemon_started_with_sighup_ignored_still_reloads_on_it()
    {
        // What nohup does: the process inherits SIGHUP ignored.
        await using var daemon = await DaemonProcess.StartAsync(directory, ignoreHangup: true);
        await daemon.WaitForLogAsync($"control socket {daemon.Socket}");
        Assert.Contains("SIGHUP was ignored when bgpstackd started", daemon.Log(), StringComparison.Ordinal);

        Signal(daemon.Process.Id, "-HUP");
        await daemon.WaitForLogAsync("(SIGHUP)");
        await daemon.WaitForLogAsync("nothing changed");
        Assert.False(daemon.Process.HasExited, daemon.Log());
    }

    /// <summary>A bgpstackd process with a minimal configuration in a directory of the test's.</summary>
    private sealed class DaemonProcess : IAsyncDisposable
    {
        private readonly StringBuilder stderr = new();

        private DaemonProcess(string directory, bool ignoreHangup)
        {
            Socket = Path.Combine(directory, "ctl.sock");
            Config = Path.Combine(directory, "bgpstackd.yaml");
            var start = new ProcessStartInfo(ignoreHangup ? "sh" : "dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (ignoreHangup)
            {
                // An ignored signal stays ignored across exec.
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("trap '' HUP; exec dotnet \"$@\"");
                start.ArgumentList.Add("sh");
            }

            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bgpstackd.dll"));
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(Config);
            Start = start;
        }

        public string Socket { get; }

        public string Config { get; }

        public Process Process { get; private set; } = null!;

        private ProcessStartInfo Start { get; }

        public static async Task<DaemonProcess> StartAsync(string directory, bool ignoreHangup = false)
        {
            var daemon = new DaemonProcess(directory, ignoreHangup);
            var port = Random.Shared.Next(20000, 60000);
            await File.WriteAllTextAsync(daemon.Config, string.Create(CultureInfo.InvariantCulture, $"""
                router-id: 198.18.0.1
                local-as: 65001
                listen: ["127.0.0.1:{port}"]
                control-socket: {daemon.Socket}
                state-dir: {Path.Combine(directory, "state")}
                static-routes:
                  - prefix: 10.244.1.0/24
                """));
            daemon.Process = Process.Start(daemon.Start)!;
            daemon.Process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (daemon.stderr)
                    {
                        daemon.stderr.AppendLine(e.Data);
                    }
                }
            };
            daemon.Process.BeginErrorReadLine();
            return daemon;
        }

        public string Log()
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }

        public async Task WaitForLogAsync(string text)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Log().Contains(text, StringComparison.Ordinal))
            {
                Assert.False(Process.HasExited, $"bgpstackd exited {(Process.HasExited ? Process.ExitCode : 0)}: {Log()}");
                Assert.True(DateTime.UtcNow < deadline, $"never logged '{text}': {Log()}");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                await Process.WaitForExitAsync();
            }

            Process.Dispose();
        }
    }
}
