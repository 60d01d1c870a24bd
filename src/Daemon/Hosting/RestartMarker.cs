using System.Globalization;
using BgpStack.Bgp.Speaker;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// Tells a restart from a first start through a file in the state directory: written
/// <c>running TIME</c> at start, <c>restarting TIME</c> when the daemon stops for a graceful
/// restart (sessions closed without a NOTIFICATION) and <c>stopped TIME</c> when it shuts down (Cease
/// sent: peers dropped our routes). A start that finds <c>running</c> (the last run ended without
/// stopping) or <c>restarting</c> less than the longest graceful restart time ago is a restart: the
/// speaker then sets the restart state bit and defers its first advertisement (RFC 4724 §4.1),
/// while peers still hold our routes.
/// </summary>
internal sealed partial class RestartMarker
{
    /// <summary>The marker's file name in the state directory.</summary>
    public const string FileName = "bgpstackd.state";

    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>Creates the marker for <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The daemon's state directory.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where problems with the file are logged.</param>
    public RestartMarker(string stateDirectory, TimeProvider time, ILogger logger)
    {
        path = Path.Combine(stateDirectory, FileName);
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Reads the last run's marker and writes this run's. Returns <paramref name="options"/> with
    /// <see cref="BgpSpeakerOptions.Restarting"/> set when this start is a restart (or when the
    /// configuration already says so).
    /// </summary>
    /// <param name="options">The speaker's options from the configuration.</param>
    public BgpSpeakerOptions Start(BgpSpeakerOptions options)
    {
        var restarting = options.Restarting;
        try
        {
            if (!restarting && File.Exists(path))
            {
                restarting = IsRestart(File.ReadAllText(path), options);
                if (restarting)
                {
                    Log.RestartDetected(logger, path);
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Write("running");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Unusable(logger, path, ex.Message);
        }

        return options with { Restarting = restarting };
    }

    /// <summary>Records a stop.</summary>
    /// <param name="forRestart">True when the sessions were closed for a graceful restart; false for a shutdown with Cease.</param>
    public void Stop(bool forRestart)
    {
        try
        {
            Write(forRestart ? "restarting" : "stopped");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Unusable(logger, path, ex.Message);
        }
    }

    /// <summary>Whether the marker's <paramref name="text"/> makes this start a restart.</summary>
    /// <param name="text">The marker file's content.</param>
    /// <param name="options">The speaker's options (the peers' restart times).</param>
    internal bool IsRestart(string text, BgpSpeakerOptions options)
    {
        var parts = text.Trim().Split(' ', 2);
        if (parts.Length != 2 || !DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when))
        {
            return false;
        }

        if (parts[0] == "running")
        {
            return true;
        }

        var window = options.Peers.Select(p => p.GracefulRestart?.RestartTime ?? TimeSpan.Zero)
            .Concat(options.DynamicNeighbors.Select(d => d.Template.GracefulRestart?.RestartTime ?? TimeSpan.Zero))
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();
        return parts[0] == "restarting" && time.GetUtcNow() - when <= window;
    }

    private void Write(string state)
    {
        // Write beside and rename over, so a crash never leaves half a marker.
        var temporary = path + ".new";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{state} {time.GetUtcNow():O}\n"));
        File.Move(temporary, path, overwrite: true);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Restart detected from {Path}: starting as a restarting speaker (graceful restart, RFC 4724)")]
        public static partial void RestartDetected(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot use the restart marker {Path}: {Reason}; restarts will look like first starts")]
        public static partial void Unusable(ILogger logger, string path, string reason);
    }
}
