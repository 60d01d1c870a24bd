using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Sessions.Negotiation;
using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Sessions;

/// <summary>
/// One BGP session with one peer: drives the RFC 4271 state machine over the transport. It turns
/// connections, messages and timer expiries into FSM events and carries out the FSM's actions;
/// collision detection (§6.8) chooses between two connections; the peer's messages are read one
/// batch at a time (at most <see cref="SessionSettings.MessagesPerTurn"/>, then other peers get a
/// turn) and handed to the <see cref="ISessionHandler"/>.
/// </summary>
/// <remarks>
/// The FSM runs under one lock; the handler is never called under it, so a handler may call back
/// into the session. The hold timer is restarted by octets arriving, the keepalive timer by every
/// KEEPALIVE or UPDATE we send. Timers come from the <see cref="TimeProvider"/> given.
/// </remarks>
public sealed partial class BgpSession : IAsyncDisposable
{
    private static readonly TimerCallback TimerFired = static state =>
    {
        var slot = (TimerSlot)state!;
        _ = slot.Session.OnTimerAsync(slot);
    };

    private readonly SessionSettings _settings;
    private readonly ISessionHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly FsmSettings _fsmSettings;
    private readonly TransportOptions _transport;
    private readonly IPEndPoint _remote;
    private readonly OpenMessage _localOpen;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _handlerLock = new(1, 1);
    private readonly ConcurrentQueue<Func<CancellationToken, ValueTask>> _handlerWork = new();
    private readonly AsyncLocal<bool> _draining = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TimerSlot[] _timers;
    private readonly List<Task> _background = [];
    private readonly List<Task> _closing = [];

    private FsmState _fsm;
    private SessionConnection? _primary;
    private SessionConnection? _candidate;
    private CancellationTokenSource? _connectAttempt;
    private NegotiatedSession? _negotiated;
    private NotificationMessage? _sentNotification;
    private NotificationMessage? _receivedNotification;
    private string? _connectError;
    private volatile SessionState _state;
    private volatile string _info = "Idle";
    private long _sinceTicks;
    private bool _disposed;

    /// <summary>Creates an idle session; <see cref="Start"/> starts it.</summary>
    /// <param name="settings">The peer and our identity.</param>
    /// <param name="handler">Receives state changes, UPDATEs and the session's end.</param>
    /// <param name="time">The clock for every timer.</param>
    /// <param name="logger">Where peer events are logged.</param>
    /// <exception cref="ArgumentException">The settings cannot make a valid OPEN (say a hold time of 2 seconds).</exception>
    public BgpSession(SessionSettings settings, ISessionHandler handler, TimeProvider time, ILogger logger)
        : this(settings, handler, time, logger, Random.Shared)
    {
    }

