using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using BgpStack.Bgp.Transport.Interop;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// A connected BGP transport: a receive loop fills a bounded input pipe from the socket and a send
/// loop drains a bounded output pipe into it. <see cref="ReadAsync"/> frames whole messages by
/// their headers and hands them out in pooled batches; <see cref="SendAsync(BgpMessage, CancellationToken)"/>
/// serialises writers and waits while the peer is not reading (backpressure).
/// </summary>
/// <remarks>
/// <para>One reader at a time (the session's loop); any number of concurrent senders (keepalive
/// timer, UPDATE writer), serialised by a lock held until the flush returns.</para>
/// <para>While no bytes arrive the receive loop waits with a zero-byte receive and holds no buffer,
/// and consumed pipe segments go back to the shared pool, so an idle connection holds no buffers.
/// Small messages are packed densely into the output pipe whatever size the encoder asks for.</para>
/// <para>Peer input never throws: a bad header is a <see cref="MessageBatch.FramingError"/>, a close
/// or reset is <see cref="MessageBatch.Completed"/> (with <see cref="ReceiveError"/>). Sending on a
/// broken connection throws <see cref="IOException"/> and ends the receive side too.</para>
/// <para>Addresses are reported as IPv4 when the socket is dual-stack and the peer IPv4-mapped.</para>
/// </remarks>
public sealed class BgpConnection : IAsyncDisposable
{
    private const int MinimumReadSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly TransportOptions _options;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task? _receiveLoop;
    private readonly Task _sendLoop;
    private readonly MessageReader _reader;
    private readonly PackingWriter _packing;
    private int _disposed;

    // 0 idle, 1 a ReadAsync is running, 2 disposed (the reader was completed).
    private int _readState;

    /// <summary>Wraps a connected socket (from <see cref="BgpConnector"/> or <see cref="BgpListener"/>) and starts its loops; the connection owns the socket.</summary>
    /// <param name="socket">A connected TCP socket.</param>
    /// <param name="options">The peer's transport options (buffer bounds; TTL and MD5 are already on the socket).</param>
    /// <exception cref="ArgumentException">The socket is not connected, or an option is out of range.</exception>
    public BgpConnection(Socket socket, TransportOptions options)
        : this(socket, options, pool: null)
    {
    }

