using System.Globalization;
using System.Text.Json;
using BgpStack.Ctl;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>Two bgpstackd (the real BgpSpeaker) peering over loopback in this process, checked through bgpstackctl.</summary>
[Collection(DaemonHostCollection.Name)]
public sealed class SpeakerEndToEndTests
{
    private static (int Exit, string Out, string Error) Ctl(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CtlApp.Run(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Header(string routerId, uint asn, string address, int port) => string.Create(
        CultureInfo.InvariantCulture,
        $"router-id: {routerId}\nlocal-as: {asn}\nlisten: [\"{address}:{port}\"]");

    private static string Peer(string address, uint asn, int port, string source, string prefix) => string.Create(CultureInfo.InvariantCulture, $"""
        peers:
          - address: {address}
            as: {asn}
            port: {port}
            source-address: {source}
            connect-retry: 1
            hold-time: 9
            keepalive: 3
        static-routes:
          - prefix: {prefix}
            communities: ["65001:100"]
        """);

    private static async Task<JsonElement> WaitForAsync(string socket, string command, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var (exit, output, error) = Ctl(command, "--json", "--socket", socket);
            last = exit == 0 ? output : error;
            if (exit == 0)
            {
                using var document = JsonDocument.Parse(output);
                if (done(document.RootElement))
                {
                    return document.RootElement.Clone();
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen in 30 s; last answer: {last}");
    }

    [Fact]
    public async Task Two_daemons_establish_exchange_static_routes_and_show_them_in_status_and_routes()
    {
        var portA = Random.Shared.Next(20000, 40000);
        var portB = portA + 1;
        await using var a = await RunningDaemon.StartAsync(
            Peer("127.0.0.2", 65002, portB, "127.0.0.1", "10.244.1.0/24"), realSpeaker: true, header: Header("198.18.0.1", 65001, "127.0.0.1", portA));
        await using var b = await RunningDaemon.StartAsync(
            Peer("127.0.0.1", 65001, portA, "127.0.0.2", "10.244.2.0/24"), realSpeaker: true, header: Header("198.18.0.2", 65002, "127.0.0.2", portB));

        var status = await WaitForAsync(
            a.SocketPath,
            "status",
            s => s.GetProperty("peers").EnumerateArray().Any(p => p.GetProperty("state").GetString() == "Established"
                && p.TryGetProperty("prefixes_received", out var received) && received.TryGetProperty("ipv4-unicast", out var count) && count.GetInt32() == 1),
            "A's session to B with B's route");
        var peer = Assert.Single(status.GetProperty("peers").EnumerateArray());
        Assert.Equal("127.0.0.2", peer.GetProperty("address").GetString());
        Assert.Equal("external", peer.GetProperty("type").GetString());
        Assert.Equal("198.18.0.2", peer.GetProperty("router_id").GetString());
        Assert.Equal(9, peer.GetProperty("hold_time").GetInt32());

        var (exit, text, error) = Ctl("status", "--socket", a.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("| 127.0.0.2    | ebgp      | up    |", text, StringComparison.Ordinal);

        var routes = await WaitForAsync(
            a.SocketPath,
            "routes",
            r => r.GetProperty("routes").GetArrayLength() == 2,
            "both prefixes in A's RIB");
        var learned = routes.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("prefix").GetString() == "10.244.2.0/24");
        var path = Assert.Single(learned.GetProperty("paths").EnumerateArray());
        Assert.True(path.GetProperty("best").GetBoolean());
        Assert.Equal("127.0.0.2", path.GetProperty("source").GetString());
        Assert.Equal("65002", path.GetProperty("as_path").GetString());
        Assert.Equal("65001:100", path.GetProperty("communities")[0].GetString());

        (exit, text, error) = Ctl("routes", "10.244.2.0/24", "--socket", a.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Contains("10.244.2.0/24  1 path, best by being the only path", text, StringComparison.Ordinal);
        Assert.Contains("  *  127.0.0.2 (ebgp AS65002)", text, StringComparison.Ordinal);

        // B stops cleanly: A hears a Cease and the route goes.
        Assert.Equal(0, await b.StopAsync());
        await WaitForAsync(
            a.SocketPath,
            "routes",
            r => r.GetProperty("routes").GetArrayLength() == 1,
            "B's route withdrawn from A after B stopped");
        await WaitForAsync(
            a.SocketPath,
            "status",
            s => s.GetProperty("peers")[0].GetProperty("state").GetString() != "Established",
            "A's session to B down after B stopped");
    }

    [Fact]
    public async Task A_graceful_restart_keeps_the_route_at_the_peer_until_the_restarted_daemon_sends_it_again()
    {
        var portA = Random.Shared.Next(40000, 60000);
        var portB = portA + 1;
        await using var a = await RunningDaemon.StartAsync(
            Peer("127.0.0.2", 65002, portB, "127.0.0.1", "10.244.1.0/24"), realSpeaker: true, header: Header("198.18.0.1", 65001, "127.0.0.1", portA));
        await using var b = await RunningDaemon.StartAsync(
            Peer("127.0.0.1", 65001, portA, "127.0.0.2", "10.244.2.0/24"), realSpeaker: true, header: Header("198.18.0.2", 65002, "127.0.0.2", portB));
        static bool HasFreshRoute(JsonElement r) => r.GetProperty("routes").EnumerateArray().Any(p =>
            p.GetProperty("prefix").GetString() == "10.244.2.0/24" && !p.GetProperty("paths")[0].GetProperty("stale").GetBoolean());
        await WaitForAsync(a.SocketPath, "routes", HasFreshRoute, "B's route at A");

        var (exit, _, error) = Ctl("graceful-restart", "--socket", b.SocketPath);
        Assert.True(exit == 0, error);
        Assert.Equal(0, await b.Exit.WaitAsync(TimeSpan.FromSeconds(20)));

        // A helps: B's route stays, marked stale, while B is away (RFC 4724 §4.2).
        await WaitForAsync(
            a.SocketPath,
            "routes",
            r => r.GetProperty("routes").EnumerateArray().Any(p => p.GetProperty("prefix").GetString() == "10.244.2.0/24" && p.GetProperty("paths")[0].GetProperty("stale").GetBoolean()),
            "B's route kept as stale at A");

        await b.StartAgainAsync();
        await b.Log.WaitForAsync("Restart detected");
        await WaitForAsync(a.SocketPath, "routes", HasFreshRoute, "B's route refreshed at A after B's restart");
    }
}
