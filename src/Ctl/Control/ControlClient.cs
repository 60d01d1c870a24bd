using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BgpStack.Control;

namespace BgpStack.Ctl.Control;

/// <summary>Sends one request to bgpstackd's control socket and reads its answer.</summary>
internal static class ControlClient
{
    /// <summary>The default socket path (the daemon's <c>control-socket</c> default).</summary>
    public const string DefaultSocketPath = "/run/bgpstack/bgpstackd.sock";

    /// <summary>The environment variable that overrides <see cref="DefaultSocketPath"/>.</summary>
    public const string SocketVariable = "BGPSTACK_SOCKET";

    /// <summary>How long the daemon may take to answer (a full table takes a while).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The socket to use: the option, else <see cref="SocketVariable"/>, else <see cref="DefaultSocketPath"/>.</summary>
    /// <param name="option">The <c>--socket</c> value, if given.</param>
    /// <param name="environment">The value of <see cref="SocketVariable"/>, if set.</param>
    public static string ResolveSocketPath(string? option, string? environment) =>
        !string.IsNullOrEmpty(option) ? option : !string.IsNullOrEmpty(environment) ? environment : DefaultSocketPath;

    /// <summary>Sends <paramref name="request"/> and returns the daemon's result.</summary>
    /// <typeparam name="T">The result type of the command.</typeparam>
    /// <param name="path">The socket path.</param>
    /// <param name="request">The request.</param>
    /// <param name="typeInfo">The response's serializer.</param>
    /// <exception cref="ControlClientException">The daemon cannot be reached, answered nonsense, or refused the request.</exception>
    public static T Send<T>(string path, ControlRequest request, JsonTypeInfo<ControlResponse<T>> typeInfo)
        where T : class
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex)
        {
            throw new ControlClientException($"cannot reach bgpstackd at {path}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // An over-long path: sockaddr_un holds about 107 bytes.
            throw new ControlClientException($"cannot reach bgpstackd at {path}: {ex.Message}", ex);
        }

        string? line;
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false) { ReadTimeout = (int)Timeout.TotalMilliseconds, WriteTimeout = (int)Timeout.TotalMilliseconds };
            var json = JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest);
            stream.Write(json);
            stream.WriteByte((byte)'\n');
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            line = reader.ReadLine();
        }
        catch (IOException ex)
        {
            throw new ControlClientException($"lost bgpstackd at {path}: {ex.Message}", ex);
        }

        if (line is null)
        {
            throw new ControlClientException($"bgpstackd at {path} closed the connection without answering");
        }

        ControlResponse<T>? response;
        try
        {
            response = JsonSerializer.Deserialize(line, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new ControlClientException($"bgpstackd at {path} answered with invalid JSON: {ex.Message}", ex);
        }

        if (response is null || (!response.Ok && response.Error is null) || (response.Ok && response.Result is null))
        {
            throw new ControlClientException($"bgpstackd at {path} answered without a result or an error");
        }

        return response.Ok ? response.Result! : throw new ControlClientException($"bgpstackd: {response.Error}");
    }
}

/// <summary>A control request failed; the message is ready for the user.</summary>
internal sealed class ControlClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlClientException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What went wrong, for the user.</param>
    public ControlClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What went wrong, for the user.</param>
    /// <param name="innerException">The cause.</param>
    public ControlClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
