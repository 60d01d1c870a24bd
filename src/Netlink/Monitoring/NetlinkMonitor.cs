using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BgpStack.Netlink.Interop;
using BgpStack.Netlink.Links;
using BgpStack.Netlink.Namespaces;
using BgpStack.Netlink.Protocol;
using BgpStack.Netlink.Routes;

namespace BgpStack.Netlink.Monitoring;

/// <summary>Options of a <see cref="NetlinkMonitor"/>.</summary>
public sealed record NetlinkMonitorOptions
{
    /// <summary>The namespace to watch, or null for the process's own.</summary>
    public string? NamespaceName { get; init; }

    /// <summary>SO_RCVBUF of the socket, in octets (the kernel doubles it).</summary>
    public int ReceiveBufferSize { get; init; } = 4 << 20;

    /// <summary>
    /// How many parsed events may wait for the consumer. When it is full the reading thread stops
    /// reading, so a slow consumer makes the socket overflow and a resync event follow.
    /// </summary>
    public int EventCapacity { get; init; } = 4096;
}

/// <summary>
/// Watches link, IPv4/IPv6 address and IPv4/IPv6 route changes (RTNLGRP_LINK, _IPV4_IFADDR,
/// _IPV6_IFADDR, _IPV4_ROUTE, _IPV6_ROUTE) in one namespace. A dedicated thread reads the socket
/// (polling so it can stop), so no thread-pool thread ever blocks; an overflow (ENOBUFS) becomes a
/// <see cref="ResyncRequiredEvent"/>.
/// </summary>
public sealed class NetlinkMonitor : IAsyncDisposable, IDisposable
{
    private const int PollMilliseconds = 100;

    private readonly NetlinkSocket socket;
    private readonly Channel<NetlinkEvent> events;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread reader;
    private int disposed;

    private NetlinkMonitor(NetlinkSocket socket, int capacity)
    {
        this.socket = socket;
        events = Channel.CreateBounded<NetlinkEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        reader = new Thread(ReadLoop) { IsBackground = true, Name = "netlink monitor" };
        reader.Start();
    }

    /// <summary>Opens the socket (inside the namespace if one is named), joins the groups and starts reading.</summary>
    /// <param name="options">The options, or null for the defaults.</param>
    public static NetlinkMonitor Start(NetlinkMonitorOptions? options = null)
    {
        options ??= new NetlinkMonitorOptions();
        int[] groups = [Rtnl.RTNLGRP_LINK, Rtnl.RTNLGRP_IPV4_IFADDR, Rtnl.RTNLGRP_IPV6_IFADDR, Rtnl.RTNLGRP_IPV4_ROUTE, Rtnl.RTNLGRP_IPV6_ROUTE];
        var socket = NetworkNamespace.Run(options.NamespaceName, () => NetlinkSocket.Open(options.ReceiveBufferSize, groups));
        return new NetlinkMonitor(socket, Math.Max(1, options.EventCapacity));
    }

    /// <summary>The change notifications, in the order the kernel sent them, until disposal or cancellation.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public async IAsyncEnumerable<NetlinkEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (events.Reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        stop.Cancel();
        reader.Join();
        socket.Dispose();
        stop.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private unsafe void ReadLoop()
    {
        Exception? failure = null;
        try
        {
            var poll = new Libc.PollFd { Fd = socket.Handle.Fd, Events = Libc.POLLIN };
            while (!stop.IsCancellationRequested)
            {
                poll.Revents = 0;
                var ready = Libc.Poll(&poll, 1, PollMilliseconds);
                if (ready <= 0)
                {
                    continue;
                }

                var length = socket.Receive(nonBlocking: true);
                if (length == -Libc.ENOBUFS)
                {
                    Publish(new ResyncRequiredEvent());
                    continue;
                }

                if (length < 0)
                {
                    if (length == -Libc.EAGAIN)
                    {
                        continue;
                    }

                    throw new NetlinkException(new NetlinkError(-length, null, null, "monitor recvfrom"));
                }

                ParseAndPublish(length);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal while waiting for room in the channel.
        }
        catch (NetlinkException e)
        {
            failure = e;
        }
        finally
        {
            events.Writer.TryComplete(failure);
        }
    }

    private void ParseAndPublish(int length)
    {
        var pending = new List<NetlinkEvent>();
        var reader = new NetlinkMessageReader(socket.Received(length));
        while (reader.TryReadNext(out var message) == ReadStatus.Item)
        {
            NetlinkEvent? item = message.Type switch
            {
                Rtnl.RTM_NEWLINK or Rtnl.RTM_DELLINK when LinkCodec.TryParse(message, out var link) =>
                    new LinkEvent(link, message.Type == Rtnl.RTM_DELLINK),
                Rtnl.RTM_NEWADDR or Rtnl.RTM_DELADDR when NetlinkClient.TryParseAddress(message, out var address) =>
                    new AddressEvent(address, message.Type == Rtnl.RTM_DELADDR),
                Rtnl.RTM_NEWROUTE or Rtnl.RTM_DELROUTE when RouteCodec.TryParse(message, out var route) =>
                    new RouteEvent(route, message.Type == Rtnl.RTM_DELROUTE),
                _ => null,
            };
            if (item is not null)
            {
                pending.Add(item);
            }
        }

        foreach (var item in pending)
        {
            Publish(item);
        }
    }

    // Blocks this dedicated thread (never a pool thread) while the consumer is behind.
    private void Publish(NetlinkEvent item)
    {
        if (!events.Writer.TryWrite(item))
        {
            events.Writer.WriteAsync(item, stop.Token).AsTask().GetAwaiter().GetResult();
        }
    }
}
