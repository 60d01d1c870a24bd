namespace BgpStack.Rib.Export;

/// <summary>Limits of the Adj-RIB-Out builder; immutable.</summary>
public sealed record AdjRibOutOptions
{
    /// <summary>The defaults.</summary>
    public static AdjRibOutOptions Default { get; } = new();

    /// <summary>The most distinct prefixes a member may have pending before the builder waits for it.</summary>
    public int MaxPendingPrefixes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 65536;

    /// <summary>The most handed-over batches waiting in a member's channel.</summary>
    public int MaxQueuedBatches
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>How many prefixes filling a new group or dumping a group to a new member takes per turn.</summary>
    public int SyncChunkSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 4096;

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
}
