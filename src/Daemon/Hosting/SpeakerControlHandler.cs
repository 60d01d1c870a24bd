using BgpStack.Control;
using BgpStack.Daemon.Kernel;

namespace BgpStack.Daemon.Hosting;

/// <summary>Answers control requests from the speaker (status, routes) and the reload coordinator (reload).</summary>
/// <param name="speaker">The speaker.</param>
/// <param name="reloads">The owner of the running configuration.</param>
/// <param name="context">What the daemon was started with.</param>
/// <param name="kernel">The kernel route writer in force, or null when kernel routes are off.</param>
/// <param name="stopForRestart">Asks the host to stop for a graceful restart.</param>
internal sealed class SpeakerControlHandler(ISpeaker speaker, ReloadCoordinator reloads, DaemonContext context, Func<KernelRoutes?> kernel, Action stopForRestart) : IControlHandler
{
    /// <inheritdoc/>
    public async Task<StatusResult> GetStatusAsync(CancellationToken cancellationToken)
    {
        var peers = await speaker.GetPeersAsync(cancellationToken).ConfigureAwait(false);
        var running = reloads.Running.Speaker;
        return new StatusResult
        {
            Version = DaemonApp.Version,
            RouterId = running.RouterId.ToString(),
            LocalAs = running.LocalAs,
            Started = context.Started.ToUniversalTime(),
            ConfigFile = context.ConfigPath is null ? null : Path.GetFullPath(context.ConfigPath),
            Peers = [.. peers.Select(ControlMapper.ToDto)],
        };
    }

    /// <inheritdoc/>
    public async Task<RoutesResult> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken)
    {
        var routes = await speaker.GetRoutesAsync(prefix, cancellationToken).ConfigureAwait(false);
        return new RoutesResult { Routes = [.. routes.Select(ControlMapper.ToDto)] };
    }

    /// <inheritdoc/>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken) => reloads.ReloadAsync("control socket", cancellationToken);

    /// <inheritdoc/>
    public Task<StopResult> GracefulRestartAsync(CancellationToken cancellationToken)
    {
        var running = reloads.Running.Speaker;
        var restartTime = running.Peers.Select(p => p.GracefulRestart?.RestartTime ?? TimeSpan.Zero)
            .Concat(running.DynamicNeighbors.Select(d => d.Template.GracefulRestart?.RestartTime ?? TimeSpan.Zero))
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();

        // The stop runs after this answer is written: the control socket closes as part of it.
        stopForRestart();
        return Task.FromResult(new StopResult { ForRestart = true, RestartTime = (int)restartTime.TotalSeconds });
    }

    /// <inheritdoc/>
    public Task<FibResult> GetFibAsync(CancellationToken cancellationToken) =>
        kernel() is { } writing
            ? writing.CompareAsync(cancellationToken)
            : throw new ControlCommandException("kernel routes are off (the configuration has no kernel section, or kernel.enabled is false)");
}
