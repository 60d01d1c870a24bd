using BgpStack.Bgp.Speaker;
using BgpStack.Daemon.Hosting;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>bgpstackd run in-process on a config file in a temp directory, over a <see cref="RecordingSpeaker"/>.</summary>
internal sealed class RunningDaemon : IAsyncDisposable
{
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly string header;
    private CancellationTokenSource stop = new();
    private RecordingSpeaker? speaker;
    private DaemonRuntime? runtime;

    private RunningDaemon(string directory, string header)
    {
        this.header = header;
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
        {header}
        control-socket: {SocketPath}
        state-dir: {Path.Combine(Directory, "state")}
        {body}
        """;

    /// <summary>Starts bgpstackd over a <see cref="RecordingSpeaker"/>, or over the real BgpSpeaker with <paramref name="realSpeaker"/>.</summary>
    /// <param name="body">The config after the header.</param>
    /// <param name="kernelNamespace">The namespace for the FIB writer.</param>
    /// <param name="realSpeaker">Run the real speaker.</param>
    /// <param name="header">The config's first lines (router ID, AS, listen).</param>
    public static async Task<RunningDaemon> StartAsync(string body, string? kernelNamespace = null, bool realSpeaker = false, string? header = null)
    {
        var daemon = new RunningDaemon(
            System.IO.Directory.CreateTempSubdirectory("bgpstackd-host-").FullName,
            header ?? "router-id: 198.18.0.1\nlocal-as: 65001\nlisten: [\"127.0.0.1:1179\"]");
        await File.WriteAllTextAsync(daemon.ConfigPath, daemon.Config(body));
        daemon.runtime = new DaemonRuntime(daemon.output, daemon.error, realSpeaker ? BgpSpeakerAdapter.Create : daemon.CreateSpeaker)
        {
            ConsoleLogging = false,
            MinimumLevel = Microsoft.Extensions.Logging.LogLevel.Debug,
            ExtraLogger = daemon.Log,
            FileChangeDebounce = TimeSpan.FromMilliseconds(100),
            KernelNamespace = kernelNamespace,
        };
        await daemon.LaunchAsync();
        return daemon;
    }

    /// <summary>Starts the daemon again on the same files after it exited (a restart).</summary>
    public async Task StartAgainAsync()
    {
        Assert.True(Exit.IsCompleted, "the daemon is still running");
        stop.Dispose();
        stop = new CancellationTokenSource();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var token = stop.Token;
        Exit = Task.Run(() => DaemonApp.RunAsync(["--config", ConfigPath], runtime!, token));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(SocketPath))
        {
            if (Exit.IsCompleted || DateTime.UtcNow > deadline)
            {
                var code = Exit.IsCompleted ? await Exit : -1;
                throw new InvalidOperationException($"bgpstackd did not start (exit {code}): {Error}\n{Log.Text}");
            }

            await Task.Delay(20);
        }
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
