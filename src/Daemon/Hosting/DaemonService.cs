using System.Runtime.InteropServices;
using System.Threading.Channels;
using BgpStack.Bgp.Speaker;
using BgpStack.Control;
using BgpStack.Daemon.Config;
using BgpStack.Daemon.Kernel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// The daemon's composition: creates the speaker from the configuration, originates the static
/// routes, serves the control socket, and reloads on SIGHUP and when the configuration file
/// changes. Stopping closes the control socket and stops the speaker (Cease to every peer).
/// </summary>
internal sealed partial class DaemonService : IHostedService, IAsyncDisposable
{
    private readonly DaemonContext context;
    private readonly DaemonRuntime runtime;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly IHostApplicationLifetime lifetime;
    private readonly CancellationTokenSource stopping = new();
    private readonly DaemonMetrics metrics = new();
    private ISpeaker? speaker;
    private ReloadCoordinator? reloads;
    private ControlServer? control;
    private readonly Lock hangupGate = new();
    private PosixSignalRegistration? hangup;
    private bool hangupPending;
    private ConfigFileWatcher? watcher;
    private KernelRoutes? kernel;
    private RestartMarker? marker;
    private int forRestart;
    private Task? peerLog;
    private int stopped;

    /// <summary>Creates the service.</summary>
    /// <param name="context">What the daemon was started with.</param>
    /// <param name="runtime">The process's streams and speaker factory.</param>
    /// <param name="loggerFactory">The host's logger factory, handed to the speaker.</param>
    /// <param name="lifetime">The host's lifetime, stopped by a graceful restart request.</param>
    public DaemonService(DaemonContext context, DaemonRuntime runtime, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        this.lifetime = lifetime;
        this.context = context;
        this.runtime = runtime;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger("bgpstackd");
    }

