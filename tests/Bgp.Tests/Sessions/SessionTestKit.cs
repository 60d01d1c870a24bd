using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Sessions;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Tests.Fsm;
using BgpStack.Bgp.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace BgpStack.Bgp.Tests.Sessions;

/// <summary>Records what a session tells its handler.</summary>
internal sealed class RecordingHandler : ISessionHandler
{
    public ConcurrentQueue<(SessionState From, SessionState To, string Info)> States { get; } = new();

    public ConcurrentQueue<UpdateMessage> Updates { get; } = new();

    public ConcurrentQueue<SessionDown> Downs { get; } = new();

    public ConcurrentQueue<RouteRefreshMessage> Refreshes { get; } = new();

    public TaskCompletionSource<NegotiatedSession> Established { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<UpdateMessage, ValueTask>? UpdateHook { get; set; }

    public void OnStateChanged(BgpSession session, SessionState oldState, SessionState newState, string info) => States.Enqueue((oldState, newState, info));

    public ValueTask OnEstablishedAsync(BgpSession session, NegotiatedSession negotiated, CancellationToken cancellationToken)
    {
        Established.TrySetResult(negotiated);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnUpdateAsync(BgpSession session, UpdateMessage update, CancellationToken cancellationToken)
    {
        if (UpdateHook is { } hook)
        {
            await hook(update);
        }

        Updates.Enqueue(update);
    }

    public ValueTask OnRouteRefreshAsync(BgpSession session, RouteRefreshMessage message, CancellationToken cancellationToken)
    {
        Refreshes.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnDownAsync(BgpSession session, SessionDown down, CancellationToken cancellationToken)
    {
        Downs.Enqueue(down);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A loopback listener that hands every accepted socket to a callback.</summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackListener(Action<Socket> accepted)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                accepted(socket);
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>A hand-driven BGP peer over a raw socket: the test writes and reads messages itself.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    public RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>A connected pair over loopback: the raw peer's end and the other end for <see cref="BgpSession.Accept"/>.</summary>
    public static async Task<(RawPeer Peer, Socket Accepted)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        return (new RawPeer(client), await accept.WaitAsync(SessionTestKit.WaitTime));
    }

    public Task SendAsync(BgpMessage message) => SendRawAsync(message.ToBytes(CodecContext.Default));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads the next whole message; null when the session closed the connection.</summary>
    public async Task<BgpMessage?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(SessionTestKit.WaitTime);
        var header = new byte[BgpHeader.Size];
        if (!await ReadExactlyAsync(header, timeout.Token))
        {
            return null;
        }

        var length = (header[16] << 8) | header[17];
        var message = new byte[length];
        header.CopyTo(message, 0);
        if (!await ReadExactlyAsync(message.AsMemory(BgpHeader.Size), timeout.Token))
        {
            return null;
        }

        var result = BgpMessage.Decode(message, CodecContext.Default with { ExtendedMessage = true });
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    /// <summary>Reads until a message of type <typeparamref name="T"/>, skipping KEEPALIVEs.</summary>
    public async Task<T> ReadAsync<T>()
        where T : BgpMessage
    {
        for (var i = 0; i < 100; i++)
        {
            var message = await ReadAsync();
            Assert.NotNull(message);
            if (message is T wanted)
            {
                return wanted;
            }

            Assert.IsType<KeepaliveMessage>(message);
        }

        throw new InvalidOperationException($"no {typeof(T).Name} in 100 messages");
    }

    /// <summary>True once the other side closed (after draining what it sent).</summary>
    public async Task<bool> ClosedAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (await ReadAsync() is null)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[read..], cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

internal static class SessionTestKit
{
    public static readonly TimeSpan WaitTime = TimeSpan.FromSeconds(10);

    public static readonly RouterId IdA = RouterId.Parse("198.18.0.1");
    public static readonly RouterId IdB = RouterId.Parse("198.18.0.2");

    public static BgpSession Session(
        RecordingHandler handler, TimeProvider time, RouterId id, uint localAs, uint remoteAs, int port, bool passive = false, Func<PeerOptions, PeerOptions>? tweak = null)
    {
        var peer = new PeerOptions { Address = IPAddress.Loopback, RemoteAs = remoteAs, Port = port, Passive = passive };
        var settings = new SessionSettings { Peer = tweak is null ? peer : tweak(peer), LocalAs = localAs, RouterId = id };
        return new BgpSession(settings, handler, time, NullLogger.Instance, new FixedRandom(1.0));
    }

    /// <summary>The peer's OPEN: AS, hold time and identifier with the usual capabilities.</summary>
    public static OpenMessage PeerOpen(uint asn, RouterId id, ushort hold = 90, bool gracefulRestart = false)
    {
        var capabilities = new List<Capability>
        {
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new RouteRefreshCapability(),
            new FourOctetAsCapability(asn),
        };
        if (gracefulRestart)
        {
            capabilities.Add(new GracefulRestartCapability(false, true, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true) }.ToEquatableArray()));
        }

        return OpenMessage.Create(asn, hold, id, capabilities);
    }

    /// <summary>Waits, in bounded polls, for <paramref name="condition"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitTime;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Plays the peer's side of the OPEN exchange on <paramref name="peer"/> until the session is Established.</summary>
    public static async Task EstablishAsync(RawPeer peer, BgpSession session, OpenMessage open)
    {
        Assert.IsType<OpenMessage>(await peer.ReadAsync());
        await peer.SendAsync(open);
        await peer.SendAsync(KeepaliveMessage.Instance);
        Assert.IsType<KeepaliveMessage>(await peer.ReadAsync());
        await WaitUntilAsync(() => session.State == SessionState.Established, "Established");
    }

    public static UpdateMessage Update(string attributesHex, string nlriHex = "180A0000")
    {
        var result = UpdateMessage.DecodeBody(Wire.UpdateMalformedTests.Body(attributesHex, nlriHex), CodecContext.Default);
        Assert.True(result.IsSuccess);
        return result.Value!;
    }

    public const string GoodAttributes = "40010100" + "400206020100 00FDEA" + "400304C0000201";
}
