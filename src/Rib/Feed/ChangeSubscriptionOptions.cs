using System.Net;

namespace BgpStack.Rib.Feed;

/// <summary>How much a change-feed subscriber may fall behind; immutable.</summary>
public sealed record ChangeSubscriptionOptions
{
    /// <summary>The defaults: up to 65536 distinct prefixes pending, one batch waiting to be read.</summary>
    public static ChangeSubscriptionOptions Default { get; } = new();

    /// <summary>
    /// The most distinct prefixes a subscriber may have pending (coalesced, not yet handed over)
    /// before the publisher waits for it. Repeated changes to one prefix take one slot.
    /// </summary>
    public int MaxPendingPrefixes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 65536;

    /// <summary>The most handed-over batches waiting in the subscriber's channel.</summary>
    public int MaxQueuedBatches
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>
    /// A BGP peer to which this subscriber never sends that peer's own paths (split horizon), or
    /// null. Changes that only move the best path among that peer's paths (or from none to one of
    /// them, or from one of them to none) are then not delivered: for this subscriber nothing
    /// changed. A peer that sends a full table thus costs its own export nothing.
    /// </summary>
    public IPAddress? SplitHorizonPeer { get; init; }

    /// <summary>A name for logs and diagnostics.</summary>
    public string Name { get; init; } = "subscriber";
}
