namespace BgpStack.Control;

/// <summary>
/// What the control server asks of the daemon. Implementations answer by sending messages to the
/// loops that own the data (the speaker's async methods), never by locking shared state, so many
/// clients may call at once.
/// </summary>
internal interface IControlHandler
{
    /// <summary>The daemon's identity and every peer's session.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<StatusResult> GetStatusAsync(CancellationToken cancellationToken);

    /// <summary>The Loc-RIB, or a prefix and its more-specifics.</summary>
    /// <param name="prefix">The covering prefix; null for the whole table.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<RoutesResult> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken);

    /// <summary>Re-reads the configuration file and applies what changed.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ControlCommandException">The configuration has errors (the running one stays) or there is no file to read.</exception>
    Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken);

    /// <summary>Stops the daemon for a graceful restart; answers before the sessions close.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<StopResult> GracefulRestartAsync(CancellationToken cancellationToken);

    /// <summary>Our routes in the kernel table and how they differ from the RIB's selected routes.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ControlCommandException">Kernel routes are not enabled.</exception>
    Task<FibResult> GetFibAsync(CancellationToken cancellationToken);
}

/// <summary>A command failed for a reason the client should see verbatim (a config error, say).</summary>
internal sealed class ControlCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlCommandException()
    {
    }

    /// <summary>Creates the exception with the message the client sees.</summary>
    /// <param name="message">The message.</param>
    public ControlCommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message the client sees and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ControlCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
