namespace BgpStack.Netlink;

/// <summary>A netlink request failed: the kernel refused it, or the socket or the reply was unusable.</summary>
public sealed class NetlinkException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public NetlinkException()
        : this(new NetlinkError(0, null, null, "netlink"))
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NetlinkException(string message)
        : base(message) => Error = new NetlinkError(0, message, null, "netlink");

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NetlinkException(string message, Exception innerException)
        : base(message, innerException) => Error = new NetlinkError(0, message, null, "netlink");

    /// <summary>Creates an exception for a refused request.</summary>
    /// <param name="error">The kernel's answer.</param>
    public NetlinkException(NetlinkError error)
        : base(error?.ToString()) => Error = error ?? throw new ArgumentNullException(nameof(error));

    /// <summary>The error: errno, kernel message, request.</summary>
    public NetlinkError Error { get; }

    /// <summary>The positive errno value (0 when the failure was not an errno).</summary>
    public int Errno => Error.Errno;
}