    internal BgpSession(SessionSettings settings, ISessionHandler handler, TimeProvider time, ILogger logger, Random random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MessagesPerTurn, 1);
        _settings = settings;
        _handler = handler;
        _time = time;
        _logger = logger;
        _random = random;
        _localOpen = OpenBuilder.Build(settings);
        _fsmSettings = FsmSettings.From(settings.Peer) with { Passive = settings.Peer.Passive || settings.IsDynamic };
        _transport = SessionTransport.Options(settings);
        _transport.Validate();
        _remote = new IPEndPoint(settings.Peer.Address, settings.Peer.Port);
        _fsm = FsmState.Initial(_fsmSettings);
        _sinceTicks = time.GetUtcNow().UtcTicks;
        _timers = new TimerSlot[Enum.GetValues<FsmTimer>().Length];
        for (var i = 0; i < _timers.Length; i++)
        {
            _timers[i] = new TimerSlot(this, (FsmTimer)i);
        }
    }

    /// <summary>True while the DelayOpen timer runs (a connection is up, our OPEN held back); for tests.</summary>
    internal bool DelayOpenTimerRunning => _fsm.DelayOpenTimerRunning;

    /// <summary>How long until the hold timer expires, zero when it is not running; for tests.</summary>
    internal TimeSpan HoldTimerRemaining => _timers[(int)FsmTimer.Hold].Remaining;

    /// <summary>The session's settings.</summary>
    public SessionSettings Settings => _settings;

    /// <summary>The peer's address.</summary>
    public IPAddress PeerAddress => _settings.Peer.Address;

    /// <summary>The current state.</summary>
    public SessionState State => _state;

    /// <summary>When the session entered its current state.</summary>
    public DateTimeOffset Since => new(Interlocked.Read(ref _sinceTicks), TimeSpan.Zero);

    /// <summary>Why the session is in its current state, for status output.</summary>
    public string Info => _info;

    /// <summary>What the OPENs agreed on while the session is Established; null otherwise.</summary>
    public NegotiatedSession? Negotiated => Volatile.Read(ref _negotiated);

    /// <summary>
    /// Starts the session (ManualStart, RFC 4271 event 1): it connects to the peer and accepts the
    /// peer's connection, or only accepts when the peer is passive or dynamic (event 4). After a
    /// failure it starts again by itself after the idle hold time, which doubles on repeated flaps.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        BgpEvent start = _fsmSettings.Passive ? new BgpEvent.ManualStartWithPassiveTcpEstablishment() : new BgpEvent.ManualStart();
        Track(RunAsync(start, CancellationToken.None));
    }

    /// <summary>
    /// Stops the session (ManualStop, event 2): sends Cease / Administrative Shutdown with the
    /// shutdown communication (RFC 9003; inside a Hard Reset when both sides set the graceful
    /// restart N bit, RFC 8538) and stays Idle until <see cref="Start"/>.
    /// </summary>
    /// <param name="shutdownMessage">The message for the peer's operator; null sends none.</param>
    /// <param name="cancellationToken">Cancels waiting for the session.</param>
    /// <returns>A task that completes when the NOTIFICATION is out and the connection closed.</returns>
    public async Task StopAsync(string? shutdownMessage, CancellationToken cancellationToken)
    {
        var cease = shutdownMessage is null
            ? new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.AdministrativeShutdown)
            : NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, shutdownMessage);
        await RunAsync(new BgpEvent.ManualStop(cease), cancellationToken).ConfigureAwait(false);
        await WaitForClosesAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Tears the session down with <paramref name="notification"/> (AutomaticStop, event 8), as for
    /// a max-prefix violation; the session starts again after the idle hold time.
    /// </summary>
    /// <param name="notification">The NOTIFICATION to send (a Cease, usually).</param>
    /// <param name="cancellationToken">Cancels waiting for the session.</param>
    /// <returns>A task that completes when the NOTIFICATION is out and the connection closed.</returns>
    public async Task TeardownAsync(NotificationMessage notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await RunAsync(new BgpEvent.AutomaticStop(notification), cancellationToken).ConfigureAwait(false);
        await WaitForClosesAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Hands the session an inbound connection the listener matched to this peer. Refused in Idle;
    /// tracked as a second connection for collision detection (§6.8) while OPENs are exchanged.
    /// The session owns the socket from here on.
    /// </summary>
    /// <param name="socket">The accepted socket.</param>
    public void Accept(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        BgpConnection connection;
        try
        {
            connection = new BgpConnection(socket, _transport);
        }
        catch (ArgumentException)
        {
            // Reset by the peer before we got to it.
            socket.Dispose();
            return;
        }

        Track(AcceptAsync(connection));
    }

    /// <summary>
    /// Sends UPDATEs (or any whole messages) written straight into the transport, encoded with
    /// <see cref="NegotiatedSession.SendContext"/>; waits while the peer is not reading. Restarts
    /// the keepalive timer. If the connection breaks meanwhile the octets are dropped; the session
    /// reports the drop through <see cref="ISessionHandler.OnDownAsync"/>.
    /// </summary>
    /// <param name="write">Writes whole messages; returns the octets written.</param>
    /// <param name="cancellationToken">Cancels waiting for the peer.</param>
    /// <returns>A task that completes when the octets are queued.</returns>
    /// <exception cref="InvalidOperationException">The session is not Established.</exception>
    public async ValueTask SendAsync(Func<IBufferWriter<byte>, int> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var connection = EstablishedConnection();
        try
        {
            await connection.Connection.SendAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return;
        }

        // §8.2.2: each KEEPALIVE or UPDATE we send restarts the keepalive timer.
        _timers[(int)FsmTimer.Keepalive].Extend();
    }

    /// <summary>Sends one message (an UPDATE, ROUTE-REFRESH, End-of-RIB...) as <see cref="SendAsync(Func{IBufferWriter{byte}, int}, CancellationToken)"/> does.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels waiting for the peer.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="InvalidOperationException">The session is not Established.</exception>
    public ValueTask SendAsync(BgpMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = EstablishedConnection().Connection.SendContext;
        return SendAsync(writer => message.Encode(writer, context), cancellationToken);
    }

    /// <summary>
    /// Stops the session (Cease / Peer De-configured if it was running), closes its connections and
    /// timers, and waits for its loops.
    /// </summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public ValueTask DisposeAsync() => new(FinishAsync(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.PeerDeconfigured)));

    /// <summary>
    /// Ends the session as a restarting speaker does (RFC 4724 §4.1): the connections are closed
    /// without a NOTIFICATION, so a peer that helps with graceful restart keeps our routes as stale
    /// until we are back and have sent End-of-RIB. The session is finished afterwards (as after
    /// <see cref="DisposeAsync"/>); the handler is not told the session went down.
    /// </summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public Task CloseForRestartAsync() => FinishAsync(null);

    // Ends the session for good: through the FSM with a NOTIFICATION (ManualStop), or, for a
    // restart, by closing the connections without one; then waits for the loops and the closes.
    private async Task FinishAsync(NotificationMessage? cease)
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

            if (cease is not null)
            {
                await DispatchAsync(new BgpEvent.ManualStop(cease)).ConfigureAwait(false);
            }

            _disposed = true;
            CancelConnectAttempt();
            foreach (var slot in _timers)
            {
                slot.Dispose();
            }

            if (cease is null)
            {
                Close(ref _candidate);
                Close(ref _primary);
            }
        }
        finally
        {
            _gate.Release();
        }

        await DrainHandlerWorkAsync().ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_background)
        {
            pending = [.. _background];
        }

        await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await WaitForClosesAsync().ConfigureAwait(false);
    }

    /// <summary>Text such as <c>BGP session 198.18.0.2 AS 65002 Established</c>.</summary>
    public override string ToString() => $"BGP session {PeerAddress} AS {_settings.Peer.RemoteAs} {State}";

    private SessionConnection EstablishedConnection()
    {
        var connection = Volatile.Read(ref _primary);
        if (_state != SessionState.Established || connection is null)
        {
            throw new InvalidOperationException($"The session with {PeerAddress} is {_state}, not Established.");
        }

        return connection;
    }

    private void Track(Task task)
    {
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    private void TrackClose(Task close)
    {
        lock (_closing)
        {
            _closing.RemoveAll(t => t.IsCompleted);
            _closing.Add(close);
        }
    }

    private async Task WaitForClosesAsync()
    {
        Task[] closes;
        lock (_closing)
        {
            closes = [.. _closing];
        }

        await Task.WhenAll(closes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Runs one event under the FSM lock, then hands the handler what the event produced.
    private async Task RunAsync(BgpEvent fsmEvent, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                await DispatchAsync(fsmEvent).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SessionLog.Unexpected(_logger, PeerAddress, e);
        }
        finally
        {
            _gate.Release();
        }

        await DrainHandlerWorkAsync().ConfigureAwait(false);
    }
}