    /// <summary>The reload coordinator, once started (tests read the running configuration from it).</summary>
    internal ReloadCoordinator? Reloads => reloads;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered first: SIGHUP's default action ends the process, and a supervisor may send it
        // as soon as the process exists. One that arrives before reloads can run is kept for then.
        var wasIgnored = SignalDisposition.ResetHangup();
        hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            lock (hangupGate)
            {
                if (reloads is { } coordinator)
                {
                    coordinator.RequestReload("SIGHUP");
                }
                else
                {
                    hangupPending = true;
                }
            }
        });

        if (wasIgnored)
        {
            Log.HangupWasIgnored(logger);
        }

        var config = Prepare(context.InitialConfig);
        try
        {
            marker = new RestartMarker(config.StateDirectory, TimeProvider.System, logger);
            config = config with { Speaker = marker.Start(config.Speaker) };
            speaker = runtime.CreateSpeaker(config.Speaker);

            // Subscribe before starting so no state change goes unlogged.
            peerLog = LogPeerStatesAsync(speaker.SubscribePeerStates(), stopping.Token);
            await speaker.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var route in config.StaticRoutes)
            {
                await speaker.OriginateAsync(route.Prefix, route.Attributes, cancellationToken).ConfigureAwait(false);
            }

            if (config.Kernel is { Enabled: true } kernelConfig)
            {
                kernel = await KernelRoutes.StartAsync(kernelConfig, runtime.KernelNamespace, speaker, logger, cancellationToken).ConfigureAwait(false);
            }

            var coordinator = new ReloadCoordinator(context.ConfigPath, config, speaker, Prepare, logger, metrics) { Applied = OnReloadedAsync };
            coordinator.Start();
            lock (hangupGate)
            {
                reloads = coordinator;
                if (hangupPending)
                {
                    coordinator.RequestReload("SIGHUP");
                }
            }

            control = new ControlServer(config.ControlSocket, new SpeakerControlHandler(speaker, coordinator, context, () => Volatile.Read(ref kernel), StopForRestart), logger, metrics.Request);
            control.Start();

            if (context.ConfigPath is not null)
            {
                watcher = new ConfigFileWatcher(context.ConfigPath, runtime.FileChangeDebounce, () => coordinator.RequestReload("file changed"), TimeProvider.System, logger);
            }
        }
        catch
        {
            await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        Log.Started(
            logger,
            DaemonApp.Version,
            config.Speaker.RouterId,
            config.Speaker.LocalAs,
            config.Speaker.Peers.Length,
            config.StaticRoutes.Length,
            context.ConfigPath ?? "the embedded default configuration",
            config.ControlSocket);
    }

    /// <summary>Stops the daemon for a graceful restart: sessions close without a NOTIFICATION and the next start is a restart.</summary>
    public void StopForRestart()
    {
        Volatile.Write(ref forRestart, 1);

        // Called from a control request: let its answer reach the client before the socket closes.
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
            lifetime.StopApplication();
        });
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref forRestart) == 1)
        {
            Log.StoppingForRestart(logger);
        }
        else
        {
            Log.Stopping(logger);
        }

        await StopCoreAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(logger);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
        stopping.Dispose();
        metrics.Dispose();
    }

    private DaemonConfig Prepare(DaemonConfig config) => config with { Speaker = config.Speaker with { LoggerFactory = loggerFactory } };

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        hangup?.Dispose();
        watcher?.Dispose();
        if (control is not null)
        {
            await control.DisposeAsync().ConfigureAwait(false);
        }

        if (reloads is not null)
        {
            await reloads.DisposeAsync().ConfigureAwait(false);
        }

        // Before the speaker stops: its withdrawals must not empty the kernel table (graceful restart).
        if (Interlocked.Exchange(ref kernel, null) is { } writing)
        {
            await writing.DisposeAsync().ConfigureAwait(false);
        }

        var restart = Volatile.Read(ref forRestart) == 1;
        if (speaker is not null)
        {
            try
            {
                if (restart)
                {
                    await speaker.StopForRestartAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await speaker.StopAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                await stopping.CancelAsync().ConfigureAwait(false);
                if (peerLog is not null)
                {
                    await peerLog.ConfigureAwait(false);
                }

                await speaker.DisposeAsync().ConfigureAwait(false);
            }
        }

        marker?.Stop(restart);
    }

    // On the reload loop, the only place besides start and stop that touches the kernel writer.
    private async Task OnReloadedAsync(DaemonConfig old, DaemonConfig next, ConfigDiff diff, CancellationToken cancellationToken)
    {
        if (!diff.KernelChanged)
        {
            return;
        }

        if (Interlocked.Exchange(ref kernel, null) is { } previous)
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        if (next.Kernel is { Enabled: true } kernelConfig)
        {
            Volatile.Write(ref kernel, await KernelRoutes.StartAsync(kernelConfig, runtime.KernelNamespace, speaker!, logger, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            Log.KernelDisabled(logger);
        }
    }

    private async Task LogPeerStatesAsync(ChannelReader<PeerStatus> states, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var peer in states.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.PeerState(logger, peer.Address, peer.RemoteAs, peer.State, peer.Info);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "bgpstackd {Version} started: router ID {RouterId}, AS {LocalAs}, {Peers} peers, {StaticRoutes} static routes, from {ConfigSource}; control socket {ControlSocket}")]
        public static partial void Started(ILogger logger, string version, RouterId routerId, uint localAs, int peers, int staticRoutes, string configSource, string controlSocket);

        // Debug: the session logs its own transitions at Information; this is the speaker's feed as the daemon sees it.
        [LoggerMessage(Level = LogLevel.Debug, Message = "Peer {Peer} AS {RemoteAs}: {State} ({Info})")]
        public static partial void PeerState(ILogger logger, System.Net.IPAddress peer, uint remoteAs, Bgp.Fsm.SessionState state, string info);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: closing the control socket and sending Cease to every peer")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopping for a graceful restart: closing every session without a NOTIFICATION so peers keep our routes")]
        public static partial void StoppingForRestart(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Kernel routes disabled by the new configuration; the routes already installed stay")]
        public static partial void KernelDisabled(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP was ignored when bgpstackd started (nohup?); it now reloads the configuration")]
        public static partial void HangupWasIgnored(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
