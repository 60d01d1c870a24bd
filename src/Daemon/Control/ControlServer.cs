using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace BgpStack.Control;

/// <summary>
/// The daemon's control socket: a Unix stream socket (mode 0600) taking one JSON request per line
/// and answering one JSON response per line, in order, per connection. Every connection is served
/// on its own task, so a slow or silent client delays nobody else; a malformed request gets an
/// error response and the connection stays usable.
/// </summary>
internal sealed partial class ControlServer : IAsyncDisposable
{
    /// <summary>The longest request line accepted; longer ones are answered with an error and skipped.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>The most connections served at once; a further one is told so and closed.</summary>
    public const int MaxConnections = 64;

    private readonly IControlHandler handler;
    private readonly ILogger logger;
    private readonly Action<string, bool>? counted;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock connectionsLock = new();
    private readonly HashSet<Task> connections = [];
    private Socket? listener;
    private Task? acceptLoop;
    private int disposed;

    /// <summary>Creates a server for <paramref name="path"/>; <see cref="Start"/> binds it.</summary>
    /// <param name="path">The socket file.</param>
    /// <param name="handler">Answers the commands.</param>
    /// <param name="logger">Where connection problems are logged.</param>
    /// <param name="counted">Told each request's command and whether it succeeded (metrics).</param>
    public ControlServer(string path, IControlHandler handler, ILogger logger, Action<string, bool>? counted = null)
    {
        this.counted = counted;
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        this.handler = handler;
        this.logger = logger;
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>
    /// Binds the socket (replacing a stale socket file nobody listens on), makes it 0600 before it
    /// accepts anything, and starts accepting.
    /// </summary>
    /// <exception cref="IOException">The path is a directory, another process serves it, or it cannot be bound.</exception>
    public void Start()
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("The control server is already started.");
        }

        if (Directory.Exists(Path))
        {
            throw new IOException($"control socket {Path} is a directory");
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        if (File.Exists(Path))
        {
            if (IsServed(Path))
            {
                throw new IOException($"control socket {Path} is in use by another process (is bgpstackd already running?)");
            }

            // Left behind by a daemon that did not stop cleanly: nobody answers on it.
            File.Delete(Path);
            Log.StaleSocketRemoved(logger, Path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(Path));

            // Connecting needs listen(), so nobody can connect between bind and this chmod.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(32);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"cannot bind control socket {Path}: {ex.Message}", ex);
        }

        listener = socket;
        acceptLoop = AcceptLoopAsync(socket, stopping.Token);
        Log.Listening(logger, Path);
    }

    /// <summary>Stops accepting, closes every connection, and removes the socket file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Dispose();
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        Task[] open;
        lock (connectionsLock)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        if (listener is not null)
        {
            TryDelete(Path);
        }

