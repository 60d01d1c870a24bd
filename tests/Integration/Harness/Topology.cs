using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>One network namespace of a <see cref="Topology"/> ("a node").</summary>
public sealed class Node
{
    private int interfaces;

    internal Node(Topology topology, string label, string ns)
    {
        Topology = topology;
        Label = label;
        Namespace = ns;
    }

    /// <summary>The topology it belongs to.</summary>
    public Topology Topology { get; }

    /// <summary>The short label given by the test.</summary>
    public string Label { get; }

    /// <summary>The namespace name (<c>bgpstack-t-...</c>).</summary>
    public string Namespace { get; }

    /// <summary>Runs <c>ip -n NS args</c>; throws on failure.</summary>
    /// <param name="args">The arguments.</param>
    public string Ip(params string[] args) => Cmd.Run("ip", ["-n", Namespace, .. args]);

    /// <summary>Runs a short command inside the namespace and returns its result.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    public CmdResult Exec(string file, params string[] args) => Cmd.Try("ip", ["netns", "exec", Namespace, file, .. args]);

    internal string NextInterfaceName() => "eth" + Interlocked.Increment(ref interfaces).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A point-to-point veth link between two nodes: 198.18.k.1/30 and .2/30 (198.19 past 256 links),
/// 2001:db8:k::1/64 and ::2/64.
/// </summary>
/// <param name="A">The first node.</param>
/// <param name="B">The second node.</param>
/// <param name="InterfaceA">The interface name on A.</param>
/// <param name="InterfaceB">The interface name on B.</param>
/// <param name="A4">A's IPv4 address.</param>
/// <param name="B4">B's IPv4 address.</param>
/// <param name="A6">A's IPv6 address.</param>
/// <param name="B6">B's IPv6 address.</param>
public sealed record Link(Node A, Node B, string InterfaceA, string InterfaceB, IPAddress A4, IPAddress B4, IPAddress A6, IPAddress B6);

/// <summary>
/// Network namespaces joined by veth links, made for one test and deleted on dispose together with
/// every process started in them. Namespaces are named <c>bgpstack-t-RANDOM-LABEL</c>; nothing is
/// done in the root namespace. Without root or iproute2 it fails loudly rather than skipping.
/// </summary>
public sealed class Topology : IDisposable
{
    private readonly List<Node> nodes = [];
    private readonly List<NamespaceProcess> processes = [];
    private readonly List<IDisposable> owned = [];
    private readonly string id;
    private int links;
    private bool disposed;

    private Topology(string id, string logDirectory)
    {
        this.id = id;
        LogDirectory = logDirectory;
    }

    /// <summary>The temporary directory holding configs, sockets and the processes' output.</summary>
    public string LogDirectory { get; }

    /// <summary>The nodes made so far.</summary>
    public IReadOnlyList<Node> Nodes => nodes;

    /// <summary>Makes an empty topology; fails loudly without root.</summary>
    /// <param name="keepLogs">Leave <see cref="LogDirectory"/> behind on dispose (benchmarks, debugging).</param>
    public static Topology Create(bool keepLogs = false)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("Integration tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create network namespaces and run the peers; run them as root (test.sh does).");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var directory = Path.Combine(Path.GetTempPath(), $"bgpstack-t-{id}");
        Directory.CreateDirectory(directory);
        return new Topology(id, directory) { KeepLogs = keepLogs };
    }

    /// <summary>True to leave the log directory behind on dispose.</summary>
    public bool KeepLogs { get; set; }

    /// <summary>Makes a node: a namespace with loopback up and IPv6 duplicate address detection off (addresses usable at once).</summary>
    /// <param name="label">A short label (letters, digits, dashes).</param>
    public Node AddNode(string label)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var name = $"bgpstack-t-{id}-{label}";
        Cmd.Run("ip", "netns", "add", name);
        var node = new Node(this, label, name);
        nodes.Add(node);
        node.Ip("link", "set", "lo", "up");
        var sysctl = node.Exec("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        if (sysctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"sysctl in {name} failed: {sysctl.StdErr}");
        }

        return node;
    }

    /// <summary>Joins two nodes with a veth pair and addresses it (IPv4 /30 and IPv6 /64 on each end).</summary>
    /// <param name="a">One end.</param>
    /// <param name="b">The other end.</param>
    public Link Connect(Node a, Node b)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var k = links++;
        if (k >= 512)
        {
            throw new InvalidOperationException("A topology holds at most 512 links.");
        }

        var v4 = $"198.{18 + (k >> 8)}.{k & 0xFF}.";
        var v6 = $"2001:db8:{k:x}::";
        var ia = a.NextInterfaceName();
        var ib = b.NextInterfaceName();
        a.Ip("link", "add", ia, "type", "veth", "peer", "name", ib, "netns", b.Namespace);
        a.Ip("addr", "add", v4 + "1/30", "dev", ia);
        b.Ip("addr", "add", v4 + "2/30", "dev", ib);
        a.Ip("addr", "add", v6 + "1/64", "dev", ia, "nodad");
        b.Ip("addr", "add", v6 + "2/64", "dev", ib, "nodad");
        a.Ip("link", "set", ia, "up");
        b.Ip("link", "set", ib, "up");
        return new Link(a, b, ia, ib, IPAddress.Parse(v4 + "1"), IPAddress.Parse(v4 + "2"), IPAddress.Parse(v6 + "1"), IPAddress.Parse(v6 + "2"));
    }

    /// <summary>Starts a long-running program inside a node; it is killed on dispose.</summary>
    /// <param name="node">Where to run it.</param>
    /// <param name="name">A label, also the log file stem (unique within the topology).</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    public NamespaceProcess Start(Node node, string name, IReadOnlyDictionary<string, string>? environment, string file, params string[] args)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var process = NamespaceProcess.Start(node.Namespace, LogDirectory, name, environment, file, args);
        lock (processes)
        {
            processes.Add(process);
        }

        return process;
    }

    /// <summary>Disposes <paramref name="item"/> with the topology (before the namespaces go).</summary>
    /// <typeparam name="T">The item's type.</typeparam>
    /// <param name="item">The item.</param>
    public T Own<T>(T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    /// <summary>A path inside <see cref="LogDirectory"/>.</summary>
    /// <param name="name">The file name.</param>
    public string PathFor(string name) => Path.Combine(LogDirectory, name);

    /// <summary>Every process's recent output, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        lock (processes)
        {
            foreach (var process in processes)
            {
                text.Append(process.Describe(3000));
            }
        }

        return text.ToString();
    }

    /// <summary>Kills every process started here (and any other left in the namespaces), deletes the namespaces and the log directory.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var item in Enumerable.Reverse(owned))
        {
            try
            {
                item.Dispose();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // Best effort: the processes and namespaces below still go.
            }
        }

        lock (processes)
        {
            foreach (var process in processes)
            {
                try
                {
                    process.Dispose();
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Best effort: the namespace sweep below kills whatever is left.
                }
            }
        }

        foreach (var node in nodes)
        {
            // Anything a peer forked (or a CLI left behind) in the namespace goes too.
            var pids = Cmd.Try("ip", "netns", "pids", node.Namespace);
            foreach (var pid in pids.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Cmd.Try("kill", "-KILL", pid);
            }

            Cmd.Try("ip", "netns", "del", node.Namespace);
        }

        if (!KeepLogs)
        {
            try
            {
                Directory.Delete(LogDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
