using System.Diagnostics;
using System.Net;
using System.Text;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// A BGP daemon driven by the harness: it renders a <see cref="RouterSpec"/> into the daemon's
/// config, runs the daemon as a plain process in its node's namespace, and reads state back through
/// the daemon's own CLI. Disposed with its topology.
/// </summary>
public abstract class Router : IDisposable
{
    /// <summary>Makes a driver; call <see cref="Start"/> to run it.</summary>
    /// <param name="node">Where it runs.</param>
    /// <param name="name">A label unique in the topology (file names).</param>
    /// <param name="spec">What to configure.</param>
    protected Router(Node node, string name, RouterSpec spec)
    {
        Node = node;
        Name = name;
        Spec = spec;
        Directory = node.Topology.PathFor(name);
        System.IO.Directory.CreateDirectory(Directory);
        node.Topology.Own(this);
    }

    /// <summary>The node it runs in.</summary>
    public Node Node { get; }

    /// <summary>Its label.</summary>
    public string Name { get; }

    /// <summary>Its description.</summary>
    public RouterSpec Spec { get; protected set; }

    /// <summary>Its working directory (config, sockets, state).</summary>
    public string Directory { get; }

    /// <summary>The running daemon, once started.</summary>
    public NamespaceProcess? Process { get; protected set; }

