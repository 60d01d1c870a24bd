using System.Reflection;
using BgpStack.Daemon.Config;
using BgpStack.Daemon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace BgpStack.Daemon;

/// <summary>
/// The daemon's entry point: <c>bgpstackd [--config FILE]</c>. Reads the configuration (the
/// embedded default without <c>--config</c>), then runs the speaker, the control socket and the
/// reload machinery under Microsoft.Extensions.Hosting until SIGINT or SIGTERM.
/// </summary>
internal static class DaemonApp
{
    /// <summary>A clean stop.</summary>
    public const int ExitOk = 0;

    /// <summary>The configuration has errors, or the daemon could not start (the message says why).</summary>
    public const int ExitConfig = 1;

    /// <summary>Bad command line.</summary>
    public const int ExitUsage = 2;

    private const string Usage = """
        usage: bgpstackd [--config FILE] [--log-level LEVEL] [--version] [--help]

        Runs the BgpStack routing daemon: the BGP speaker, the control socket that bgpstackctl
        talks to, and the routes the configuration originates.

          -c, --config FILE   the YAML configuration; without it, the embedded default
                              (router ID 198.18.0.1, AS 64512, no peers)
          --log-level LEVEL   trace, debug, information (the default), warning, error
          --version           print the version and exit
          -h, --help          print this help and exit

        SIGHUP, or a change of FILE, reloads the configuration: sessions whose settings did not
        change stay up; a file with errors is reported and the running configuration kept.
        SIGINT or SIGTERM stop the daemon, sending Cease to every peer; `bgpstackctl
        graceful-restart` stops it without a NOTIFICATION, so peers keep its routes until it is back.
        Exit codes: 0 clean stop, 1 configuration error or failure to start, 2 bad usage.
        """;

    /// <summary>The version of this build (informational version without source revision).</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(DaemonApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }

    /// <summary>Runs the daemon until it is stopped by a signal or <paramref name="cancellationToken"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="runtime">The process's streams and speaker factory.</param>
    /// <param name="cancellationToken">Stops the daemon (as SIGTERM would).</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(string[] args, DaemonRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(runtime);
        string? configPath = null;
        var level = runtime.MinimumLevel;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--version":
                    runtime.Out.WriteLine($"bgpstackd {Version}");
                    return ExitOk;
                case "-h" or "--help":
                    runtime.Out.WriteLine(Usage);
                    return ExitOk;
                case "-c" or "--config":
                    if (i + 1 >= args.Length || args[i + 1].Length == 0)
                    {
                        runtime.Error.WriteLine($"bgpstackd: {arg} needs a file (try --help)");
                        return ExitUsage;
                    }

                    if (configPath is not null)
                    {
                        runtime.Error.WriteLine("bgpstackd: --config given twice (try --help)");
                        return ExitUsage;
                    }

                    configPath = args[++i];
                    break;
                case "--log-level":
                    if (i + 1 >= args.Length || !TryParseLevel(args[i + 1], out level))
                    {
                        runtime.Error.WriteLine("bgpstackd: --log-level needs one of trace, debug, information, warning, error (try --help)");
                        return ExitUsage;
                    }

                    i++;
                    break;
                default:
                    if (arg.StartsWith("--config=", StringComparison.Ordinal) && arg.Length > "--config=".Length && configPath is null)
                    {
                        configPath = arg["--config=".Length..];
                        break;
                    }

                    runtime.Error.WriteLine($"bgpstackd: unknown argument '{arg}' (try --help)");
                    return ExitUsage;
            }
        }

        DaemonConfig config;
        try
        {
            config = configPath is null ? DaemonConfig.Default : DaemonConfigFile.Load(configPath);
        }
        catch (ConfigException ex)
        {
            runtime.Error.WriteLine($"bgpstackd: the configuration has errors:{Environment.NewLine}{ex.Message}");
            return ExitConfig;
        }

        using var host = BuildHost(new DaemonContext(configPath, config, DateTimeOffset.UtcNow), runtime with { MinimumLevel = level });
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitOk;
        }
#pragma warning disable CA1031 // any failure to start is one line on stderr and exit 1, never a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            runtime.Error.WriteLine($"bgpstackd: cannot start: {ex.Message}");
            return ExitConfig;
        }

        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitOk;
    }

    private static bool TryParseLevel(string text, out LogLevel level)
    {
        level = text.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" or "INFORMATION" => LogLevel.Information,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            _ => LogLevel.None,
        };
        return level != LogLevel.None;
    }

    /// <summary>Builds the host: one-line console logs on stderr, the daemon service, SIGINT/SIGTERM handling.</summary>
    /// <param name="context">What the daemon starts with.</param>
    /// <param name="runtime">The process's streams and speaker factory.</param>
    internal static IHost BuildHost(DaemonContext context, DaemonRuntime runtime)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "bgpstackd" });
        builder.Logging.SetMinimumLevel(runtime.MinimumLevel);
        if (runtime.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });

            // Everything to stderr: stdout is for output a user asked for, and a daemon has none.
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        if (runtime.ExtraLogger is { } extra)
        {
            builder.Logging.AddProvider(extra);
        }

        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton(context);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<DaemonService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DaemonService>());
        return builder.Build();
    }
}
