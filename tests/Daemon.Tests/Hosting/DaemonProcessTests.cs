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
        var socket = Path.Combine(directory, "ctl.sock");
        var config = Path.Combine(directory, "bgpstackd.yaml");
        var port = Random.Shared.Next(20000, 60000);
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            router-id: 198.18.0.1
            local-as: 65001
            listen: ["127.0.0.1:{port}"]
            control-socket: {socket}
            state-dir: {Path.Combine(directory, "state")}
            static-routes:
              - prefix: 10.244.1.0/24
            """));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bgpstackd.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        string Log()
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }

        async Task WaitForLogAsync(string text)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Log().Contains(text, StringComparison.Ordinal))
            {
                Assert.False(process.HasExited, $"bgpstackd exited {(process.HasExited ? process.ExitCode : 0)}: {Log()}");
                Assert.True(DateTime.UtcNow < deadline, $"never logged '{text}': {Log()}");
                await Task.Delay(50);
            }
        }

        try
        {
            await WaitForLogAsync("started: router ID 198.18.0.1");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

            Signal(process.Id, "-HUP");
            await WaitForLogAsync("(SIGHUP)");
            await WaitForLogAsync("nothing changed");
            Assert.False(process.HasExited);

            Signal(process.Id, "-TERM");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.Empty(await process.StandardOutput.ReadToEndAsync());
        Assert.False(File.Exists(socket));
        var lines = Log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): ", line));
        Assert.Contains(lines, line => line.Contains("Stopped", StringComparison.Ordinal));
    }
}
