using System.Net;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Wire;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Sessions;

/// <summary>The session's structured log events; every one names the peer.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Peer {Peer}: {From} -> {To} ({Info})")]
    public static partial void StateChanged(ILogger logger, IPAddress peer, SessionState from, SessionState to, string info);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Peer {Peer}: sent {Notification}")]
    public static partial void NotificationSent(ILogger logger, IPAddress peer, NotificationMessage notification);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Peer {Peer}: received {Notification}")]
    public static partial void NotificationReceived(ILogger logger, IPAddress peer, NotificationMessage notification);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Peer {Peer}: connection {Local} <- {Remote} accepted as the {Role} connection")]
    public static partial void ConnectionAccepted(ILogger logger, IPAddress peer, IPEndPoint local, IPEndPoint remote, string role);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Peer {Peer}: connection from {Remote} refused in state {State}")]
    public static partial void ConnectionRefused(ILogger logger, IPAddress peer, IPEndPoint remote, SessionState state);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Peer {Peer}: connecting to {Remote} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, IPAddress peer, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Peer {Peer}: connected {Local} -> {Remote}")]
    public static partial void Connected(ILogger logger, IPAddress peer, IPEndPoint local, IPEndPoint remote);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Peer {Peer}: connection collision (identifiers {Local} and {Remote}): keeping {Kept}, closing {Closed}")]
    public static partial void Collision(ILogger logger, IPAddress peer, RouterId local, RouterId remote, IPEndPoint kept, IPEndPoint closed);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Peer {Peer}: OPEN refused: {Error}")]
    public static partial void OpenRefused(ILogger logger, IPAddress peer, BgpError error);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Peer {Peer}: message error: {Error}")]
    public static partial void MessageError(ILogger logger, IPAddress peer, BgpError error);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Peer {Peer}: UPDATE with attribute errors kept the session (RFC 7606): {Errors}")]
    public static partial void AttributeErrors(ILogger logger, IPAddress peer, string errors);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Peer {Peer}: the session handler failed; tearing the session down")]
    public static partial void HandlerFailed(ILogger logger, IPAddress peer, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Peer {Peer}: established with AS {RemoteAs} identifier {RemoteRouterId}, hold time {HoldTime}")]
    public static partial void Established(ILogger logger, IPAddress peer, uint remoteAs, RouterId remoteRouterId, TimeSpan holdTime);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "Peer {Peer}: unexpected failure in the session")]
    public static partial void Unexpected(ILogger logger, IPAddress peer, Exception exception);
}
