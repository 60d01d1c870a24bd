using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BgpStack.Daemon.Tests.Control;

/// <summary>A raw client of the control socket: sends lines, reads lines, every read bounded in time.</summary>
internal sealed class ControlConnection : IDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;

    public ControlConnection(string path)
    {
        socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        stream = new NetworkStream(socket, ownsSocket: true);
        reader = new StreamReader(stream, Encoding.UTF8);
    }

    public void Send(string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    public void Send(byte[] bytes) => stream.Write(bytes);

    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("the server closed the connection");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    public async Task<JsonElement> AskAsync(string request)
    {
        Send(request + "\n");
        return await ReadAsync();
    }

    public void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
    }
}
