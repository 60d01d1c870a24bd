using System.Globalization;
using System.Net;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>
/// A raw BGP client for flap storms: a small Python script (python3 comes with exabgp) run inside a
/// peer namespace that, cycle after cycle, connects, exchanges OPEN and KEEPALIVE, announces
/// IPv4 /24s in one UPDATE, and closes the connection. Bounded by a cycle count and a deadline.
/// </summary>
internal static class RawBgpClient
{
    /// <summary>
    /// Python for the raw clients' scripts: <c>msg(type, body)</c> frames a BGP message and
    /// <c>read(socket, timeout=None)</c> reads one whole message as (type, body).
    /// </summary>
    public const string PythonWire = """
        import socket, struct
        def msg(t, body): return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), t) + body
        def read(s, timeout=None):
            if timeout is not None: s.settimeout(timeout)
            head = b''
            while len(head) < 19:
                chunk = s.recv(19 - len(head))
                if not chunk: raise ConnectionError('closed')
                head += chunk
            length, kind = struct.unpack('!HB', head[16:19])
            body = b''
            while len(body) < length - 19:
                chunk = s.recv(length - 19 - len(body))
                if not chunk: raise ConnectionError('closed')
                body += chunk
            return kind, body

        """;

    private const string Script = PythonWire + """
        import socket, struct, sys, time
        host, my_as, rid, count, cycles, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
        nexthop = sys.argv[7]
        hold_last = float(sys.argv[8]) if len(sys.argv) > 8 else 0.0
        caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack('!I', my_as)
        opt = bytes([2, len(caps)]) + caps
        open_msg = msg(1, struct.pack('!BHH', 4, my_as if my_as < 65536 else 23456, 90) + socket.inet_aton(rid) + bytes([len(opt)]) + opt)
        attrs = bytes([0x40, 1, 1, 0]) + bytes([0x40, 2, 6, 2, 1]) + struct.pack('!I', my_as) + bytes([0x40, 3, 4]) + socket.inet_aton(nexthop)
        nlri = b''.join(bytes([24, 10, 99 + (i >> 8), i & 0xff]) for i in range(count))
        update = msg(2, struct.pack('!H', 0) + struct.pack('!H', len(attrs)) + attrs + nlri)
        done, failures, end = 0, 0, time.time() + seconds
        while done < cycles and time.time() < end:
            try:
                s = socket.create_connection((host, 179), timeout=5)
                s.sendall(open_msg)
                kind, body = read(s)
                if kind != 1: raise ConnectionError('expected OPEN, got %d %s' % (kind, body.hex()))
                s.sendall(msg(4, b''))
                while True:
                    kind, body = read(s)
                    if kind == 4: break
                    if kind == 3: raise ConnectionError('NOTIFICATION ' + body.hex())
                s.sendall(update)
                done += 1
                time.sleep(hold_last if done >= cycles else 0.02)
                s.close()
            except (OSError, ConnectionError) as e:
                failures += 1
                time.sleep(0.1)
        print('cycles %d failures %d' % (done, failures))
        sys.exit(0 if done >= cycles else 1)
        """;

    /// <summary>Writes the script into the topology's directory and returns its path.</summary>
    public static string WriteScript(Topology topology)
    {
        var path = topology.PathFor("raw-bgp-client.py");
        File.WriteAllText(path, Script);
        return path;
    }

    /// <summary>Runs the storm and returns the script's report line; throws when it did not finish its cycles.</summary>
    public static string Storm(Node node, IPAddress target, uint myAs, IPAddress routerId, IPAddress nextHop, int prefixes, int cycles, TimeSpan limit)
    {
        var path = WriteScript(node.Topology);
        var python = Router.Require("python3", "python3");
        var result = Cmd.Try(
            limit + TimeSpan.FromSeconds(30),
            "ip",
            "netns",
            "exec",
            node.Namespace,
            python,
            path,
            target.ToString(),
            myAs.ToString(CultureInfo.InvariantCulture),
            routerId.ToString(),
            prefixes.ToString(CultureInfo.InvariantCulture),
            cycles.ToString(CultureInfo.InvariantCulture),
            limit.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            nextHop.ToString());
        return result.ExitCode == 0
            ? result.StdOut.Trim()
            : throw new InvalidOperationException($"the raw BGP client did not complete {cycles} cycles in {limit.TotalSeconds:F0} s: {result.StdOut}{result.StdErr}");
    }
}