    /// <summary>Wraps a socket with pipes that rent from <paramref name="pool"/> (tests count rentals to prove idle connections hold none).</summary>
    /// <param name="socket">A connected TCP socket.</param>
    /// <param name="options">The peer's transport options.</param>
    /// <param name="pool">The pool; null for the shared one.</param>
    internal BgpConnection(Socket socket, TransportOptions options, MemoryPool<byte>? pool)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!socket.Connected || socket.RemoteEndPoint is not IPEndPoint remote || socket.LocalEndPoint is not IPEndPoint local)
        {
            throw new ArgumentException("The socket is not a connected TCP socket.", nameof(socket));
        }

        _socket = socket;
        _options = options;
        RemoteEndPoint = TransportSocket.Normalize(remote);
        LocalEndPoint = TransportSocket.Normalize(local);

        // The receive side must hold at least two largest messages, or one that straddles the
        // threshold could never be completed (the reader consumes only whole messages).
        var inputLimit = Math.Max(options.MaxBufferedBytes, 2L * CodecContext.ExtendedMaxMessageLength);
        _input = new Pipe(new PipeOptions(
            pool: pool,
            pauseWriterThreshold: inputLimit,
            resumeWriterThreshold: inputLimit / 2,
            minimumSegmentSize: MinimumReadSize,
            useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pool: pool,
            minimumSegmentSize: MinimumReadSize,
            pauseWriterThreshold: options.MaxBufferedBytes,
            resumeWriterThreshold: options.MaxBufferedBytes / 2,
            useSynchronizationContext: false));
        _packing = new PackingWriter(_output.Writer);
        _reader = new MessageReader(_input.Reader);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Our end of the connection.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer's end of the connection.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>
    /// The receive context framing checks lengths against: 4096 octets until extended messages are
    /// negotiated (RFC 8654), 65535 after. Set it once the OPENs are exchanged; the next read uses it.
    /// </summary>
    public CodecContext Context
    {
        get => _reader.Context;
        set => _reader.Context = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The send context <see cref="SendAsync(BgpMessage, CancellationToken)"/> encodes with; set it once the OPENs are exchanged.</summary>
    public CodecContext SendContext { get; set; } = CodecContext.Default;

    /// <summary>
    /// Called on the receive loop whenever octets arrive, even part of a message, so the session can
    /// restart its hold timer (the hold timer is reset by bytes arriving, not by processing them).
    /// Set it once before the first <see cref="ReadAsync"/>: the receive loop starts with that read,
    /// so no arrival is missed. It must be cheap, must not throw and must not dispose the connection
    /// (disposing waits for the receive loop it runs on).
    /// </summary>
    public Action? BytesReceived { get; set; }

    /// <summary>
    /// Why the receive side ended: <see cref="SocketError.Success"/> while open or after an orderly
    /// close by the peer, otherwise the socket error (for example <see cref="SocketError.ConnectionReset"/>).
    /// </summary>
    public SocketError ReceiveError { get; private set; }

    /// <summary>The error that stopped the send loop, or <see cref="SocketError.Success"/>.</summary>
    public SocketError SendError { get; private set; }

    /// <summary>
    /// Waits for at least one whole message, or the end of the stream, or a header error, and
    /// returns up to <paramref name="maxMessages"/> whole messages copied into one pooled buffer.
    /// Dispose the batch when done with it. Only one read may be outstanding at a time.
    /// </summary>
    /// <param name="maxMessages">The cap on messages per batch (so one busy peer cannot starve others).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A batch: messages, and possibly <see cref="MessageBatch.Completed"/> or <see cref="MessageBatch.FramingError"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessages"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<MessageBatch> ReadAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        switch (Interlocked.CompareExchange(ref _readState, 1, 0))
        {
            case 1:
                throw new InvalidOperationException("Another read is in progress on this connection.");
            case 2:
                throw new ObjectDisposedException(nameof(BgpConnection));
        }

        try
        {
            _ = EnsureReceiving();
            return await _reader.ReadAsync(maxMessages, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _readState, 0, 1) == 1 && Volatile.Read(ref _disposed) != 0
                && Interlocked.CompareExchange(ref _readState, 2, 0) == 0)
            {
                // DisposeAsync ran while this read was active and left the reader to us.
                _input.Reader.Complete();
            }
        }
    }

    /// <summary>Encodes <paramref name="message"/> with <see cref="SendContext"/> and queues it; waits while the output is over its bound.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock or for the peer to read.</param>
    /// <returns>A task that completes when the message is queued (not necessarily sent).</returns>
    /// <exception cref="MessageTooLargeException">The message does not fit in the send context's maximum length.</exception>
    /// <exception cref="IOException">The connection is broken (the send loop stopped).</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public ValueTask SendAsync(BgpMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendCoreAsync((message, SendContext), static (writer, state) => state.message.Encode(writer, state.SendContext), cancellationToken);
    }

    /// <summary>
    /// Lets <paramref name="write"/> write whole messages straight into the output pipe under the
    /// write lock, then flushes; waits while the output is over its bound (backpressure). The
    /// callback returns the octets it wrote and must not throw after advancing the writer.
    /// </summary>
    /// <param name="write">Writes one or more whole messages; returns the number of octets written.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock or for the peer to read.</param>
    /// <returns>A task that completes when the octets are queued (not necessarily sent).</returns>
    /// <exception cref="IOException">The connection is broken (the send loop stopped).</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public ValueTask SendAsync(Func<IBufferWriter<byte>, int> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return SendCoreAsync(write, static (writer, write) => write(writer), cancellationToken);
    }

    // Pooled state machines: a sender that waits on backpressure would otherwise allocate one per message.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendCoreAsync<TState>(TState state, Func<IBufferWriter<byte>, TState, int> write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            try
            {
                write(_packing, state);
            }
            finally
            {
                _packing.Release();
            }

            var flush = await _output.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(flush.IsCanceled, this);

            if (flush.IsCompleted)
            {
                throw new IOException($"The connection to {RemoteEndPoint} is broken ({SendError}).");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Closes the connection gracefully: queued octets (say a NOTIFICATION) get up to
    /// <see cref="TransportOptions.DrainTimeout"/> to reach the socket; then our side is shut down
    /// (FIN after the last message) and, while arriving octets are discarded, we wait (again at most
    /// <see cref="TransportOptions.DrainTimeout"/>) until the peer has acknowledged everything or
    /// closed; then the socket is closed. Closing with unread input makes Linux reset the
    /// connection and drop what was not yet acknowledged, NOTIFICATION included. A read in progress
    /// returns a completed batch.
    /// </summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Wake a sender blocked on backpressure, then end the output under the lock so no write races Complete.
        _output.Writer.CancelPendingFlush();
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _output.Writer.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        // End a pending read now, and let the receive loop switch to discarding even if the input is full
        // (a loop that never ran starts now, straight into discarding).
        _input.Reader.CancelPendingRead();
        _input.Writer.CancelPendingFlush();
        var receiveLoop = EnsureReceiving();

        if (await CompletesWithinAsync(_sendLoop, _options.DrainTimeout).ConfigureAwait(false) && SendError == SocketError.Success)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
                var deadline = Stopwatch.GetTimestamp() + (long)(_options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
                while (!receiveLoop.IsCompleted && !LinuxSocketOptions.AllSentDataAcknowledged(_socket) && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(DrainPollInterval).ConfigureAwait(false);
                }
            }
            catch (SocketException)
            {
                // Already reset by the peer.
            }
        }

        _socket.Dispose();
        await _sendLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Interlocked.CompareExchange(ref _readState, 2, 0) == 0)
        {
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
        }

        _writeLock.Dispose();
    }

    private Task EnsureReceiving()
    {
        if (Volatile.Read(ref _receiveLoop) is { } running)
        {
            return running;
        }

        var started = new Task<Task>(ReceiveLoopAsync);
        if (Interlocked.CompareExchange(ref _receiveLoop, started.Unwrap(), null) is { } other)
        {
            return other;
        }

        started.Start(TaskScheduler.Default);
        return _receiveLoop;
    }

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(5);

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false);
        return task.IsCompleted;
    }

    private void ShutdownQuietly()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        var waitForData = true;
        try
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                if (waitForData)
                {
                    // A zero-byte receive waits for data without holding a buffer: idle peers hold none.
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                var memory = writer.GetMemory(MinimumReadSize);
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    return;
                }

                writer.Advance(received);
                waitForData = received < memory.Length;
                BytesReceived?.Invoke();

                // Canceled means disposing: the loop condition then switches to discarding.
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    return;
                }
            }

            await DiscardUntilClosedAsync().ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            ReceiveError = Volatile.Read(ref _disposed) != 0 ? SocketError.Success : e.SocketErrorCode;
        }
        catch (ObjectDisposedException)
        {
            // Disposed while waiting for data.
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>While closing: reads and drops octets until the peer closes (or the socket is closed under us).</summary>
    private async Task DiscardUntilClosedAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        var failed = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    foreach (var segment in buffer)
                    {
                        await _socket.SendAsync(segment, SocketFlags.None).ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
        }
        catch (SocketException e)
        {
            SendError = e.SocketErrorCode;
            failed = true;
        }
        catch (ObjectDisposedException)
        {
            SendError = SocketError.OperationAborted;
            failed = true;
        }
        finally
        {
            // Completing the reader wakes a sender blocked on backpressure; its flush then reports IsCompleted.
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        if (failed && Volatile.Read(ref _disposed) == 0)
        {
            // A connection that cannot send is dead: end the receive side too, so the reader sees the end.
            ShutdownQuietly();
        }
    }
}
