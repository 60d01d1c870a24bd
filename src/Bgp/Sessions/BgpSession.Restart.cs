namespace BgpStack.Bgp.Sessions;

/// <summary>Ending a session the way a restarting speaker does.</summary>
public sealed partial class BgpSession
{
    /// <summary>
    /// Ends the session as a restarting speaker does (RFC 4724 §4.1): the connections are closed
    /// without a NOTIFICATION, so a peer that helps with graceful restart keeps our routes as stale
    /// until we are back and have sent End-of-RIB. The session is finished afterwards (as after
    /// <see cref="DisposeAsync"/>); the handler is not told the session went down.
    /// </summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async Task CloseForRestartAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CancelConnectAttempt();
            foreach (var slot in _timers)
            {
                slot.Dispose();
            }

            Close(ref _candidate);
            Close(ref _primary);
        }
        finally
        {
            _gate.Release();
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_background)
        {
            pending = [.. _background];
        }

        await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await WaitForClosesAsync().ConfigureAwait(false);
    }
}
