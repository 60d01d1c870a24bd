using BgpStack.Daemon.Config;

namespace BgpStack.Daemon.Hosting;

/// <summary>What the daemon was started with.</summary>
/// <param name="ConfigPath">The configuration file; null on the embedded default.</param>
/// <param name="InitialConfig">The configuration read at start.</param>
/// <param name="Started">When the daemon started.</param>
internal sealed record DaemonContext(string? ConfigPath, DaemonConfig InitialConfig, DateTimeOffset Started);
