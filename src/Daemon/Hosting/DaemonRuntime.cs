using BgpStack.Bgp.Speaker;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Hosting;

/// <summary>What the process gives the daemon: its output streams, how to make a speaker, and extra log sinks (tests add one).</summary>
/// <param name="Out">Standard output (version, help).</param>
/// <param name="Error">Standard error (usage and start-up errors; the console logger also writes there).</param>
/// <param name="CreateSpeaker">Makes the speaker from its options.</param>
internal sealed record DaemonRuntime(TextWriter Out, TextWriter Error, Func<BgpSpeakerOptions, ISpeaker> CreateSpeaker)
{
    /// <summary>Another log sink next to the console.</summary>
    public ILoggerProvider? ExtraLogger { get; init; }

    /// <summary>Whether to log to the console (stderr); tests that capture logs turn it off.</summary>
    public bool ConsoleLogging { get; init; } = true;

    /// <summary>The network namespace whose kernel table the FIB writer writes; null for the daemon's own (tests use one they made).</summary>
    public string? KernelNamespace { get; init; }

    /// <summary>How long the config file must be quiet after a change before it is reloaded.</summary>
    public TimeSpan FileChangeDebounce { get; init; } = TimeSpan.FromMilliseconds(500);
}
