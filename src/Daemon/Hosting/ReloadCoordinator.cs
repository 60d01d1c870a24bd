using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Control;
using BgpStack.Daemon.Config;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// The single owner of the running configuration. Reload requests (SIGHUP, a change of the file, the
/// control socket's <c>reload</c>) are queued and applied one at a time: the file is read, a file
/// with errors is reported (each error as <c>file:line:col</c>) and the running configuration kept;
/// otherwise <see cref="DaemonConfig.Diff"/> decides what the speaker is told, so sessions whose
/// settings did not change stay up.
/// </summary>
internal sealed partial class ReloadCoordinator : IAsyncDisposable
{
    private readonly string? configPath;
    private readonly ISpeaker speaker;
    private readonly Func<DaemonConfig, DaemonConfig> prepare;
    private readonly ILogger logger;
    private readonly DaemonMetrics? metrics;
    private readonly Channel<ReloadRequest> requests = Channel.CreateUnbounded<ReloadRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private DaemonConfig running;
    private Task? loop;

    /// <summary>Creates the coordinator; <see cref="Start"/> starts applying requests.</summary>
    /// <param name="configPath">The configuration file; null when running on the embedded default (nothing to reload).</param>
    /// <param name="initial">The configuration the speaker runs on now.</param>
    /// <param name="speaker">The speaker.</param>
    /// <param name="prepare">Adds what the file does not hold (logger factory) to a freshly read configuration.</param>
    /// <param name="logger">Where reloads are reported.</param>
    /// <param name="metrics">Where reloads are counted, if anywhere.</param>
    public ReloadCoordinator(string? configPath, DaemonConfig initial, ISpeaker speaker, Func<DaemonConfig, DaemonConfig> prepare, ILogger logger, DaemonMetrics? metrics = null)
    {
        this.metrics = metrics;
        this.configPath = configPath;
        running = initial;
        this.speaker = speaker;
        this.prepare = prepare;
        this.logger = logger;
    }

    /// <summary>Called on the reload loop after a configuration was applied to the speaker, with the old and new configurations and their difference.</summary>
    public Func<DaemonConfig, DaemonConfig, ConfigDiff, CancellationToken, Task>? Applied { get; init; }

    /// <summary>The configuration in force (replaced whole by each successful reload).</summary>
    public DaemonConfig Running => Volatile.Read(ref running);

    /// <summary>Starts the loop that applies requests.</summary>
    public void Start() => loop ??= RunAsync(stopping.Token);

    /// <summary>Asks for a reload and does not wait for it (signals, file changes).</summary>
    /// <param name="trigger">What asked, for the log.</param>
    public void RequestReload(string trigger) => requests.Writer.TryWrite(new ReloadRequest(trigger, null));

