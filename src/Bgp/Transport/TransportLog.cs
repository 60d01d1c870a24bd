using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Transport;

/// <summary>The transport's structured log events.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Listening for BGP connections on {LocalEndPoint}")]
    internal static partial void Listening(this ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Refused a connection from {RemoteEndPoint} to {LocalEndPoint}: {Reason}")]
    internal static partial void ConnectionRefused(this ILogger logger, IPEndPoint remoteEndPoint, IPEndPoint localEndPoint, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Accepted a connection from {RemoteEndPoint} to {LocalEndPoint}")]
    internal static partial void ConnectionAccepted(this ILogger logger, IPEndPoint remoteEndPoint, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Accepting a connection on {LocalEndPoint} failed: {Error}")]
    internal static partial void AcceptFailed(this ILogger logger, IPEndPoint localEndPoint, SocketError error);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The connection filter failed for {RemoteEndPoint}; the connection was closed")]
    internal static partial void FilterFailed(this ILogger logger, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Setting up the connection from {RemoteEndPoint} failed; it was closed")]
    internal static partial void SetupFailed(this ILogger logger, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "The accepted-connection handler failed for {RemoteEndPoint}; the connection was closed")]
    internal static partial void HandlerFailed(this ILogger logger, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Stopped listening on {LocalEndPoint}")]
    internal static partial void Stopped(this ILogger logger, IPEndPoint localEndPoint);
}
