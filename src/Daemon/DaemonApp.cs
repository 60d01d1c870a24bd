using System.Reflection;

namespace BgpStack.Daemon;

/// <summary>
/// The daemon's entry point. The BGP speaker, RIB and FIB writer arrive with the issues that build
/// them; until then bgpstackd reports its version and what it contains, and exits cleanly.
/// </summary>
internal static class DaemonApp
{
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

    /// <summary>Runs the daemon with <paramref name="args"/>, writing to the given streams.</summary>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--version":
                    stdout.WriteLine($"bgpstackd {Version}");
                    return 0;
                case "-h" or "--help":
                    stdout.WriteLine("usage: bgpstackd [--version] [--help]");
                    stdout.WriteLine("Runs the BgpStack routing daemon on its embedded default.");
                    return 0;
                default:
                    stderr.WriteLine($"bgpstackd: unknown argument '{arg}' (try --help)");
                    return 2;
            }
        }

        stdout.WriteLine($"bgpstackd {Version}");
        stdout.WriteLine($"BGP-4 wire codec: {typeof(Bgp.Wire.BgpMessage).Assembly.GetName().Name} {typeof(Bgp.Wire.BgpMessage).Assembly.GetName().Version}");
        stdout.WriteLine("No BGP speaker in this build yet: nothing to run, exiting.");
        return 0;
    }
}
