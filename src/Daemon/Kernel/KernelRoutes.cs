using BgpStack.Control;
using BgpStack.Daemon.Config;
using BgpStack.Daemon.Hosting;
using BgpStack.Netlink.Fib;
using BgpStack.Rib.Feed;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Kernel;

/// <summary>
/// Mirrors the speaker's selected routes into a kernel table: a <see cref="FibWriter"/> fed by a
/// RIB subscription that replays the current table. One instance per kernel configuration; a
/// reload that changes the kernel settings replaces it (the new writer takes over our routes).
/// </summary>
internal sealed partial class KernelRoutes : IAsyncDisposable
{
    private readonly ISpeaker speaker;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly FibWriter writer;
    private ChangeSubscription? subscription;
    private Task? run;

    private KernelRoutes(FibWriterOptions options, ISpeaker speaker, ILogger logger)
    {
        Options = options;
        this.speaker = speaker;
        this.logger = logger;
        writer = new FibWriter(options, RouteRefused);
    }

    /// <summary>The writer's options.</summary>
    public FibWriterOptions Options { get; }

    /// <summary>Starts writing <paramref name="config"/>'s table.</summary>
    /// <param name="config">The kernel settings (enabled).</param>
    /// <param name="namespaceName">The network namespace whose table is written; null for the daemon's own.</param>
    /// <param name="speaker">The speaker whose RIB is mirrored.</param>
    /// <param name="logger">Where refused routes are logged.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<KernelRoutes> StartAsync(KernelConfig config, string? namespaceName, ISpeaker speaker, ILogger logger, CancellationToken cancellationToken)
    {
        var routes = new KernelRoutes(WriterOptions(config, namespaceName), speaker, logger);
        try
        {
            routes.subscription = await speaker.SubscribeRibAsync(new ChangeSubscriptionOptions { Name = "fib" }, cancellationToken).ConfigureAwait(false);
            // The first reconcile runs once the RIB's replay has been read, so routes kept over a
            // restart are not deleted before the RIB has described them again.
            routes.run = routes.writer.RunAsync(routes.subscription, routes.stopping.Token);
        }
        catch
        {
            await routes.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Log.Started(logger, config.Table, config.Metric, config.MaxPaths, config.Install);
        return routes;
    }

    /// <summary>The writer's options for <paramref name="config"/>.</summary>
    /// <param name="config">The kernel settings.</param>
    /// <param name="namespaceName">The network namespace, or null.</param>
    public static FibWriterOptions WriterOptions(KernelConfig config, string? namespaceName)
    {
        var sources = new HashSet<RouteSourceKind>();
        if (config.Install.HasFlag(KernelRouteKinds.Bgp))
        {
            sources.Add(RouteSourceKind.Bgp);
        }

        if (config.Install.HasFlag(KernelRouteKinds.Static))
        {
            // Originated routes: configured static ones and locally originated blocks.
            sources.Add(RouteSourceKind.Static);
            sources.Add(RouteSourceKind.Local);
        }

        return new FibWriterOptions
        {
            NamespaceName = namespaceName,
            Table = config.Table,
            Metric = config.Metric,
            MaximumPaths = Math.Max(1, config.MaxPaths),
            InstalledSources = [.. sources],
            FlushOnShutdown = config.FlushOnShutdown,
        };
    }

    /// <summary>Our routes in the kernel and how they differ from the RIB's selected routes.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<FibResult> CompareAsync(CancellationToken cancellationToken)
    {
        if (run is { IsCompleted: true })
        {
            // The writer stopped (its netlink socket failed): say why rather than show a stale map.
            await run.ConfigureAwait(false);
            throw new ControlCommandException("the FIB writer has stopped");
        }

        var installed = await writer.GetInstalledAsync(cancellationToken).ConfigureAwait(false);
        var rib = await speaker.GetRoutesAsync(null, cancellationToken).ConfigureAwait(false);
        return FibComparison.Compare(rib, installed, Options, writer.PendingCount, writer.FailedCount);
    }

    /// <summary>Stops the writer (our routes stay unless flush-on-shutdown) and the subscription.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            if (run is not null)
            {
                await run.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked for.
        }
#pragma warning disable CA1031 // the writer's failure was the reason to stop; shutdown goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WriterFailed(logger, ex);
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        subscription?.Dispose();
        stopping.Dispose();
    }

    private void RouteRefused(FibRouteError error) => Log.RouteRefused(logger, error);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Kernel routes: writing table {Table}, metric {Metric}, up to {MaxPaths} next hops, installing {Install}")]
        public static partial void Started(ILogger logger, uint table, uint metric, int maxPaths, KernelRouteKinds install);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Kernel refused a route: {Error}")]
        public static partial void RouteRefused(ILogger logger, FibRouteError error);

        [LoggerMessage(Level = LogLevel.Error, Message = "The FIB writer failed")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
