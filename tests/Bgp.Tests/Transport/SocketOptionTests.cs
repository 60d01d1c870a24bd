using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Transport.Interop;

namespace BgpStack.Bgp.Tests.Transport;

public class SocketOptionTests
{
    [Fact]
    public async Task Connector_binds_the_source_address_and_port_before_connecting()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var source = IPAddress.Parse("127.0.0.2");
        var port = FreePort(source);

        using var client = await BgpConnector.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, TransportOptions.Default with { SourceAddress = source, SourcePort = port }, CancellationToken.None).WaitAsync(Loopback.Bound);
        using var server = await listener.AcceptAsync().WaitAsync(Loopback.Bound);

        Assert.Equal(new IPEndPoint(source, port), server.RemoteEndPoint);
        Assert.True(client.NoDelay);
    }

    [Fact]
    public async Task Connector_sets_the_outgoing_ttl()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);

        using var client = await BgpConnector.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, TransportOptions.Default with { Ttl = 1 }, CancellationToken.None).WaitAsync(Loopback.Bound);

        Assert.Equal(1, LinuxSocketOptions.GetInt(client, LinuxSocketOptions.SOL_IP, LinuxSocketOptions.IP_TTL));
        Assert.Equal(0, LinuxSocketOptions.GetInt(client, LinuxSocketOptions.SOL_IP, LinuxSocketOptions.IP_MINTTL));
    }

    [Theory]
    [InlineData("127.0.0.1", null, 255)]
    [InlineData("127.0.0.1", 3, 253)]
    [InlineData("::1", null, 255)]
    public async Task Connector_with_gtsm_sends_with_255_and_sets_the_minimum(string address, int? hops, int minimum)
    {
        var ip = IPAddress.Parse(address);
        using var listener = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(ip, 0));
        listener.Ttl = 255; // or our minimum TTL drops its SYN-ACK
        listener.Listen(1);

        var options = TransportOptions.Default with { TtlSecurity = true, TtlSecurityHops = hops, Ttl = 1 };
        using var client = await BgpConnector.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, options, CancellationToken.None).WaitAsync(Loopback.Bound);

        var (level, ttl, min) = ip.AddressFamily == AddressFamily.InterNetwork
            ? (LinuxSocketOptions.SOL_IP, LinuxSocketOptions.IP_TTL, LinuxSocketOptions.IP_MINTTL)
            : (LinuxSocketOptions.SOL_IPV6, LinuxSocketOptions.IPV6_UNICAST_HOPS, LinuxSocketOptions.IPV6_MINHOPCOUNT);
        Assert.Equal(255, LinuxSocketOptions.GetInt(client, level, ttl));
        Assert.Equal(minimum, LinuxSocketOptions.GetInt(client, level, min));
    }

    [Fact]
    public async Task A_gtsm_connector_drops_the_syn_ack_of_a_listener_sending_with_ttl_64()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Ttl = 64;
        listener.Listen(1);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BgpConnector.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, TransportOptions.Default with { TtlSecurity = true }, cts.Token));
    }

    [Fact]
    public async Task Bad_options_are_refused_before_any_socket_is_made()
    {
        var remote = new IPEndPoint(IPAddress.Loopback, 179);
        await Assert.ThrowsAsync<ArgumentException>(() => BgpConnector.ConnectAsync(remote, TransportOptions.Default with { Ttl = 0 }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => BgpConnector.ConnectAsync(remote, TransportOptions.Default with { TtlSecurityHops = 255 }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => BgpConnector.ConnectAsync(remote, TransportOptions.Default with { Md5Password = new string('x', 81) }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => BgpConnector.ConnectAsync(remote, TransportOptions.Default with { SourceAddress = IPAddress.IPv6Loopback }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => BgpConnector.ConnectAsync(remote, TransportOptions.Default with { MaxBufferedBytes = 100 }, CancellationToken.None));
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
