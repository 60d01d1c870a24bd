using System.Buffers;
using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Transport;

public class BgpConnectionTests
{
    private static readonly TimeSpan Bound = Loopback.Bound;

    [Fact]
    public async Task Messages_sent_on_one_end_are_read_whole_on_the_other()
    {
        var (client, server) = await Loopback.PairAsync();
        await using var a = new BgpConnection(client, TransportOptions.Default);
        await using var b = new BgpConnection(server, TransportOptions.Default);

        await a.SendAsync(KeepaliveMessage.Instance, CancellationToken.None);
        await a.SendAsync(new NotificationMessage(NotificationCode.Cease, 2), CancellationToken.None);
        var received = new List<byte[]>();
        for (var turn = 0; turn < 10 && received.Count < 2; turn++)
        {
            using var batch = await b.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
            received.AddRange(Frames.ToList(batch));
        }

        Assert.Equal(2, received.Count);
        Assert.Equal(KeepaliveMessage.Instance, BgpMessage.Decode(received[0], CodecContext.Default).Value);
        Assert.Equal(new NotificationMessage(NotificationCode.Cease, 2), BgpMessage.Decode(received[1], CodecContext.Default).Value);
        Assert.Equal(a.LocalEndPoint, b.RemoteEndPoint);
        Assert.Equal(a.RemoteEndPoint, b.LocalEndPoint);
    }