    /// <summary>The time from the latest start to now.</summary>
    public TimeSpan SinceStart => Process is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Process.Started);

    /// <summary>The config file path.</summary>
    public abstract string ConfigPath { get; }

    /// <summary>Writes the config (from <see cref="Spec"/>) and starts the daemon; returns once its CLI answers.</summary>
    public void Start()
    {
        WriteConfig();
        Launch();
        Wait.Until($"{Name}'s CLI to answer", TimeSpan.FromSeconds(30), () => !ProcessExited() && Ready(), Describe);
        AfterStart();
    }

    /// <summary>Renders the config file.</summary>
    protected abstract void WriteConfig();

    /// <summary>Starts the process (sets <see cref="Process"/>).</summary>
    protected abstract void Launch();

    /// <summary>True once the daemon answers its CLI.</summary>
    protected abstract bool Ready();

    /// <summary>Work after the CLI answers (e.g. GoBGP's routes are added through its CLI).</summary>
    protected virtual void AfterStart()
    {
    }

    /// <summary>Stops the daemon with SIGTERM (SIGKILL after 15 s).</summary>
    public void Stop() => Process?.Stop(TimeSpan.FromSeconds(15));

    /// <summary>Kills the daemon at once, as a crash would.</summary>
    public void Kill() => Process?.Kill();

    /// <summary>The routes the daemon holds for a family (all paths, not only the best).</summary>
    /// <param name="family">The family.</param>
    public abstract IReadOnlyList<RouteEntry> Routes(Family family);

    /// <summary>How many prefixes the daemon holds for a family (cheap: for polling large tables).</summary>
    /// <param name="family">The family.</param>
    public abstract long RouteCount(Family family);

    /// <summary>The session state toward a neighbour as the daemon names it ("Established", "Active", ...), or null if unknown.</summary>
    /// <param name="neighbor">The neighbour's address.</param>
    public abstract string? SessionState(IPAddress neighbor);

    /// <summary>The daemon's raw view of its sessions, for failure messages.</summary>
    protected abstract string DescribeSessions();

    /// <summary>True when the session toward <paramref name="neighbor"/> is established.</summary>
    /// <param name="neighbor">The neighbour's address.</param>
    public bool IsEstablished(IPAddress neighbor) => string.Equals(SessionState(neighbor), "Established", StringComparison.OrdinalIgnoreCase);

    /// <summary>Waits until the session toward <paramref name="neighbor"/> is established.</summary>
    /// <param name="neighbor">The neighbour's address.</param>
    /// <param name="timeout">The limit; 60 s by default.</param>
    public TimeSpan WaitEstablished(IPAddress neighbor, TimeSpan? timeout = null) =>
        Wait.Until($"{Name}'s session to {neighbor} to be Established", timeout ?? TimeSpan.FromSeconds(60), () => IsEstablished(neighbor), Node.Topology.Describe);

    /// <summary>Waits until the session toward <paramref name="neighbor"/> is anything but established.</summary>
    /// <param name="neighbor">The neighbour's address.</param>
    /// <param name="timeout">The limit; 60 s by default.</param>
    public TimeSpan WaitDown(IPAddress neighbor, TimeSpan? timeout = null) =>
        Wait.Until($"{Name}'s session to {neighbor} to leave Established", timeout ?? TimeSpan.FromSeconds(60), () => !IsEstablished(neighbor), Node.Topology.Describe);

    /// <summary>Waits for a route matching <paramref name="match"/> (any path of <paramref name="prefix"/>), and returns it.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="match">Extra conditions; null accepts any path.</param>
    /// <param name="timeout">The limit; 60 s by default.</param>
    public RouteEntry WaitRoute(string prefix, Func<RouteEntry, bool>? match = null, TimeSpan? timeout = null)
    {
        RouteEntry? found = null;
        var family = prefix.Contains(':', StringComparison.Ordinal) ? Family.Ipv6 : Family.Ipv4;
        Wait.Until(
            $"{Name} to hold {prefix}",
            timeout ?? TimeSpan.FromSeconds(60),
            () =>
            {
                found = Routes(family).FirstOrDefault(r => SamePrefix(r.Prefix, prefix) && (match is null || match(r)));
                return found is not null;
            },
            () => DescribeRoutes(family) + Node.Topology.Describe());
        return found!;
    }

    /// <summary>Waits until no path of <paramref name="prefix"/> is held.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="timeout">The limit; 60 s by default.</param>
    public void WaitNoRoute(string prefix, TimeSpan? timeout = null)
    {
        var family = prefix.Contains(':', StringComparison.Ordinal) ? Family.Ipv6 : Family.Ipv4;
        Wait.Until($"{Name} to drop {prefix}", timeout ?? TimeSpan.FromSeconds(60), () => !HasRoute(prefix), () => DescribeRoutes(family) + Node.Topology.Describe());
    }

    /// <summary>True when some path of <paramref name="prefix"/> is held.</summary>
    /// <param name="prefix">The prefix.</param>
    public bool HasRoute(string prefix)
    {
        var family = prefix.Contains(':', StringComparison.Ordinal) ? Family.Ipv6 : Family.Ipv4;
        return Routes(family).Any(r => SamePrefix(r.Prefix, prefix));
    }

    /// <summary>The routes of a family, one per line, for messages.</summary>
    /// <param name="family">The family.</param>
    public string DescribeRoutes(Family family)
    {
        try
        {
            var routes = Routes(family);
            return $"--- {Name} {family} routes ({routes.Count}):\n" + string.Join('\n', routes.Take(50)) + "\n";
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FormatException or System.Text.Json.JsonException)
        {
            return $"--- {Name} {family} routes unreadable: {e.Message}\n";
        }
    }

    /// <summary>Config, sessions and process output, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append($"--- {Name} config ({ConfigPath}):\n");
        text.Append(File.Exists(ConfigPath) ? NamespaceProcess.Tail(ConfigPath, 3000) : "(not written)");
        text.Append('\n');
        if (Process is not null)
        {
            text.Append(Process.Describe());
            if (!Process.HasExited)
            {
                try
                {
                    text.Append($"--- {Name} sessions:\n{DescribeSessions()}\n");
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or FormatException or System.Text.Json.JsonException)
                {
                    text.Append($"--- {Name} sessions unreadable: {e.Message}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Fails with the daemon's output when it has exited.</summary>
    protected bool ProcessExited() =>
        Process is { HasExited: true } ? throw new DaemonExitedException($"{Name} exited.\n{Describe()}") : false;

    /// <summary>Compares prefixes written differently (<c>2001:db8:0::/48</c> vs <c>2001:db8::/48</c>).</summary>
    /// <param name="a">One prefix.</param>
    /// <param name="b">The other.</param>
    public static bool SamePrefix(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var pa = a.Split('/');
        var pb = b.Split('/');
        return pa.Length == 2 && pb.Length == 2 && pa[1] == pb[1]
            && IPAddress.TryParse(pa[0], out var x) && IPAddress.TryParse(pb[0], out var y) && x.Equals(y);
    }

    /// <summary>Requires a program on PATH (or at an absolute path) and returns its full path; fails loudly otherwise.</summary>
    /// <param name="program">The program name or path.</param>
    /// <param name="package">The Debian package providing it.</param>
    public static string Require(string program, string package)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : throw Missing(program, package);
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/lib/frr"]))
        {
            var candidate = Path.Combine(dir, program);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw Missing(program, package);
    }

    private static InvalidOperationException Missing(string program, string package) =>
        new($"Integration tests need '{program}' from the Debian package '{package}', which is not installed. test.sh installs it; by hand: apt-get install --no-install-recommends {package}");

    /// <summary>Kills the daemon.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Process?.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>A daemon under test exited while a test waited on it; ends the wait at once (bounded waits do not retry it).</summary>
public sealed class DaemonExitedException : Exception
{
    /// <summary>Makes the exception.</summary>
    public DaemonExitedException()
    {
    }

    /// <summary>Makes the exception.</summary>
    /// <param name="message">The daemon's name and output.</param>
    public DaemonExitedException(string message)
        : base(message)
    {
    }

    /// <summary>Makes the exception.</summary>
    /// <param name="message">The daemon's name and output.</param>
    /// <param name="innerException">The cause.</param>
    public DaemonExitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
