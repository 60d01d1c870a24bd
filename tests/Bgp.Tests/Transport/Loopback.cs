using System.Net;
using System.Net.Sockets;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>Connected TCP socket pairs over loopback on ephemeral ports.</summary>
internal static class Loopback
{
    /// <summary>The bound on every wait in these tests.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    /// <summary>A connected pair: (client, server). <paramref name="serverReceiveBuffer"/> is set before listen so the window starts small.</summary>
    public static async Task<(Socket Client, Socket Server)> PairAsync(IPAddress? address = null, int? serverReceiveBuffer = null, int? clientSendBuffer = null)
    {
        address ??= IPAddress.Loopback;
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (serverReceiveBuffer is { } receive)
        {
            listener.ReceiveBufferSize = receive;
        }

        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(1);
        var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (clientSendBuffer is { } send)
        {
            client.SendBufferSize = send;
        }

        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Bound);
        var server = await accept.WaitAsync(Bound);
        return (client, server);
    }

    /// <summary>Reads exactly <paramref name="count"/> octets or fails within the bound.</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(Bound);
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            Assert.True(n > 0, $"the stream ended after {read} of {count} octets");
            read += n;
        }

        return buffer;
    }
}
