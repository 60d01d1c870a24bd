using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using BgpStack.Bgp.Transport;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>A started <see cref="BgpListener"/> whose filter is a delegate and whose accepted sockets queue up for the test.</summary>
internal sealed class ListenerHarness : IAsyncDisposable, IConnectionFilter
{
    private readonly Func<IPEndPoint, IPEndPoint, TransportOptions?> _admit;
    private readonly Channel<(Socket Socket, TransportOptions Options)> _accepted = Channel.CreateUnbounded<(Socket, TransportOptions)>();

    private ListenerHarness(IPEndPoint local, Func<IPEndPoint, IPEndPoint, TransportOptions?> admit)
    {
        _admit = admit;
        Listener = new BgpListener(local, this, (socket, options) => _accepted.Writer.WriteAsync((socket, options)), Log);
    }

    public BgpListener Listener { get; }

    public CapturingLogger Log { get; } = new();

    public ConcurrentQueue<IPEndPoint> Asked { get; } = new();

    /// <summary>Where clients connect: the listener's port on <paramref name="address"/>.</summary>
    public IPEndPoint EndPoint(IPAddress address) => new(address, Listener.LocalEndPoint.Port);

    public static async Task<ListenerHarness> StartAsync(IPAddress address, Func<IPEndPoint, IPEndPoint, TransportOptions?> admit, Action<BgpListener>? configure = null)
    {
        var harness = new ListenerHarness(new IPEndPoint(address, 0), admit);
        configure?.Invoke(harness.Listener);
        await harness.Listener.StartAsync(CancellationToken.None);
        return harness;
    }

    public TransportOptions? Admit(IPEndPoint remote, IPEndPoint local)
    {
        Asked.Enqueue(remote);
        return _admit(remote, local);
    }

    /// <summary>The next accepted socket, within the bound.</summary>
    public async Task<(Socket Socket, TransportOptions Options)> NextAsync(TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? Loopback.Bound);
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when nothing was accepted.</summary>
    public bool NothingAccepted => !_accepted.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        while (_accepted.Reader.TryRead(out var item))
        {
            item.Socket.Dispose();
        }
    }
}

/// <summary>Keeps formatted log lines so tests can assert what was logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
