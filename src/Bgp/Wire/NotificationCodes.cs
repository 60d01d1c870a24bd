namespace BgpStack.Bgp.Wire;

#pragma warning disable CA1028 // wire fields are 8 bits

/// <summary>NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313).</summary>
public enum NotificationCode : byte
{
    /// <summary>Message Header Error (1).</summary>
    MessageHeaderError = 1,

    /// <summary>OPEN Message Error (2).</summary>
    OpenMessageError = 2,

    /// <summary>UPDATE Message Error (3).</summary>
    UpdateMessageError = 3,

    /// <summary>Hold Timer Expired (4).</summary>
    HoldTimerExpired = 4,

    /// <summary>Finite State Machine Error (5).</summary>
    FiniteStateMachineError = 5,

    /// <summary>Cease (6).</summary>
    Cease = 6,

    /// <summary>ROUTE-REFRESH Message Error (7, RFC 7313).</summary>
    RouteRefreshMessageError = 7,
}

/// <summary>Message Header Error subcodes (RFC 4271 §6.1).</summary>
public enum MessageHeaderErrorSubcode : byte
{
    /// <summary>The marker is not all ones.</summary>
    ConnectionNotSynchronized = 1,

    /// <summary>The length is out of range for the message type.</summary>
    BadMessageLength = 2,

    /// <summary>The type is not known.</summary>
    BadMessageType = 3,
}

/// <summary>OPEN Message Error subcodes (RFC 4271 §6.2, RFC 5492, RFC 9234).</summary>
public enum OpenMessageErrorSubcode : byte
{
    /// <summary>The version is not 4; data is the largest supported version.</summary>
    UnsupportedVersionNumber = 1,

    /// <summary>The peer's AS is not the configured one.</summary>
    BadPeerAs = 2,

    /// <summary>The BGP Identifier is not a valid unicast host address.</summary>
    BadBgpIdentifier = 3,

    /// <summary>An optional parameter type is not supported.</summary>
    UnsupportedOptionalParameter = 4,

    /// <summary>Hold time 1 or 2 seconds, or rejected by policy.</summary>
    UnacceptableHoldTime = 6,

    /// <summary>A required capability is missing (RFC 5492); data lists it.</summary>
    UnsupportedCapability = 7,

    /// <summary>BGP role mismatch (RFC 9234).</summary>
    RoleMismatch = 11,
}

/// <summary>UPDATE Message Error subcodes (RFC 4271 §6.3).</summary>
public enum UpdateMessageErrorSubcode : byte
{
    /// <summary>Malformed Attribute List.</summary>
    MalformedAttributeList = 1,

    /// <summary>Unrecognized Well-known Attribute.</summary>
    UnrecognizedWellKnownAttribute = 2,

    /// <summary>Missing Well-known Attribute; data is the missing type code.</summary>
    MissingWellKnownAttribute = 3,

    /// <summary>Attribute Flags Error.</summary>
    AttributeFlagsError = 4,

    /// <summary>Attribute Length Error.</summary>
    AttributeLengthError = 5,

    /// <summary>Invalid ORIGIN Attribute.</summary>
    InvalidOriginAttribute = 6,

    /// <summary>Invalid NEXT_HOP Attribute.</summary>
    InvalidNextHopAttribute = 8,

    /// <summary>Optional Attribute Error.</summary>
    OptionalAttributeError = 9,

    /// <summary>Invalid Network Field.</summary>
    InvalidNetworkField = 10,

    /// <summary>Malformed AS_PATH.</summary>
    MalformedAsPath = 11,
}

/// <summary>Finite State Machine Error subcodes (RFC 6608).</summary>
public enum FsmErrorSubcode : byte
{
    /// <summary>Unspecified error.</summary>
    Unspecified = 0,

    /// <summary>Receive unexpected message in OpenSent state.</summary>
    UnexpectedMessageInOpenSent = 1,

    /// <summary>Receive unexpected message in OpenConfirm state.</summary>
    UnexpectedMessageInOpenConfirm = 2,

    /// <summary>Receive unexpected message in Established state.</summary>
    UnexpectedMessageInEstablished = 3,
}

/// <summary>Cease subcodes (RFC 4486, RFC 8538, RFC 9384).</summary>
public enum CeaseSubcode : byte
{
    /// <summary>Maximum Number of Prefixes Reached; data is AFI, SAFI and the limit.</summary>
    MaximumPrefixesReached = 1,

    /// <summary>Administrative Shutdown; data may be a shutdown communication (RFC 9003).</summary>
    AdministrativeShutdown = 2,

    /// <summary>Peer De-configured.</summary>
    PeerDeconfigured = 3,

    /// <summary>Administrative Reset; data may be a shutdown communication (RFC 9003).</summary>
    AdministrativeReset = 4,

    /// <summary>Connection Rejected.</summary>
    ConnectionRejected = 5,

    /// <summary>Other Configuration Change.</summary>
    OtherConfigurationChange = 6,

