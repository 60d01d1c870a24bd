using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// Watches the configuration file and calls back once it has been quiet for a while after a change,
/// so an editor's several writes (or a write-then-rename) make one reload. The directory is watched,
/// not the file, so replacing the file (rename over it, as editors and config management do) counts.
/// </summary>
internal sealed partial class ConfigFileWatcher : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private readonly ITimer timer;
    private readonly TimeSpan quiet;
    private readonly ILogger logger;
    private int disposed;

    /// <summary>Starts watching <paramref name="path"/>.</summary>
    /// <param name="path">The configuration file.</param>
    /// <param name="quiet">How long the file must be unchanged before <paramref name="changed"/> runs.</param>
    /// <param name="changed">Called (on a timer thread) after a change and the quiet time.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where watcher failures are logged.</param>
    public ConfigFileWatcher(string path, TimeSpan quiet, Action changed, TimeProvider time, ILogger logger)
    {
        var full = Path.GetFullPath(path);
        this.quiet = quiet;
        this.logger = logger;
        timer = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += OnEvent;
        watcher.Created += OnEvent;
        watcher.Renamed += OnEvent;
        watcher.Error += OnError;
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        watcher.EnableRaisingEvents = false;
        watcher.Dispose();
        timer.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            // Each event pushes the deadline out: one callback per burst of writes.
            timer.Change(quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        Log.WatchFailed(logger, e.GetException().Message);
        OnEvent(sender, new FileSystemEventArgs(WatcherChangeTypes.Changed, watcher.Path, watcher.Filter));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the configuration file failed ({Reason}); reloading to be safe")]
        public static partial void WatchFailed(ILogger logger, string reason);
    }
}
