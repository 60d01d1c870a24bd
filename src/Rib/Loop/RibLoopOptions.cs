using BgpStack.Rib.Decision;

namespace BgpStack.Rib;

/// <summary>How the RIB loop decides and how much it does per turn; immutable.</summary>
public sealed record RibLoopOptions
{
    /// <summary>The defaults.</summary>
    public static RibLoopOptions Default { get; } = new();

    /// <summary>The decision process options.</summary>
    public DecisionOptions Decision { get; init; } = DecisionOptions.Default;

    /// <summary>The next-hop resolver; every next hop reachable at cost 0 when null.</summary>
    public INextHopResolver? NextHopResolver { get; init; }

    /// <summary>
    /// How many update batches may wait in the input channel before writers wait. A batch is one
    /// received UPDATE's routes, so what waits here is memory and nothing else: when ingest is
    /// faster than the RIB, a writer that waits leaves the rest in the peer's TCP window.
    /// </summary>
    public int UpdateCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 128;

    /// <summary>How many management requests may wait before callers wait.</summary>
    public int RequestCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 64;

    /// <summary>
    /// The most routes handled for one source in one turn, so one busy source cannot starve the
    /// others: sources take turns, each up to this many routes.
    /// </summary>
    public int RoutesPerSourcePerTurn
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 2048;

    /// <summary>How many update batches the loop takes off the input channel into its per-source queues at most.</summary>
    public int MaxQueuedUpdates
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 128;

    /// <summary>How many prefixes a range or table snapshot takes per turn.</summary>
    public int SnapshotChunkSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 4096;
}
