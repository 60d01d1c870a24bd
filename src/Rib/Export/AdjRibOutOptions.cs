using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Export;

/// <summary>Limits of the Adj-RIB-Out builder; immutable.</summary>
public sealed record AdjRibOutOptions
{
    /// <summary>The defaults.</summary>
    public static AdjRibOutOptions Default { get; } = new();

    /// <summary>
    /// How far a member may fall behind: the same coalescing buffer a change-feed subscriber has
    /// (distinct prefixes pending before the builder waits, batches queued in the member's channel).
    /// </summary>
    public ChangeSubscriptionOptions MemberBuffer { get; init; } = ChangeSubscriptionOptions.Default;

    /// <summary>The limits of each group's RIB subscription (the RIB coalesces a group's changes while the group's members are full).</summary>
    public ChangeSubscriptionOptions GroupBuffer { get; init; } = ChangeSubscriptionOptions.Default;

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
