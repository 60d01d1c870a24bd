using System.Net;
using System.Net.Sockets;
using BgpStack.Bgp.Transport.Interop;
using Microsoft.Extensions.Logging;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// Listens for inbound BGP connections. Each accepted connection is put to the
/// <see cref="IConnectionFilter"/> before any octet is read from it; refused ones are closed at
/// once and logged. Accepted ones get the options the filter returned (TTL, GTSM) and are handed
/// to the accept callback, which owns the socket from then on.
/// </summary>
/// <remarks>
/// <para>Given <c>[::]</c> the listener is dual stack: IPv4 peers arrive as IPv4-mapped addresses
/// and are reported (to the filter, in logs) as plain IPv4.</para>
/// <para>TCP MD5 (RFC 2385) keys live on the listening socket, one per peer address or per
/// dynamic-neighbour range (<see cref="SetPassword(IPAddress, string?)"/>,
/// <see cref="SetPassword(IPNetwork, string?)"/>): the kernel then drops unsigned or wrongly signed
/// SYNs from those addresses, and accepted sockets inherit the key.</para>
/// <para>GTSM (RFC 5082) is per peer, so it is set on the accepted socket; segments that reached the
/// socket before that (between the handshake and the accept loop's setsockopt) were not checked.
/// When every peer that may use this listener runs GTSM, also set <see cref="MinimumTtl"/>, which
/// makes the kernel drop low-TTL SYNs on the listening socket itself.</para>
/// </remarks>
public sealed class BgpListener : IAsyncDisposable
{
    private readonly IConnectionFilter _filter;
    private readonly Func<Socket, TransportOptions, ValueTask> _onAccepted;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPNetwork, string> _passwords = [];
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private int? _minimumTtl;
    private bool _disposed;

    /// <summary>Creates a listener; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="local">The address and port to listen on; <c>[::]</c> listens on IPv4 and IPv6; port 0 picks one.</param>
    /// <param name="filter">Admits or refuses each inbound connection.</param>
    /// <param name="onAccepted">Receives each admitted socket with its options; it owns the socket (for example wraps it in a <see cref="BgpConnection"/>). Awaited on the accept loop, so keep it quick.</param>
    /// <param name="logger">Where refusals and failures are logged.</param>
    public BgpListener(IPEndPoint local, IConnectionFilter filter, Func<Socket, TransportOptions, ValueTask> onAccepted, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(onAccepted);
        ArgumentNullException.ThrowIfNull(logger);
        LocalEndPoint = local;
        _filter = filter;
        _onAccepted = onAccepted;
        _logger = logger;
    }

    /// <summary>The address and port listened on (the port the kernel chose once started with port 0).</summary>
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>
    /// With <c>[::]</c>: listen for IPv6 only (IPV6_V6ONLY), for a configuration that also listens on
    /// <c>0.0.0.0</c> on the same port (a dual-stack socket would hold the IPv4 port too). Set before
    /// <see cref="StartAsync"/>; false (dual stack) by default.
    /// </summary>
    public bool Ipv6Only { get; set; }

