using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Tests.Transport;

public class ListenerTests
{
    [Fact]
    public async Task A_refused_connection_is_closed_before_anything_is_read_and_logged_with_the_address()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => null);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(harness.EndPoint(IPAddress.Loopback)).WaitAsync(Loopback.Bound);
        await client.SendAsync(Frames.Message(1, 29), SocketFlags.None);

        Assert.True(await ReadUntilClosedAsync(client));
        Assert.True(harness.NothingAccepted);
        Assert.Equal([((IPEndPoint)client.LocalEndPoint!)], harness.Asked);
        Assert.Contains(harness.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"Refused a connection from {client.LocalEndPoint}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dual_stack_listener_reports_ipv4_peers_as_ipv4()
    {
        IPEndPoint? seenLocal = null;
        await using var harness = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, local) =>
        {
            seenLocal = local;
            return TransportOptions.Default;
        });
        using var client = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        await using var connection = new BgpConnection(accepted, TransportOptions.Default);

        Assert.True(harness.Asked.TryPeek(out var remote));
        Assert.Equal(client.LocalEndPoint, remote);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, harness.Listener.LocalEndPoint.Port), seenLocal);
        Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);
    }

    [Fact]
    public async Task An_ipv6_only_wildcard_listener_leaves_the_ipv4_port_to_another_listener()
    {
        await using var v6 = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, _) => TransportOptions.Default, l => l.Ipv6Only = true);
        var port = v6.Listener.LocalEndPoint.Port;
        await using var v4 = new BgpListener(new IPEndPoint(IPAddress.Any, port), new AdmitAll(), (socket, _) =>
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }, new CapturingLogger());

        await v4.StartAsync(CancellationToken.None);

        Assert.Equal(port, v4.LocalEndPoint.Port);
    }

    [Fact]
    public async Task A_throwing_filter_closes_the_connection_and_the_listener_keeps_accepting()
    {
        var calls = 0;
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : TransportOptions.Default);

        using var first = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        Assert.True(await ReadUntilClosedAsync(first));
        using var second = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        accepted.Dispose();

        Assert.Contains(harness.Log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("filter failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_throwing_accept_handler_closes_the_socket_and_is_logged()
    {
        var logger = new CapturingLogger();
        await using var listener = new BgpListener(new IPEndPoint(IPAddress.Loopback, 0), new AdmitAll(), (_, _) => throw new InvalidOperationException("no session"), logger);
        await listener.StartAsync(CancellationToken.None);

        using var client = await BgpConnector.ConnectAsync(listener.LocalEndPoint, TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);

        Assert.True(await ReadUntilClosedAsync(client));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(client.LocalEndPoint!.ToString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disposing_stops_listening()
    {
        var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default);
        var endPoint = harness.EndPoint(IPAddress.Loopback);
        await harness.DisposeAsync();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endPoint).WaitAsync(Loopback.Bound));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Starting_twice_is_an_error()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Listener.StartAsync(CancellationToken.None));
    }

    /// <summary>Reads until the peer closes (orderly or reset); false when still open after the bound.</summary>
    internal static async Task<bool> ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Loopback.Bound);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class AdmitAll : IConnectionFilter
    {
        public TransportOptions? Admit(IPEndPoint remote, IPEndPoint local) => TransportOptions.Default;
    }
}