    /// <summary>Connection Collision Resolution.</summary>
    ConnectionCollisionResolution = 7,

    /// <summary>Out of Resources.</summary>
    OutOfResources = 8,

    /// <summary>Hard Reset (RFC 8538); data is the inner code, subcode and data.</summary>
    HardReset = 9,

    /// <summary>BFD Down (RFC 9384).</summary>
    BfdDown = 10,
}

/// <summary>ROUTE-REFRESH Message Error subcodes (RFC 7313).</summary>
public enum RouteRefreshErrorSubcode : byte
{
    /// <summary>Invalid Message Length; data is the whole message.</summary>
    InvalidMessageLength = 1,
}

#pragma warning restore CA1028

/// <summary>Names of NOTIFICATION codes and subcodes for logs and CLIs.</summary>
public static class NotificationNames
{
    /// <summary>The name of an error code, e.g. <c>Cease</c>.</summary>
    /// <param name="code">The code.</param>
    public static string CodeName(NotificationCode code) => code switch
    {
        NotificationCode.MessageHeaderError => "Message Header Error",
        NotificationCode.OpenMessageError => "OPEN Message Error",
        NotificationCode.UpdateMessageError => "UPDATE Message Error",
        NotificationCode.HoldTimerExpired => "Hold Timer Expired",
        NotificationCode.FiniteStateMachineError => "Finite State Machine Error",
        NotificationCode.Cease => "Cease",
        NotificationCode.RouteRefreshMessageError => "ROUTE-REFRESH Message Error",
        _ => $"Unknown code {(byte)code}",
    };

    /// <summary>The name of a subcode within its code, e.g. <c>Administrative Shutdown</c>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="subcode">The subcode.</param>
    public static string SubcodeName(NotificationCode code, byte subcode) => (code, subcode) switch
    {
        (NotificationCode.MessageHeaderError, 1) => "Connection Not Synchronized",
        (NotificationCode.MessageHeaderError, 2) => "Bad Message Length",
        (NotificationCode.MessageHeaderError, 3) => "Bad Message Type",
        (NotificationCode.OpenMessageError, 1) => "Unsupported Version Number",
        (NotificationCode.OpenMessageError, 2) => "Bad Peer AS",
        (NotificationCode.OpenMessageError, 3) => "Bad BGP Identifier",
        (NotificationCode.OpenMessageError, 4) => "Unsupported Optional Parameter",
        (NotificationCode.OpenMessageError, 5) => "Authentication Failure (deprecated)",
        (NotificationCode.OpenMessageError, 6) => "Unacceptable Hold Time",
        (NotificationCode.OpenMessageError, 7) => "Unsupported Capability",
        (NotificationCode.OpenMessageError, 11) => "Role Mismatch",
        (NotificationCode.UpdateMessageError, 1) => "Malformed Attribute List",
        (NotificationCode.UpdateMessageError, 2) => "Unrecognized Well-known Attribute",
        (NotificationCode.UpdateMessageError, 3) => "Missing Well-known Attribute",
        (NotificationCode.UpdateMessageError, 4) => "Attribute Flags Error",
        (NotificationCode.UpdateMessageError, 5) => "Attribute Length Error",
        (NotificationCode.UpdateMessageError, 6) => "Invalid ORIGIN Attribute",
        (NotificationCode.UpdateMessageError, 7) => "AS Routing Loop (deprecated)",
        (NotificationCode.UpdateMessageError, 8) => "Invalid NEXT_HOP Attribute",
        (NotificationCode.UpdateMessageError, 9) => "Optional Attribute Error",
        (NotificationCode.UpdateMessageError, 10) => "Invalid Network Field",
        (NotificationCode.UpdateMessageError, 11) => "Malformed AS_PATH",
        (NotificationCode.FiniteStateMachineError, 0) => "Unspecified Error",
        (NotificationCode.FiniteStateMachineError, 1) => "Receive Unexpected Message in OpenSent State",
        (NotificationCode.FiniteStateMachineError, 2) => "Receive Unexpected Message in OpenConfirm State",
        (NotificationCode.FiniteStateMachineError, 3) => "Receive Unexpected Message in Established State",
        (NotificationCode.Cease, 1) => "Maximum Number of Prefixes Reached",
        (NotificationCode.Cease, 2) => "Administrative Shutdown",
        (NotificationCode.Cease, 3) => "Peer De-configured",
        (NotificationCode.Cease, 4) => "Administrative Reset",
        (NotificationCode.Cease, 5) => "Connection Rejected",
        (NotificationCode.Cease, 6) => "Other Configuration Change",
        (NotificationCode.Cease, 7) => "Connection Collision Resolution",
        (NotificationCode.Cease, 8) => "Out of Resources",
        (NotificationCode.Cease, 9) => "Hard Reset",
        (NotificationCode.Cease, 10) => "BFD Down",
        (NotificationCode.RouteRefreshMessageError, 1) => "Invalid Message Length",
        (_, 0) => "Unspecific",
        _ => $"Unknown subcode {subcode}",
    };
}