    [Fact]
    public async Task Bytes_received_fires_for_a_partial_message()
    {
        var (client, server) = await Loopback.PairAsync();
        using var raw = client;
        await using var connection = new BgpConnection(server, TransportOptions.Default);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.BytesReceived = () => arrived.TrySetResult();
        var read = connection.ReadAsync(10, CancellationToken.None).AsTask();

        await raw.SendAsync(Frames.Update(100).AsMemory(0, 10), SocketFlags.None);

        await arrived.Task.WaitAsync(Bound);
        Assert.False(read.IsCompleted);
        await raw.SendAsync(Frames.Update(100).AsMemory(10), SocketFlags.None);
        using var batch = await read.WaitAsync(Bound);
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public async Task Peer_close_completes_the_stream_after_its_last_message()
    {
        var (client, server) = await Loopback.PairAsync();
        await using var connection = new BgpConnection(server, TransportOptions.Default);
        await client.SendAsync(Frames.Keepalive(), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);

        var messages = 0;
        var completed = false;
        for (var turn = 0; turn < 10 && !completed; turn++)
        {
            using var batch = await connection.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
            messages += batch.Count;
            completed = batch.Completed;
        }

        client.Dispose();
        Assert.True(completed);
        Assert.Equal(1, messages);
        Assert.Equal(SocketError.Success, connection.ReceiveError);
    }

    [Fact]
    public async Task A_framing_error_from_the_peer_carries_the_notification_to_send()
    {
        var (client, server) = await Loopback.PairAsync();
        using var raw = client;
        await using var connection = new BgpConnection(server, TransportOptions.Default);
        await raw.SendAsync(Frames.Message(42, 19), SocketFlags.None);

        using var batch = await connection.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(new NotificationMessage(NotificationCode.MessageHeaderError, 3, EquatableArray.Create<byte>(42)), batch.FramingError!.ToNotification());
    }

    [Fact]
    public async Task Dispose_drains_a_queued_notification_before_closing()
    {
        var (client, server) = await Loopback.PairAsync();
        using var raw = client;
        var connection = new BgpConnection(server, TransportOptions.Default);
        var notification = new NotificationMessage(NotificationCode.Cease, 4);

        await connection.SendAsync(notification, CancellationToken.None);
        await connection.DisposeAsync();

        var octets = await Loopback.ReceiveExactlyAsync(raw, 21);
        Assert.Equal(notification, BgpMessage.Decode(octets, CodecContext.Default).Value);
        Assert.Equal(0, await raw.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => connection.SendAsync(KeepaliveMessage.Instance, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => connection.ReadAsync(1, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Dispose_delivers_the_notification_to_a_slow_peer_despite_unread_input()
    {
        var (client, server) = await Loopback.PairAsync(serverReceiveBuffer: 4096);
        using var raw = server;
        var connection = new BgpConnection(client, TransportOptions.Default with { DrainTimeout = Bound });
        var update = Frames.Update(4096, 6);
        for (var i = 0; i < 64; i++)
        {
            await connection.SendAsync(writer =>
            {
                writer.Write(update);
                return update.Length;
            }, CancellationToken.None);
        }

        var notification = new NotificationMessage(NotificationCode.Cease, 2);
        await connection.SendAsync(notification, CancellationToken.None);

        // The peer floods us with input nobody reads, and reads nothing itself for a while.
        var flood = raw.SendAsync(new byte[1536 * 1024], SocketFlags.None);
        await Task.Delay(100);
        var dispose = connection.DisposeAsync().AsTask();
        await Task.Delay(300);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(Bound);
        int n;
        while ((n = await raw.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        await dispose.WaitAsync(Bound);
        await Record.ExceptionAsync(() => flood.WaitAsync(Bound));
        var octets = received.ToArray();
        Assert.Equal((64 * update.Length) + 21, octets.Length);
        Assert.Equal(notification, BgpMessage.Decode(octets.AsSpan(^21), CodecContext.Default).Value);
    }

    [Fact]
    public async Task A_read_in_progress_when_disposed_returns_a_completed_batch()
    {
        var (client, server) = await Loopback.PairAsync();
        using var raw = client;
        var connection = new BgpConnection(server, TransportOptions.Default);
        var read = connection.ReadAsync(10, CancellationToken.None).AsTask();

        await connection.DisposeAsync().AsTask().WaitAsync(Bound);

        using var batch = await read.WaitAsync(Bound);
        Assert.True(batch.Completed);
    }

    [Fact]
    public async Task Concurrent_senders_never_interleave_messages()
    {
        var (client, server) = await Loopback.PairAsync();
        await using var a = new BgpConnection(client, TransportOptions.Default);
        await using var b = new BgpConnection(server, TransportOptions.Default);
        const int Senders = 8;
        const int PerSender = 200;

        var sends = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                var message = Frames.Update(23 + (i % 300), (byte)s);
                await a.SendAsync(writer =>
                {
                    writer.Write(message);
                    return message.Length;
                }, CancellationToken.None);
            }
        })).ToArray();

        var perSender = new int[Senders];
        var total = 0;
        for (var turn = 0; turn < Senders * PerSender && total < Senders * PerSender; turn++)
        {
            using var batch = await b.ReadAsync(64, CancellationToken.None).AsTask().WaitAsync(Bound);
            Assert.Null(batch.FramingError);
            for (var i = 0; i < batch.Count; i++)
            {
                var body = batch[i].Span[19..];
                Assert.True(body.IndexOfAnyExcept(body[0]) < 0, "a message body mixes two senders");
                perSender[body[0]]++;
            }

            total += batch.Count;
        }

        await Task.WhenAll(sends).WaitAsync(Bound);
        Assert.All(perSender, count => Assert.Equal(PerSender, count));
    }

    [Fact]
    public async Task A_peer_that_does_not_read_makes_sends_wait_and_reading_releases_them()
    {
        var (client, server) = await Loopback.PairAsync(serverReceiveBuffer: 4096, clientSendBuffer: 4096);
        using var raw = server;
        await using var connection = new BgpConnection(client, TransportOptions.Default with { MaxBufferedBytes = 16 * 1024 });
        var update = Frames.Update(4096, 1);

        // Kernel buffers absorb some first; the bound makes a later send wait within a known amount.
        ValueTask pending = default;
        var sent = 0;
        for (; sent < 2000; sent++)
        {
            pending = connection.SendAsync(writer =>
            {
                writer.Write(update);
                return update.Length;
            }, CancellationToken.None);
            if (!pending.IsCompleted)
            {
                await Task.Delay(100);
                if (!pending.IsCompleted)
                {
                    break;
                }
            }
        }

        // Bounded: our 16 KiB plus what the small kernel buffers hold, far below the 8 MB offered.
        Assert.True(sent * update.Length <= 256 * 1024, $"{sent} messages were queued before a send waited");
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            var total = 0L;
            var expected = (sent + 1L) * update.Length;
            while (total < expected)
            {
                var n = await raw.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        });

        await pending.AsTask().WaitAsync(Bound);
        Assert.Equal((sent + 1L) * update.Length, await drain.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_session_that_does_not_read_stops_reading_the_socket_so_the_peer_waits()
    {
        var (client, server) = await Loopback.PairAsync(serverReceiveBuffer: 4096, clientSendBuffer: 4096);
        using var raw = client;
        await using var connection = new BgpConnection(server, TransportOptions.Default with { MaxBufferedBytes = 64 * 1024 });
        var received = 0;
        connection.BytesReceived = () => Interlocked.Increment(ref received);
        var chunk = Enumerable.Range(0, 16).SelectMany(_ => Frames.Update(4096, 2)).ToArray();

        // The session reads once (the receive loop starts with the first read), then stops reading.
        await raw.SendAsync(Frames.Keepalive(), SocketFlags.None);
        using (var first = await connection.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Bound))
        {
            Assert.Equal(1, first.Count);
        }

        var offered = 0L;
        Task<int> pending = Task.FromResult(0);
        for (var turn = 0; turn < 512; turn++)
        {
            pending = raw.SendAsync(chunk, SocketFlags.None);
            if (await Task.WhenAny(pending, Task.Delay(200)) != pending)
            {
                break;
            }

            offered += chunk.Length;
        }

        Assert.False(pending.IsCompleted, "the peer could send 32 MB to a session that reads nothing");
        Assert.True(offered <= 2 * 1024 * 1024, $"{offered} octets were taken before the peer had to wait");
        Assert.True(Volatile.Read(ref received) > 0);

        var messages = 0L;
        for (var turn = 0; turn < 10_000 && messages < (offered + chunk.Length) / 4096; turn++)
        {
            using var batch = await connection.ReadAsync(256, CancellationToken.None).AsTask().WaitAsync(Bound);
            messages += batch.Count;
        }

        await pending.WaitAsync(Bound);
        Assert.Equal((offered + chunk.Length) / 4096, messages);
    }

    [Fact]
    public async Task A_send_after_the_peer_reset_fails_as_io_error_and_the_read_side_ends()
    {
        var (client, server) = await Loopback.PairAsync();
        await using var connection = new BgpConnection(server, TransportOptions.Default);
        client.LingerState = new LingerOption(true, 0);
        client.Dispose(); // RST

        var completed = false;
        for (var turn = 0; turn < 10 && !completed; turn++)
        {
            using var batch = await connection.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
            completed = batch.Completed;
        }

        Assert.True(completed);
        Assert.Equal(SocketError.ConnectionReset, connection.ReceiveError);
        var failure = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await connection.SendAsync(KeepaliveMessage.Instance, CancellationToken.None);
                await Task.Delay(10);
            }
        });
        Assert.IsType<IOException>(failure);
    }