        stopping.Dispose();
    }

    private static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RemoveFailed(logger, path, ex.Message);
        }
    }

    private async Task AcceptLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Transient (EMFILE, ECONNABORTED): keep serving the others after a short pause.
                Log.AcceptFailed(logger, ex.Message);
                try
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            int open;
            lock (connectionsLock)
            {
                open = connections.Count;
            }

            if (open >= MaxConnections)
            {
                Log.TooManyConnections(logger, MaxConnections);
                Track(RefuseAsync(client, cancellationToken));
                continue;
            }

            Track(ServeAsync(client, cancellationToken));
        }
    }

    private static async Task RefuseAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(Error($"too many control connections (at most {MaxConnections})"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // The client is gone or we are stopping: nothing more to tell it.
            }
        }
    }

    private void Track(Task connection)
    {
        lock (connectionsLock)
        {
            connections.Add(connection);
        }

        connection.ContinueWith(
            t =>
            {
                lock (connectionsLock)
                {
                    connections.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        var stream = new NetworkStream(client, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new LineReader(MaxRequestBytes);
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    reader.Append(buffer.AsSpan(0, read));
                    while (reader.TryTakeLine(out var line, out var tooLong))
                    {
                        string? command = null;
                        var response = tooLong
                            ? Error($"request longer than {MaxRequestBytes} bytes")
                            : await AnswerAsync(line, c => command = c, cancellationToken).ConfigureAwait(false);
                        if (response is null)
                        {
                            continue;
                        }

                        // An error answer starts {"ok":false: the serializer writes ok first.
                        counted?.Invoke(command ?? "invalid", response.AsSpan().StartsWith("{\"ok\":true"u8));

                        await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The daemon is stopping.
            }
            catch (IOException ex)
            {
                Log.ConnectionFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>Answers one request line; null for a blank line (nothing to answer).</summary>
    internal async Task<byte[]?> AnswerAsync(ReadOnlyMemory<byte> line, Action<string> command, CancellationToken cancellationToken)
    {
        if (IsBlank(line.Span))
        {
            return null;
        }

        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line.Span, ControlJsonContext.Default.ControlRequest);
        }
        catch (JsonException ex)
        {
            return Error($"malformed request: {ex.Message}");
        }

        if (request?.Command is null)
        {
            return Error("malformed request: no \"command\"");
        }

        command(request.Command is ControlCommands.Status or ControlCommands.Routes or ControlCommands.Reload or ControlCommands.Fib or ControlCommands.GracefulRestart
            ? request.Command
            : "unknown");

        try
        {
            switch (request.Command)
            {
                case ControlCommands.Status:
                    return Ok(await handler.GetStatusAsync(cancellationToken).ConfigureAwait(false), ControlJsonContext.Default.ControlResponseStatusResult);
                case ControlCommands.Routes:
                    IpPrefix? prefix = null;
                    if (request.Prefix is not null)
                    {
                        if (!IpPrefix.TryParse(request.Prefix, out var parsed))
                        {
                            return Error($"not a prefix: '{request.Prefix}'");
                        }

                        prefix = parsed;
                    }

                    return Ok(await handler.GetRoutesAsync(prefix, cancellationToken).ConfigureAwait(false), ControlJsonContext.Default.ControlResponseRoutesResult);
                case ControlCommands.Reload:
                    return Ok(await handler.ReloadAsync(cancellationToken).ConfigureAwait(false), ControlJsonContext.Default.ControlResponseReloadResult);
                case ControlCommands.GracefulRestart:
                    return Ok(await handler.GracefulRestartAsync(cancellationToken).ConfigureAwait(false), ControlJsonContext.Default.ControlResponseStopResult);
                case ControlCommands.Fib:
                    return Ok(await handler.GetFibAsync(cancellationToken).ConfigureAwait(false), ControlJsonContext.Default.ControlResponseFibResult);
                default:
                    return Error($"unknown command '{request.Command}' (known: status, routes, fib, reload, graceful-restart)");
            }
        }
        catch (ControlCommandException ex)
        {
            return Error(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // one failing command must not end the connection or the daemon; the client sees why
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CommandFailed(logger, request.Command, ex);
            return Error($"{request.Command} failed: {ex.Message}");
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Ok<T>(T result, JsonTypeInfo<ControlResponse<T>> typeInfo)
        where T : class => WithNewline(JsonSerializer.SerializeToUtf8Bytes(new ControlResponse<T> { Ok = true, Result = result }, typeInfo));

    private static byte[] Error(string message) =>
        WithNewline(JsonSerializer.SerializeToUtf8Bytes(new ControlError { Error = message }, ControlJsonContext.Default.ControlError));

    private static byte[] WithNewline(byte[] json)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Control socket listening on {Path}")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Removed stale control socket {Path}")]
        public static partial void StaleSocketRemoved(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot remove control socket {Path}: {Reason}")]
        public static partial void RemoveFailed(ILogger logger, string path, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Control socket accept failed: {Reason}")]
        public static partial void AcceptFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a control connection: {Max} are open")]
        public static partial void TooManyConnections(ILogger logger, int max);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Control connection ended: {Reason}")]
        public static partial void ConnectionFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Control command {Command} failed")]
        public static partial void CommandFailed(ILogger logger, string command, Exception exception);
    }
}