    /// <summary>Reloads and returns what changed.</summary>
    /// <param name="trigger">What asked, for the log.</param>
    /// <param name="cancellationToken">Stops waiting (the reload itself still happens).</param>
    /// <exception cref="ControlCommandException">There is no file, it has errors, or the speaker refused the new settings; the running configuration stays.</exception>
    public async Task<ReloadResult> ReloadAsync(string trigger, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!requests.Writer.TryWrite(new ReloadRequest(trigger, done)))
        {
            throw new ControlCommandException("bgpstackd is stopping");
        }

        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop; queued requests are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        requests.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        while (requests.Reader.TryRead(out var left))
        {
            left.Done?.TrySetException(new ControlCommandException("bgpstackd is stopping"));
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in requests.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var result = await ApplyAsync(request.Trigger, cancellationToken).ConfigureAwait(false);
                    request.Done?.TrySetResult(result);
                }
                catch (ControlCommandException ex)
                {
                    metrics?.Reload("rejected");
                    request.Done?.TrySetException(ex);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    request.Done?.TrySetException(new ControlCommandException("bgpstackd is stopping"));
                    return;
                }
#pragma warning disable CA1031 // a failed reload is reported and the daemon keeps running on what it has
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    metrics?.Reload("failed");
                    Log.ReloadFailed(logger, request.Trigger, ex);
                    request.Done?.TrySetException(new ControlCommandException($"reload failed: {ex.Message}", ex));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<ReloadResult> ApplyAsync(string trigger, CancellationToken cancellationToken)
    {
        if (configPath is null)
        {
            Log.NoFile(logger, trigger);
            throw new ControlCommandException("bgpstackd runs on its embedded default configuration: there is no file to reload (start it with --config FILE)");
        }

        Log.Reloading(logger, configPath, trigger);
        DaemonConfig next;
        try
        {
            next = prepare(DaemonConfigFile.Load(configPath));
        }
        catch (ConfigException ex)
        {
            foreach (var error in ex.Errors)
            {
                Log.ConfigError(logger, error.ToString());
            }

            Log.KeptRunning(logger, configPath);
            throw new ControlCommandException(ex.Message, ex);
        }

        var old = Running;
        var diff = old.Diff(next);

        // The speaker's identity is in every OPEN and every route it sent: it changes only with a restart.
        var identity = diff.SpeakerChanges.Where(k => k is "router-id" or "local-as").ToArray();
        if (identity.Length > 0)
        {
            var keys = string.Join(" and ", identity);
            Log.IdentityChanged(logger, configPath, keys);
            throw new ControlCommandException($"{configPath}: {keys} changed; restart bgpstackd to apply it (the running configuration stays)");
        }

        if (diff.IsEmpty)
        {
            Log.Unchanged(logger, configPath);
            metrics?.Reload("unchanged");
            Volatile.Write(ref running, next);
            return Result(diff);
        }

        if (!diff.AddedPeers.IsEmpty || !diff.RemovedPeers.IsEmpty || !diff.ChangedPeers.IsEmpty
            || !diff.UpdatedPeers.IsEmpty || !diff.SpeakerChanges.IsEmpty)
        {
            await speaker.ApplyAsync(next.Speaker, cancellationToken).ConfigureAwait(false);
        }

        foreach (var prefix in diff.RemovedStaticRoutes)
        {
            await speaker.WithdrawAsync(prefix, cancellationToken).ConfigureAwait(false);
        }

        foreach (var route in diff.AddedStaticRoutes)
        {
            await speaker.OriginateAsync(route.Prefix, route.Attributes, cancellationToken).ConfigureAwait(false);
        }

        foreach (var key in diff.RestartRequired)
        {
            Log.RestartRequired(logger, key);
        }

        if (diff.SpeakerChanges.Contains("ecmp"))
        {
            // The RIB's decision options are fixed when the speaker is made.
            Log.RestartRequired(logger, "ecmp");
        }

        Volatile.Write(ref running, next);
        metrics?.Reload("applied");
        if (Applied is { } applied)
        {
            await applied(old, next, diff, cancellationToken).ConfigureAwait(false);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var reset = string.Join(", ", diff.ChangedPeers);
            var updated = string.Join(", ", diff.UpdatedPeers);
            Log.Reloaded(logger, configPath, diff.AddedPeers.Length, diff.RemovedPeers.Length, reset, updated, diff.AddedStaticRoutes.Length, diff.RemovedStaticRoutes.Length);
        }
        return Result(diff);
    }

    private ReloadResult Result(ConfigDiff diff) => new()
    {
        ConfigFile = configPath!,
        Added = [.. diff.AddedPeers.Select(p => p.Address.ToString())],
        Removed = [.. diff.RemovedPeers.Select(p => p.Address.ToString())],
        Reset = [.. diff.ChangedPeers.Select(p => p.New.Address.ToString())],
        Updated = [.. diff.UpdatedPeers.Select(p => p.New.Address.ToString())],
    };

    private sealed record ReloadRequest(string Trigger, TaskCompletionSource<ReloadResult>? Done);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Reloading {Path} ({Trigger})")]
        public static partial void Reloading(ILogger logger, string path, string trigger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Reload asked ({Trigger}) but bgpstackd runs on its embedded default configuration; start it with --config FILE")]
        public static partial void NoFile(ILogger logger, string trigger);

        [LoggerMessage(Level = LogLevel.Error, Message = "Configuration error: {Error}")]
        public static partial void ConfigError(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Not reloaded: {Path} has errors; the running configuration stays")]
        public static partial void KeptRunning(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Error, Message = "Not reloaded: {Path} changes {Keys}, which needs a restart of bgpstackd; the running configuration stays")]
        public static partial void IdentityChanged(ILogger logger, string path, string keys);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Path}: nothing changed")]
        public static partial void Unchanged(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration key {Key} changed; it takes effect when bgpstackd restarts")]
        public static partial void RestartRequired(ILogger logger, string key);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Path}: {Added} peers added, {Removed} removed, reset: [{Reset}], updated in place: [{Updated}], {Originated} static routes originated, {Withdrawn} withdrawn")]
        public static partial void Reloaded(ILogger logger, string path, int added, int removed, string reset, string updated, int originated, int withdrawn);

        [LoggerMessage(Level = LogLevel.Error, Message = "Reload ({Trigger}) failed; the running configuration stays")]
        public static partial void ReloadFailed(ILogger logger, string trigger, Exception exception);
    }
}
