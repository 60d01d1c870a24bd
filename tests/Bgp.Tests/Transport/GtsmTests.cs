using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Transport.Interop;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>
/// GTSM (RFC 5082) over loopback: loopback does not decrement the TTL, so a client that sends with
/// TTL 254 looks like a peer one hop too far away and a client with 255 like a direct neighbour.
/// </summary>
public class GtsmTests
{
    private static readonly TimeSpan NoConnectWait = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan NoBytesWait = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::", "127.0.0.1")]
    [InlineData("::", "::1")]
    public async Task A_listener_minimum_ttl_drops_a_ttl_254_syn_and_admits_ttl_255(string listen, string connect)
    {
        var client = IPAddress.Parse(connect);
        var gtsm = TransportOptions.Default with { TtlSecurity = true };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Parse(listen), (_, _) => gtsm, l => l.MinimumTtl = 255);

        using (var cts = new CancellationTokenSource(NoConnectWait))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                BgpConnector.ConnectAsync(harness.EndPoint(client), TransportOptions.Default with { Ttl = 254 }, cts.Token));
        }

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(client), gtsm, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        accepted.Dispose();
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::", "127.0.0.1")]
    [InlineData("::", "::1")]
    public async Task Per_peer_gtsm_on_the_accepted_socket_drops_bytes_sent_with_ttl_254(string listen, string connect)
    {
        var client = IPAddress.Parse(connect);
        var gtsm = TransportOptions.Default with { TtlSecurity = true };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Parse(listen), (_, _) => gtsm);

        using var far = await BgpConnector.ConnectAsync(harness.EndPoint(client), TransportOptions.Default with { Ttl = 254 }, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (farAccepted, _) = await harness.NextAsync();
        // Its ACKs are dropped too, so our FIN is never acknowledged: do not wait long for it on dispose.
        await using var farConnection = new BgpConnection(farAccepted, gtsm with { DrainTimeout = TimeSpan.FromMilliseconds(100) });
        await far.SendAsync(Frames.Keepalive(), SocketFlags.None);

        using var near = await BgpConnector.ConnectAsync(harness.EndPoint(client), gtsm, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (nearAccepted, _) = await harness.NextAsync();
        await using var nearConnection = new BgpConnection(nearAccepted, gtsm);
        await near.SendAsync(Frames.Keepalive(), SocketFlags.None);

        using var nearBatch = await nearConnection.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Loopback.Bound);
        Assert.Equal(1, nearBatch.Count);
        var farRead = farConnection.ReadAsync(1, CancellationToken.None).AsTask();
        await Task.WhenAny(farRead, Task.Delay(NoBytesWait));
        Assert.False(farRead.IsCompleted, "bytes sent with TTL 254 reached a GTSM session");

        var ipv4 = client.AddressFamily == AddressFamily.InterNetwork;
        var (level, ttl, min) = ipv4
            ? (LinuxSocketOptions.SOL_IP, LinuxSocketOptions.IP_TTL, LinuxSocketOptions.IP_MINTTL)
            : (LinuxSocketOptions.SOL_IPV6, LinuxSocketOptions.IPV6_UNICAST_HOPS, LinuxSocketOptions.IPV6_MINHOPCOUNT);
        Assert.Equal(255, LinuxSocketOptions.GetInt(nearAccepted, level, ttl));
        Assert.Equal(255, LinuxSocketOptions.GetInt(nearAccepted, level, min));
    }

    [Fact]
    public async Task An_accepted_ebgp_peer_gets_the_plain_ttl()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, _) => TransportOptions.Default with { Ttl = 1 });

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        using var _ = accepted;

        Assert.Equal(1, LinuxSocketOptions.GetInt(accepted, LinuxSocketOptions.SOL_IP, LinuxSocketOptions.IP_TTL));
        Assert.True(accepted.NoDelay);
    }
}
