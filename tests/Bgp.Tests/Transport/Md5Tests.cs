using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>
/// TCP MD5 (RFC 2385) over loopback. Linux drops unsigned or wrongly signed SYNs silently, so a
/// failing connect shows as a connect that never completes: each is given a short, fixed wait.
/// </summary>
public class Md5Tests
{
    private static readonly TimeSpan NoConnectWait = TimeSpan.FromMilliseconds(800);

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::", "127.0.0.1")]
    [InlineData("::", "::1")]
    [InlineData("::1", "::1")]
    public async Task Matching_passwords_connect_and_exchange_messages(string listen, string connect)
    {
        var client = IPAddress.Parse(connect);
        var options = TransportOptions.Default with { Md5Password = "s3cret" };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Parse(listen), (_, _) => options, l => l.SetPassword(client, "s3cret"));

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(client), options, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        await using var a = new BgpConnection(socket, options);
        await using var b = new BgpConnection(accepted, options);
        await a.SendAsync(KeepaliveMessage.Instance, CancellationToken.None);
        using var batch = await b.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Loopback.Bound);

        Assert.Equal(1, batch.Count);
        Assert.Equal(client, b.RemoteEndPoint.Address);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(null)]
    public async Task A_wrong_or_missing_password_never_connects(string? password)
    {
        var options = TransportOptions.Default with { Md5Password = "s3cret" };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, _) => options, l => l.SetPassword(IPAddress.Loopback, "s3cret"));

        using var cts = new CancellationTokenSource(NoConnectWait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default with { Md5Password = password }, cts.Token));
        Assert.Empty(harness.Asked);
    }

    [Fact]
    public async Task A_signed_client_does_not_connect_to_a_listener_without_the_key()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default);

        using var cts = new CancellationTokenSource(NoConnectWait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default with { Md5Password = "s3cret" }, cts.Token));
    }

    [Fact]
    public async Task A_range_key_signs_every_address_in_a_dynamic_neighbour_range()
    {
        var options = TransportOptions.Default with { Md5Password = "range-key" };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, _) => options, l => l.SetPassword(IPNetwork.Parse("127.0.0.0/8"), "range-key"));

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Parse("127.0.0.1")), options with { SourceAddress = IPAddress.Parse("127.0.0.3") }, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        using var _ = accepted;

        Assert.Equal(IPAddress.Parse("127.0.0.3"), ((IPEndPoint)accepted.RemoteEndPoint!).Address.MapToIPv4());
    }

    [Fact]
    public async Task A_key_added_while_listening_takes_effect_at_once()
    {
        var options = TransportOptions.Default with { Md5Password = "later" };
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => options);
        harness.Listener.SetPassword(IPAddress.Loopback, "later");

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), options, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        accepted.Dispose();
    }

    [Fact]
    public async Task A_removed_key_stops_signing()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default, l => l.SetPassword(IPAddress.Loopback, "s3cret"));
        harness.Listener.SetPassword(IPAddress.Loopback, null);

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        var (accepted, _) = await harness.NextAsync();
        accepted.Dispose();
    }

    [Fact]
    public async Task The_listener_refuses_a_peer_the_filter_says_needs_a_key_it_does_not_hold()
    {
        await using var harness = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default with { Md5Password = "s3cret" });

        using var socket = await BgpConnector.ConnectAsync(harness.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        var closed = await ListenerTests.ReadUntilClosedAsync(socket);

        Assert.True(closed);
        Assert.True(harness.NothingAccepted);
        Assert.Contains(harness.Log.Entries, e => e.Message.Contains("TCP MD5", StringComparison.Ordinal) && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_of_the_other_family_is_kept_off_a_single_family_listener()
    {
        await using var v4 = await ListenerHarness.StartAsync(IPAddress.Loopback, (_, _) => TransportOptions.Default, l => l.SetPassword(IPAddress.IPv6Loopback, "v6"));
        await using var v6 = await ListenerHarness.StartAsync(IPAddress.IPv6Any, (_, _) => TransportOptions.Default, l =>
        {
            l.Ipv6Only = true;
            l.SetPassword(IPAddress.Loopback, "v4");
        });

        using var a = await BgpConnector.ConnectAsync(v4.EndPoint(IPAddress.Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        using var b = await BgpConnector.ConnectAsync(v6.EndPoint(IPAddress.IPv6Loopback), TransportOptions.Default, CancellationToken.None).WaitAsync(Loopback.Bound);
        (await v4.NextAsync()).Socket.Dispose();
        (await v6.NextAsync()).Socket.Dispose();
    }

    [Fact]
    public void A_password_longer_than_80_octets_is_refused()
    {
        var listener = new BgpListener(new IPEndPoint(IPAddress.Loopback, 0), new NoFilter(), (_, _) => ValueTask.CompletedTask, new CapturingLogger());
        Assert.Throws<ArgumentException>(() => listener.SetPassword(IPAddress.Loopback, new string('é', 41)));
    }

    private sealed class NoFilter : IConnectionFilter
    {
        public TransportOptions? Admit(IPEndPoint remote, IPEndPoint local) => null;
    }
}
