using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Sessions;

// Calls to the handler: queued in FSM order under the FSM lock, made outside it, one at a time.
public sealed partial class BgpSession
{
    private void Enqueue(Func<BgpSession, CancellationToken, ValueTask> call) =>
        _handlerWork.Enqueue(ct => call(this, ct));

    // Whoever produced handler work runs the queue, so a read loop waits until its UPDATEs are taken
    // (backpressure). A call the handler makes back into the session leaves the work to the running drain.
    private async Task DrainHandlerWorkAsync()
    {
        if (_draining.Value || _handlerWork.IsEmpty)
        {
            return;
        }

        await _handlerLock.WaitAsync().ConfigureAwait(false);
        _draining.Value = true;
        try
        {
            while (_handlerWork.TryDequeue(out var work))
            {
                try
                {
                    await work(_lifetime.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
                {
                    // Disposed while the handler was busy.
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    SessionLog.HandlerFailed(_logger, PeerAddress, e);
                    await TearDownAfterHandlerFailureAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _draining.Value = false;
            _handlerLock.Release();
        }
    }

    // A failing handler must not take the process down: Cease, then Idle (and the usual restart).
    private async Task TearDownAfterHandlerFailureAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_disposed && _fsm.State != Fsm.SessionState.Idle)
            {
                await DispatchAsync(new Fsm.BgpEvent.AutomaticStop(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.OutOfResources))).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
