using System.Collections.Immutable;
using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

/// <summary>How a <see cref="FibWriter"/> mirrors the RIB into a kernel table; immutable.</summary>
public sealed record FibWriterOptions
{
    /// <summary>The defaults: the main table (254), our protocol (177), metric 20, BGP, static and local routes, 8 ECMP paths.</summary>
    public static FibWriterOptions Default { get; } = new();

    /// <summary>The network namespace (<c>/run/netns/NAME</c>) whose table is written, or null for the process's own.</summary>
    public string? NamespaceName { get; init; }

    /// <summary>The kernel table id (254 is main).</summary>
    public uint Table { get; init; } = 254;

    /// <summary>The protocol number our routes carry; reconciliation only ever touches routes with it.</summary>
    public byte Protocol { get; init; } = RouteProtocol.BgpStack;

    /// <summary>The metric (RTA_PRIORITY) of every route written.</summary>
    public uint Metric { get; init; } = 20;

    /// <summary>
    /// The kinds of source whose selected routes are installed. Connected and kernel routes are
    /// already in the kernel, so by default they are not.
    /// </summary>
    public ImmutableHashSet<RouteSourceKind> InstalledSources { get; init; } =
        [RouteSourceKind.Bgp, RouteSourceKind.Static, RouteSourceKind.Local];

    /// <summary>The most next hops of one route (the rest of a larger ECMP set is left out).</summary>
    public int MaximumPaths
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 8;

    /// <summary>
    /// A tunnel device (for example <c>tunl0</c>) through which every next hop is reached as an
    /// onlink next hop (overlay), or null to let the kernel resolve next hops from its own routes.
    /// </summary>
    public string? TunnelDevice { get; init; }

    /// <summary>How often the kernel table is dumped and repaired, or null (or zero) for never: only at start and on request.</summary>
    public TimeSpan? ResyncInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long to wait at start for the change feed's replay before the first resync, so that
    /// routes kept over a restart are not deleted before the RIB has described them again.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for the first <see cref="FibWriter.ResyncAsync"/>
    /// (say, once every peer has sent End-of-RIB); routes of ours the table already holds are
    /// taken over at start either way, so only stale ones wait.
    /// </summary>
    public TimeSpan InitialSyncDelay
    {
        get;
        init
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The initial sync delay is zero or more, or infinite.");
            }

            field = value;
        }
    } = TimeSpan.Zero;

    /// <summary>
    /// True to point every route with one gateway at a nexthop object (RTM_NEWNEXTHOP) the writer
    /// makes per gateway, so withdrawing every route through a gateway is one operation; false (or a
    /// gateway the kernel refuses an object for) sends the next hop inline in each route.
    /// </summary>
    public bool UseNextHopObjects { get; init; } = true;

    /// <summary>
    /// How long withdrawals of routes through a nexthop object wait for more of that object's routes
    /// to be withdrawn: when the waiting ones are all its routes, the object is deleted, taking them
    /// in one operation. Withdrawals go out one by one once none has joined for this long (so a
    /// peer's withdrawals still streaming in keep waiting), and at the latest ten times this long
    /// after the first. Zero sends every withdrawal at once.
    /// </summary>
    public TimeSpan WithdrawCoalescing
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <summary>True to delete our routes when the writer stops; false leaves them in place (graceful restart).</summary>
    public bool FlushOnShutdown { get; init; }

    /// <summary>The most route requests sent and acknowledged as one batch.</summary>
    public int BatchSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1024;

    /// <summary>The wait before the first retry of a route the kernel rejected; it doubles per failure.</summary>
    public TimeSpan RetryInitialDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries of a rejected route.</summary>
    public TimeSpan RetryMaximumDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMinutes(1);
}
