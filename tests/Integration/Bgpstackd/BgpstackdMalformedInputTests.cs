using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BgpStack.Bgp.Tests.Wire;
using BgpStack.Bgp.Wire;
using BgpStack.Integration.Tests.Harness;

namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>
/// Malformed input (RFC 7606, RFC 4271 §6.3): a raw client completes an OPEN exchange with
/// bgpstackd and sends every case of the codec's malformed-UPDATE table
/// (<see cref="UpdateMalformedTests"/>). Non-fatal cases must not reset the session
/// (treat-as-withdraw removes the prefix announced just before, attribute-discard keeps it);
/// fatal cases must get an UPDATE Message Error NOTIFICATION with the table's subcode and data
/// (or, for an UPDATE too short to hold its length fields, the header check's Bad Message Length).
/// Another peer's session and routes stay untouched throughout.
/// </summary>
public sealed class BgpstackdMalformedInputTests
{
    // The rows' AS_PATH starts with 65001 (FDE9) and their NEXT_HOP is 192.0.2.1 (C0000201):
    // the raw peer is AS 65001 (first-AS checks pass) and the next hop becomes its link address.
    private const uint RawAs = 65001;
    private const uint OurAs = 65010;

    [Fact]
    public void Every_malformed_update_case_gets_the_rfc_7606_treatment_and_other_sessions_keep_their_routes()
    {
        using var topology = Topology.Create();
        var usNode = topology.AddNode("us");
        var rawNode = topology.AddNode("raw");
        var steadyNode = topology.AddNode("bird");
        var toRaw = topology.Connect(usNode, rawNode);
        var toSteady = topology.Connect(usNode, steadyNode);
        var us = new BgpstackdRouter(usNode, "us", new RouterSpec
        {
            RouterId = PeerScenarios.OurId,
            As = OurAs,
            Neighbors =
            [
                new NeighborSpec { Address = toRaw.B4, As = RawAs, LocalAddress = toRaw.A4, Passive = true },
                new NeighborSpec { Address = toSteady.B4, As = 65002, LocalAddress = toSteady.A4 },
            ],
        });
        var steady = new BirdRouter(steadyNode, "bird", new RouterSpec
        {
            RouterId = PeerScenarios.PeerId,
            As = 65002,
            Neighbors = [new NeighborSpec { Address = toSteady.A4, As = OurAs, LocalAddress = toSteady.B4 }],
            Routes = [new StaticRouteSpec { Prefix = "10.2.0.0/24" }],
        });
        steady.Start();
        us.Start();
        us.WaitRoute("10.2.0.0/24");

        var nextHop = Convert.ToHexString(toRaw.B4.GetAddressBytes());
        var cases = new StringBuilder();
        // 2-octet-AS cases first, then 4-octet ones, then the fatal ones (4-octet): one session per
        // group and one per fatal case, so the daemon's flap damping (idle hold back-off) is hit least.
        foreach (var row in UpdateMalformedTests.NonFatalRows().OrderBy(r => (bool)r[1]))
        {
            var (name, four, attributes, nlri, action) = ((string)row[0], (bool)row[1], (string)row[2], (string)row[3], (AttributeErrorAction)row[4]);
            var body = Body(attributes.Replace(" ", "", StringComparison.Ordinal).Replace("400304C0000201", "400304" + nextHop, StringComparison.Ordinal), nlri);
            cases.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["four"] = four, ["body"] = body, ["fatal"] = false, ["action"] = action.ToString(), ["ipv4_nlri"] = nlri.Length > 0 }));
        }

        foreach (var row in UpdateMalformedTests.FatalRows())
        {
            var (name, body, subcode, data) = ((string)row[0], (string)row[1], (UpdateMessageErrorSubcode)row[2], (string)row[3]);
            body = body.Replace(" ", "", StringComparison.Ordinal);
            // RFC 4271 §6.1: an UPDATE shorter than 23 octets fails the header check first: Message
            // Header Error / Bad Message Length with the length as data (the codec row checks the body alone).
            var notification = body.Length / 2 < 4
                ? string.Create(CultureInfo.InvariantCulture, $"0102{19 + (body.Length / 2):X4}")
                : string.Create(CultureInfo.InvariantCulture, $"03{(byte)subcode:X2}{data.Replace(" ", "", StringComparison.Ordinal)}");
            cases.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = name,
                ["four"] = true,
                ["body"] = body,
                ["fatal"] = true,
                ["notification"] = notification,
            }));
        }

        var casesPath = topology.PathFor("malformed-cases.jsonl");
        File.WriteAllText(casesPath, cases.ToString());
        var scriptPath = topology.PathFor("malformed-client.py");
        File.WriteAllText(scriptPath, Script);
        var dotnet = Router.Require(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", "dotnet");
        var result = Cmd.Try(
            TimeSpan.FromSeconds(400),
            "ip",
            "netns",
            "exec",
            rawNode.Namespace,
            Router.Require("python3", "python3"),
            scriptPath,
            casesPath,
            toRaw.A4.ToString(),
            RawAs.ToString(CultureInfo.InvariantCulture),
            nextHop,
            "360",
            dotnet,
            us.CtlDll,
            us.Socket);
        var report = result.StdOut + result.StdErr;
        var failures = report.Split('\n').Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.True(result.ExitCode == 0 && failures.Count == 0, $"{failures.Count} malformed cases were handled wrongly:\n{report}\n{us.Describe()}");
        Assert.Contains($"cases {UpdateMalformedTests.NonFatalRows().Count + UpdateMalformedTests.FatalRows().Count} ", report, StringComparison.Ordinal);

        // The other session never noticed.
        Assert.True(us.IsEstablished(toSteady.B4), us.Describe());
        Assert.True(us.HasRoute("10.2.0.0/24"), us.DescribeRoutes(Family.Ipv4));
        Assert.True(steady.IsEstablished(toSteady.A4), steady.Describe());
    }

    private static string Body(string attributesHex, string nlriHex)
    {
        var attributes = attributesHex.Length / 2;
        return string.Create(CultureInfo.InvariantCulture, $"0000{attributes:X4}{attributesHex}{nlriHex.Replace(" ", "", StringComparison.Ordinal)}");
    }

    private const string Script = RawBgpClient.PythonWire + """
        import json, socket, struct, subprocess, sys, time
        cases_path, host, my_as, nexthop_hex, seconds, dotnet, ctl, sock = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8]
        cases = [json.loads(l) for l in open(cases_path) if l.strip()]
        end = time.time() + seconds
        def open_msg(four):
            caps = bytes([1, 4, 0, 1, 0, 1]) + (bytes([65, 4]) + struct.pack('!I', my_as) if four else b'')
            opt = bytes([2, len(caps)]) + caps
            return msg(1, struct.pack('!BHH', 4, my_as, 90) + socket.inet_aton('198.18.255.31') + bytes([len(opt)]) + opt)
        def valid_update(four):
            aspath = bytes([0x40, 2, 6, 2, 1]) + struct.pack('!I', my_as) if four else bytes([0x40, 2, 4, 2, 1]) + struct.pack('!H', my_as)
            attrs = bytes([0x40, 1, 1, 0]) + aspath + bytes([0x40, 3, 4]) + bytes.fromhex(nexthop_hex)
            return msg(2, struct.pack('!H', 0) + struct.pack('!H', len(attrs)) + attrs + bytes([24, 10, 0, 0]))
        def session(four):
            while time.time() < end:
                try:
                    s = socket.create_connection((host, 179), timeout=5)
                    s.sendall(open_msg(four))
                    kind, body = read(s, 10)
                    if kind != 1: raise ConnectionError('expected OPEN, got %d %s' % (kind, body.hex()))
                    s.sendall(msg(4, b''))
                    while True:
                        kind, body = read(s, 10)
                        if kind == 4: return s
                        if kind == 3: raise ConnectionError('NOTIFICATION ' + body.hex())
                except (OSError, ConnectionError) as e:
                    time.sleep(0.5)
            raise TimeoutError('no session before the deadline')
        def held():
            out = subprocess.run([dotnet, ctl, '--socket', sock, 'routes', '10.0.0.0/24', '--json'], capture_output=True, text=True, timeout=30)
            return '10.0.0.0/24' in out.stdout
        def drain_notification(s, timeout):
            # Anything but a NOTIFICATION (KEEPALIVEs, UPDATEs) is skipped; None if none came.
            limit = time.time() + timeout
            while time.time() < limit:
                try:
                    kind, body = read(s, max(0.05, limit - time.time()))
                except socket.timeout:
                    return None
                except (OSError, ConnectionError) as e:
                    return 'closed'
                if kind == 3: return body.hex().upper()
            return None
        def wait_held(want, timeout=10):
            limit = time.time() + timeout
            while time.time() < limit:
                if held() == want: return True
                time.sleep(0.2)
            return False
        done, failed, current, current_four = 0, 0, None, None
        for c in cases:
            if time.time() > end:
                print('FAIL deadline reached before case %r' % c['name']); failed += 1; break
            try:
                if current is None or current_four != c['four']:
                    if current is not None: current.close()
                    current, current_four = session(c['four']), c['four']
                current.sendall(valid_update(c['four']))
                if not wait_held(True):
                    print('FAIL %s: the valid announcement before the case never reached the RIB' % c['name']); failed += 1
                current.sendall(msg(2, bytes.fromhex(c['body'])))
                note = drain_notification(current, 1.5)
                if c['fatal']:
                    if note != c['notification']:
                        print('FAIL %s: expected NOTIFICATION %s, got %s' % (c['name'], c['notification'], note)); failed += 1
                    elif not wait_held(False):
                        print('FAIL %s: the reset peer\'s route is still in the RIB' % c['name']); failed += 1
                    else:
                        print('ok   %s: NOTIFICATION %s' % (c['name'], note))
                    current.close(); current = None
                elif c['action'] == 'AfiSafiDisable':
                    # RFC 7606 §7.3 / RFC 4760 §7: disabling the family or resetting the session are both allowed.
                    if note is not None:
                        current.close(); current = None
                        print('ok   %s: session reset (%s)' % (c['name'], note))
                    elif not wait_held(True, 3):
                        print('FAIL %s: an IPv6 MP_REACH error lost the IPv4 route' % c['name']); failed += 1
                    else:
                        print('ok   %s: family disabled or ignored, session kept' % c['name'])
                else:
                    if note is not None:
                        print('FAIL %s: %s; RFC 7606 %s keeps the session' % (c['name'], 'NOTIFICATION ' + note if note != 'closed' else 'session closed', c['action'])); failed += 1
                        current.close(); current = None
                    elif c['action'] == 'TreatAsWithdraw' and not c['ipv4_nlri'] and not wait_held(True, 3):
                        print('FAIL %s: treat-as-withdraw of MP prefixes lost the unrelated 10.0.0.0/24' % c['name']); failed += 1
                    elif c['action'] == 'TreatAsWithdraw' and c['ipv4_nlri'] and not wait_held(False):
                        print('FAIL %s: treat-as-withdraw left 10.0.0.0/24 in the RIB' % c['name']); failed += 1
                    elif c['action'] == 'AttributeDiscard' and not wait_held(True, 3):
                        print('FAIL %s: attribute-discard lost 10.0.0.0/24' % c['name']); failed += 1
                    else:
                        print('ok   %s: %s, session kept' % (c['name'], c['action']))
            except (OSError, ConnectionError, TimeoutError, subprocess.SubprocessError) as e:
                print('FAIL %s: %s' % (c['name'], e)); failed += 1
                if current is not None: current.close()
                current = None
            done += 1
        print('cases %d failed %d' % (done, failed))
        sys.exit(0 if failed == 0 else 1)
        """;
}
