using BgpStack.Bgp.Speaker;
using BgpStack.Daemon.Hosting;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>bgpstackd run in-process on a config file in a temp directory, over a <see cref="RecordingSpeaker"/>.</summary>
internal sealed class RunningDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private RecordingSpeaker? speaker;

    private RunningDaemon(string directory)
    {
        Directory = directory;
        ConfigPath = Path.Combine(directory, "bgpstackd.yaml");
        SocketPath = Path.Combine(directory, "ctl.sock");
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string SocketPath { get; }

    public CapturingLogger Log { get; } = new();

    public RecordingSpeaker Speaker => speaker ?? throw new InvalidOperationException("no speaker was created");

    public Task<int> Exit { get; private set; } = Task.FromResult(-1);

    public string Error => error.ToString();

    /// <summary>The config text for this daemon: <paramref name="body"/> after the common header (its socket and state in the temp directory).</summary>
    public string Config(string body) => $"""
        router-id: 198.18.0.1
        local-as: 65001
        listen: ["127.0.0.1:1179"]
        control-socket: {SocketPath}
        state-dir: {Path.Combine(Directory, "state")}
        {body}
        """;

    public static async Task<RunningDaemon> StartAsync(string body, string? kernelNamespace = null)
    {
        var daemon = new RunningDaemon(System.IO.Directory.CreateTempSubdirectory("bgpstackd-host-").FullName);
        await File.WriteAllTextAsync(daemon.ConfigPath, daemon.Config(body));
        var runtime = new DaemonRuntime(daemon.output, daemon.error, daemon.CreateSpeaker)
        {
            ConsoleLogging = false,
            ExtraLogger = daemon.Log,
            FileChangeDebounce = TimeSpan.FromMilliseconds(100),
            KernelNamespace = kernelNamespace,
        };
        daemon.Exit = Task.Run(() => DaemonApp.RunAsync(["--config", daemon.ConfigPath], runtime, daemon.stop.Token));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(daemon.SocketPath))
        {
            if (daemon.Exit.IsCompleted || DateTime.UtcNow > deadline)
            {
                var code = daemon.Exit.IsCompleted ? await daemon.Exit : -1;
                throw new InvalidOperationException($"bgpstackd did not start (exit {code}): {daemon.Error}\n{daemon.Log.Text}");
            }

            await Task.Delay(20);
        }

        return daemon;
    }

    public async Task RewriteConfigAsync(string body)
    {
        // Write beside and rename over, as config management does, so the watcher never sees half a file.
        var temporary = ConfigPath + ".new";
        await File.WriteAllTextAsync(temporary, Config(body));
        File.Move(temporary, ConfigPath, overwrite: true);
    }

    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await Exit.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            await StopAsync();
        }

        stop.Dispose();
        output.Dispose();
        error.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private RecordingSpeaker CreateSpeaker(BgpSpeakerOptions options) => speaker = new RecordingSpeaker(options);
}
