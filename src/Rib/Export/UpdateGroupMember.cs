using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Export;

/// <summary>
/// One peer's membership in an update group: the group's changes arrive on <see cref="Updates"/>,
/// first the group's whole Adj-RIB-Out as announcements, then each real change. While the peer is
/// slow its changes are coalesced per prefix. Dispose to leave the group.
/// </summary>
public sealed class UpdateGroupMember : IDisposable
{
    private readonly CoalescingOutbox<ExportChange> outbox;

    internal UpdateGroupMember(UpdateGroupKey group, string name, AdjRibOutOptions options)
    {
        Group = group;
        Name = name;
        outbox = new CoalescingOutbox<ExportChange>(options.MemberBuffer.MaxPendingPrefixes, options.MemberBuffer.MaxQueuedBatches);
    }

    /// <summary>The group's key.</summary>
    public UpdateGroupKey Group { get; }

    /// <summary>The member's name (the peer address, for logs).</summary>
    public string Name { get; }

    /// <summary>Batches of announcements and withdrawals to send to the peer, in order.</summary>
    public ChannelReader<ImmutableArray<ExportChange>> Updates => outbox.Reader;

    /// <summary>True once the member has left.</summary>
    public bool IsDisposed => outbox.IsDisposed;

    internal bool IsFull => outbox.IsFull;

    internal bool HasPending => outbox.HasPending;

    /// <summary>Leaves the group; the builder forgets the member at its next turn.</summary>
    public void Dispose() => outbox.Dispose();

    /// <summary>
    /// Completes when the member's initial dump (the group's whole Adj-RIB-Out when it joined) has
    /// been handed over, with the number of <see cref="Updates"/> batches that hold it: a reader
    /// that has read that many batches has had the whole table, and can send End-of-RIB (RFC 4724).
    /// </summary>
    public Task<long> InitialDumpBatches => outbox.InitialBatches;

    internal void Add(in ExportChange change) => outbox.Add(change.Prefix, change);

    /// <summary>Marks the initial dump as added; it completes once everything added is handed over.</summary>
    internal void MarkDumped() => outbox.MarkInitialAdded();

    internal bool TryFlush() => outbox.TryFlush();

    internal ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) => outbox.WaitForRoomAsync(cancellationToken);

    internal void Complete(Exception? error) => outbox.Complete(error);
}