    [Fact]
    public async Task An_idle_connection_gives_its_buffers_back_to_the_pool()
    {
        var (client, server) = await Loopback.PairAsync();
        var pool = new CountingPool();
        await using var a = new BgpConnection(client, TransportOptions.Default, pool);
        await using var b = new BgpConnection(server, TransportOptions.Default, pool);

        for (var round = 0; round < 3; round++)
        {
            await a.SendAsync(writer =>
            {
                var update = Frames.Update(3000, 5);
                writer.Write(update);
                return update.Length;
            }, CancellationToken.None);
            using var batch = await b.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
            Assert.Equal(1, batch.Count);
        }

        // The send loop returns its segment once the socket took the octets; allow it a moment.
        for (var wait = 0; wait < 50 && pool.Outstanding != 0; wait++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Queued_small_messages_share_segments_instead_of_one_each()
    {
        var (client, server) = await Loopback.PairAsync(serverReceiveBuffer: 4096, clientSendBuffer: 4096);
        using var raw = server; // never reads: everything queues in our output pipe
        var pool = new CountingPool();
        await using var connection = new BgpConnection(client, TransportOptions.Default with { DrainTimeout = TimeSpan.FromMilliseconds(100) }, pool);

        // With extended messages the encoder asks for 65535 octets per message and writes 21.
        connection.SendContext = CodecContext.Default with { ExtendedMessage = true };
        var notification = new NotificationMessage(NotificationCode.Cease, 2);
        for (var i = 0; i < 2000; i++)
        {
            await connection.SendAsync(notification, CancellationToken.None).AsTask().WaitAsync(Bound);
        }

        // 2000 x 21 octets is 42 000: a handful of 16 KiB segments, not one 64 KiB segment per message.
        Assert.InRange(pool.Outstanding, 1, 8);
    }

    [Fact]
    public void A_socket_that_is_not_connected_is_refused()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Throws<ArgumentException>(() => new BgpConnection(socket, TransportOptions.Default));
    }

    [Fact]
    public async Task Only_one_read_at_a_time()
    {
        var (client, server) = await Loopback.PairAsync();
        using var raw = client;
        await using var connection = new BgpConnection(server, TransportOptions.Default);
        var first = connection.ReadAsync(1, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ReadAsync(1, CancellationToken.None).AsTask());
        await raw.SendAsync(Frames.Keepalive(), SocketFlags.None);
        using var batch = await first.WaitAsync(Bound);
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public async Task Ipv6_loopback_works_too()
    {
        var (client, server) = await Loopback.PairAsync(IPAddress.IPv6Loopback);
        await using var a = new BgpConnection(client, TransportOptions.Default);
        await using var b = new BgpConnection(server, TransportOptions.Default);

        await a.SendAsync(KeepaliveMessage.Instance, CancellationToken.None);
        using var batch = await b.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(1, batch.Count);
        Assert.Equal(IPAddress.IPv6Loopback, b.RemoteEndPoint.Address);
    }
}
