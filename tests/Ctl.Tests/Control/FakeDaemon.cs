using System.Net.Sockets;
using System.Text;

namespace BgpStack.Ctl.Tests.Control;

/// <summary>A one-connection stand-in for bgpstackd: records the request line and answers with a canned line.</summary>
internal sealed class FakeDaemon : IDisposable
{
    private readonly string directory;
    private readonly Socket listener;
    private readonly Task<string?> served;

    public FakeDaemon(string answer)
    {
        directory = Directory.CreateTempSubdirectory("bgpstackctl-").FullName;
        SocketPath = Path.Combine(directory, "ctl.sock");
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(1);
        served = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var client = await listener.AcceptAsync(timeout.Token);
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var request = await reader.ReadLineAsync(timeout.Token);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(answer + "\n"), timeout.Token);
            return request;
        });
    }

    public string SocketPath { get; }

    /// <summary>The request line the CLI sent.</summary>
    public string? Request => served.Wait(TimeSpan.FromSeconds(10)) ? served.Result : throw new TimeoutException("the CLI never connected");

    public void Dispose()
    {
        listener.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
