using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;
using BgpStack.Netlink;
using BgpStack.Netlink.Namespaces;
using BgpStack.Netlink.Routes;

namespace BgpStack.Benchmarks.Macro;

/// <summary>
/// Counts the IPv4 prefixes in a network namespace's main kernel table from
/// <c>/proc/thread-self/net/fib_triestat</c>, read by a thread that enters the namespace. The
/// kernel walks its FIB trie under RCU to print a few lines of statistics, so a poll costs about
/// 70 ms of kernel time at a million routes (measured on the 2-core benchmark machine, loaded) and
/// takes no lock the route writers need; <c>ip -4 route show table main proto 177 | wc -l</c>
/// took 6 s at the same size. Its cost grows with the table, so at a 200 ms poll it takes up to a
/// third of one core near the end of a run (<c>BGPSTACK_BENCH_POLL_MS=1000</c> makes it small).
/// The same counter serves every device, so the burden is the same for all.
/// </summary>
/// <remarks>
/// The trie counts prefixes, not routes: a prefix with several routes (other metrics, ECMP)
/// counts once, and while no custom policy rules exist the kernel merges the local table into
/// main. The benchmark therefore subtracts the count taken before the device starts (connected
/// and local prefixes) and announces distinct /24s only.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class KernelRouteCounter
{
    /// <summary>The IPv4 main table's prefix count in the namespace (local prefixes included while the tables are merged).</summary>
    /// <param name="namespaceName">The namespace (<c>/run/netns/NAME</c>).</param>
    public static long MainPrefixes(string namespaceName)
    {
        var text = NetworkNamespace.Run(namespaceName, () => File.ReadAllText("/proc/thread-self/net/fib_triestat"));
        return Parse(text);
    }

    /// <summary>The rtnetlink protocol BIRD's kernel protocol marks its routes with (RTPROT_BIRD).</summary>
    public const byte BirdProtocol = 12;

    /// <summary>The rtnetlink protocol bgpstackd's FIB writer marks its routes with.</summary>
    public const byte BgpstackdProtocol = 177;

    /// <summary>
    /// Dumps table main once (after the clock stopped) and checks that exactly
    /// <paramref name="expected"/> IPv4 routes carry the device's protocol; throws otherwise.
    /// </summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="protocol">The device's rtnetlink protocol.</param>
    /// <param name="expected">How many routes it must have installed.</param>
    public static void Verify(string namespaceName, byte protocol, long expected)
    {
        using var client = NetlinkClient.OpenInNamespace(namespaceName);
        var count = client.GetRoutes(new RouteFilter { Family = AddressFamily.InterNetwork, Table = 254, Protocol = protocol }).Count;
        if (count != expected)
        {
            throw new InvalidOperationException($"table main in {namespaceName} holds {count:N0} IPv4 routes of protocol {protocol}, not {expected:N0}");
        }
    }

    /// <summary>Reads the <c>Prefixes:</c> line of the <c>Main:</c> section of fib_triestat.</summary>
    /// <param name="text">The file's text.</param>
    public static long Parse(string text)
    {
        var inMain = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':') && !line.Contains(' ', StringComparison.Ordinal))
            {
                inMain = line == "Main:";
                continue;
            }

            if (inMain && line.StartsWith("Prefixes:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("Prefixes:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new FormatException($"fib_triestat has no Main: Prefixes line: {text}");
    }
}