    /// <summary>
    /// The minimum TTL / hop limit for every segment to the listening socket, SYNs included (IP_MINTTL and
    /// IPV6_MINHOPCOUNT; both on a dual-stack listener); null for none. Only for listeners whose
    /// every peer runs GTSM (RFC 5082 §3): 255 for directly connected peers. May be changed while running.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in 1..255.</exception>
    public int? MinimumTtl
    {
        get
        {
            lock (_gate)
            {
                return _minimumTtl;
            }
        }

        set
        {
            if (value is < 1 or > 255)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The minimum TTL is 1..255.");
            }

            lock (_gate)
            {
                _minimumTtl = value;
                if (_socket is not null)
                {
                    ApplyMinimumTtl(_socket, value ?? 0);
                }
            }
        }
    }

    /// <summary>
    /// Sets (or with null or empty removes) the TCP MD5 password (RFC 2385) for connections from
    /// <paramref name="peer"/>. Takes effect at once when running, otherwise at start. A key for a
    /// peer of the other address family than the listener is kept but not installed, so the
    /// speaker may give every listener every peer's key.
    /// </summary>
    /// <param name="peer">The peer address.</param>
    /// <param name="password">The password (at most 80 octets in UTF-8), or null to remove it.</param>
    /// <exception cref="ArgumentException">The password is too long.</exception>
    /// <exception cref="SocketException">The kernel refused the key (for example no CONFIG_TCP_MD5SIG).</exception>
    public void SetPassword(IPAddress peer, string? password)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var address = TransportSocket.Normalize(peer);
        SetPassword(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), password);
    }

    /// <summary>
    /// Sets (or with null or empty removes) the TCP MD5 password for connections from any address in
    /// <paramref name="range"/>, as for a dynamic-neighbour range (TCP_MD5SIG_EXT, Linux 4.13). A key
    /// for a single address wins over a range that covers it, as in the kernel.
    /// </summary>
    /// <param name="range">The range.</param>
    /// <param name="password">The password (at most 80 octets in UTF-8), or null to remove it.</param>
    /// <exception cref="ArgumentException">The password is too long.</exception>
    /// <exception cref="SocketException">The kernel refused the key.</exception>
    public void SetPassword(IPNetwork range, string? password)
    {
        Md5Key.Validate(password, nameof(password));
        var network = Normalize(range);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is not null)
            {
                ApplyPassword(_socket, network, password);
            }

            if (password is { Length: > 0 })
            {
                _passwords[network] = password;
            }
            else
            {
                _passwords.Remove(network);
            }
        }
    }

    /// <summary>Binds, listens, installs the MD5 keys and <see cref="MinimumTtl"/>, and starts the accept loop.</summary>
    /// <param name="cancellationToken">Cancels starting (not the listener's lifetime: dispose it to stop).</param>
    /// <returns>A task that completes once the listener is listening.</returns>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="SocketException">Binding failed (for example the address is in use).</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is not null)
            {
                throw new InvalidOperationException("The listener is already started.");
            }

            var socket = new Socket(LocalEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = !Ipv6Only && LocalEndPoint.Address.Equals(IPAddress.IPv6Any);
                }

                // A restarted speaker must bind while old connections linger in TIME_WAIT.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(LocalEndPoint);

                // SYN-ACKs leave with the listening socket's TTL: 255, or a GTSM peer (RFC 5082 §3)
                // that connects to us would drop them. Accepted sockets then get their peer's TTL.
                ApplyTtl(socket, TransportOptions.GtsmTtl);
                foreach (var (network, password) in _passwords)
                {
                    ApplyPassword(socket, network, password);
                }

                if (_minimumTtl is { } minimum)
                {
                    ApplyMinimumTtl(socket, minimum);
                }

                socket.Listen();
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _socket = socket;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            _logger.Listening(LocalEndPoint);
            _acceptLoop = Task.Run(() => AcceptLoopAsync(socket), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops accepting and closes the listening socket; sockets already handed on are not touched.</summary>
    public async ValueTask DisposeAsync()
    {
        Socket? socket;
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            socket = _socket;
            loop = _acceptLoop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        socket?.Dispose();
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _logger.Stopped(LocalEndPoint);
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listening)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                // Out of descriptors, or the peer reset before accept: pause briefly rather than spin.
                _logger.AcceptFailed(LocalEndPoint, e.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await HandleAsync(accepted).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(Socket accepted)
    {
        IPEndPoint remote, local;
        try
        {
            remote = TransportSocket.Normalize((IPEndPoint)accepted.RemoteEndPoint!);
            local = TransportSocket.Normalize((IPEndPoint)accepted.LocalEndPoint!);
        }
        catch (SocketException e)
        {
            // Reset between accept and here: nothing to talk to.
            _logger.AcceptFailed(LocalEndPoint, e.SocketErrorCode);
            accepted.Dispose();
            return;
        }

        TransportOptions? options;
        try
        {
            options = _filter.Admit(remote, local);
        }
#pragma warning disable CA1031 // a faulty filter must not stop the listener; the connection is closed and the error logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.FilterFailed(remote, e);
            accepted.Dispose();
            return;
        }

        if (options is null)
        {
            _logger.ConnectionRefused(remote, local, "not a configured peer");
            accepted.Dispose();
            return;
        }

        if (options.Md5Password is { Length: > 0 } password && !HasKey(remote.Address, password))
        {
            // The filter wants a signed session but the listener holds no such key: this connection was not signed with it.
            _logger.ConnectionRefused(remote, local, "the peer requires a TCP MD5 password the listener does not hold");
            accepted.Dispose();
            return;
        }

        try
        {
            options.Validate();
            TransportSocket.ApplyConnectionOptions(accepted, remote.Address, options);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            _logger.SetupFailed(remote, e);
            accepted.Dispose();
            return;
        }

        _logger.ConnectionAccepted(remote, local);
        try
        {
            await _onAccepted(accepted, options).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a faulty handler must not stop the listener; the connection is closed and the error logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(remote, e);
            accepted.Dispose();
        }
    }

    private bool HasKey(IPAddress remote, string password)
    {
        lock (_gate)
        {
            // The kernel signs with the most specific key that covers the address.
            var best = -1;
            string? key = null;
            foreach (var (network, value) in _passwords)
            {
                if (network.PrefixLength > best && network.Contains(remote))
                {
                    best = network.PrefixLength;
                    key = value;
                }
            }

            return key == password;
        }
    }

    private static IPNetwork Normalize(IPNetwork range)
    {
        if (!range.BaseAddress.IsIPv4MappedToIPv6)
        {
            return range;
        }

        if (range.PrefixLength < 96)
        {
            throw new ArgumentException($"{range} covers more than IPv4-mapped addresses.", nameof(range));
        }

        return new IPNetwork(range.BaseAddress.MapToIPv4(), range.PrefixLength - 96);
    }

    private static void ApplyPassword(Socket socket, IPNetwork network, string? password)
    {
        // A key for peers of the other family is kept but not installed: they cannot reach this socket.
        var ipv4Key = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var reachable = socket.AddressFamily == AddressFamily.InterNetwork ? ipv4Key : !ipv4Key || socket.DualMode;
        if (!reachable)
        {
            return;
        }

        var single = network.PrefixLength == (ipv4Key ? 32 : 128);
        LinuxSocketOptions.SetMd5Key(socket, network.BaseAddress, single ? null : network.PrefixLength, password);
    }

    private static void ApplyMinimumTtl(Socket socket, int minimum)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            LinuxSocketOptions.SetMinimumTtl(socket, ipv4Path: false, minimum);
            if (!socket.DualMode)
            {
                return;
            }
        }

        // IPv4-mapped peers of a dual-stack socket travel over IPv4 and are checked against IP_MINTTL.
        LinuxSocketOptions.SetMinimumTtl(socket, ipv4Path: true, minimum);
    }

    private static void ApplyTtl(Socket socket, int ttl)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            LinuxSocketOptions.SetTtl(socket, ipv4Path: false, ttl);
            if (!socket.DualMode)
            {
                return;
            }
        }

        LinuxSocketOptions.SetTtl(socket, ipv4Path: true, ttl);
    }
}
