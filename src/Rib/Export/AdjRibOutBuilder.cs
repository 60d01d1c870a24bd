using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Rib.Feed;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Export;

/// <summary>
/// Builds the Adj-RIB-Out of every update group from the Loc-RIB change feed: each change runs
/// through each group's export function once, whatever the number of peers in the group, and the
/// group's members are sent only what differs from what the group last advertised. The builder is
/// the single owner of the groups; joining, leaving and reading a group's Adj-RIB-Out are messages
/// to its loop. A slow member's changes are coalesced per prefix; once its buffer is full the
/// builder stops taking changes from the feed, which in turn coalesces them for the builder.
/// </summary>
public sealed class AdjRibOutBuilder
{
    private readonly ChannelReader<ImmutableArray<RibChange>> changes;
    private readonly AdjRibOutOptions options;
    private readonly Channel<Request> requests;
    private readonly Dictionary<UpdateGroupKey, UpdateGroup> groups = [];

    /// <summary>The Loc-RIB as the feed has told it, to fill the Adj-RIB-Out of a group created later.</summary>
    private readonly PrefixTrie<RibChange> locRib = new();
    private readonly List<SyncJob> syncs = [];
    private int started;

    /// <summary>How many prefixes a group fill or member dump takes per turn.</summary>
    private int ChunkSize => options.SyncChunkSize;

    /// <summary>Creates a builder over a change feed subscription's batches; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="changes">The Loc-RIB change batches (<see cref="ChangeSubscription.Batches"/>).</param>
    /// <param name="options">The limits; <see cref="AdjRibOutOptions.Default"/> when null.</param>
    public AdjRibOutBuilder(ChannelReader<ImmutableArray<RibChange>> changes, AdjRibOutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        this.changes = changes;
        this.options = options ?? AdjRibOutOptions.Default;
        requests = Channel.CreateBounded<Request>(new BoundedChannelOptions(this.options.RequestCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Adds a peer to the update group with <paramref name="key"/>, creating the group with
    /// <paramref name="policy"/> when it does not exist (an existing group keeps its own policy).
    /// The member first gets the group's whole current Adj-RIB-Out as announcements (sent a chunk
    /// per turn while it has room), then the group's changes.
    /// </summary>
    /// <param name="key">The update group key.</param>
    /// <param name="policy">The export policy of a new group.</param>
    /// <param name="memberName">The member's name, for logs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<UpdateGroupMember> JoinAsync(UpdateGroupKey key, IExportPolicy policy, string memberName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return SendAsync(() => Join(key, policy, memberName), cancellationToken);
    }

    /// <summary>What the group currently advertises, in prefix order (empty for an unknown group).</summary>
    /// <param name="key">The update group key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<ExportChange>> GetAdjRibOutAsync(UpdateGroupKey key, CancellationToken cancellationToken = default) =>
        SendAsync(() => groups.TryGetValue(key, out var group)
            ? [.. group.AdjRibOut.Select(pair => new ExportChange(pair.Key, pair.Value))]
            : ImmutableArray<ExportChange>.Empty, cancellationToken);

    /// <summary>How many IPv4 and IPv6 prefixes a group advertises (zero for an unknown group).</summary>
    /// <param name="key">The update group key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<(int Ipv4, int Ipv6)> GetAdjRibOutCountsAsync(UpdateGroupKey key, CancellationToken cancellationToken = default) =>
        SendAsync(() => groups.TryGetValue(key, out var group) ? (group.AdjRibOut.IPv4Count, group.AdjRibOut.IPv6Count) : (0, 0), cancellationToken);

    /// <summary>The keys of the groups that have members, and how many each has.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableDictionary<UpdateGroupKey, int>> GetGroupsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(() =>
        {
            PruneMembers();
            return groups.ToImmutableDictionary(pair => pair.Key, pair => pair.Value.Members.Count);
        }, cancellationToken);

    /// <summary>Runs until the change feed completes (and members have taken what is pending) or until cancelled.</summary>
    /// <param name="cancellationToken">Stops the builder.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("The Adj-RIB-Out builder is already running.");
        }

        Exception? error = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ServeRequests();
                var worked = AdvanceSyncs();
                if (!AnyMemberFull() && changes.TryRead(out var batch))
                {
                    foreach (var change in batch)
                    {
                        Apply(change);
                    }

                    worked = true;
                }

                FlushMembers();
                if (worked || SyncsCanAdvance())
                {
                    continue;
                }

                if (changes.Completion.IsCompleted)
                {
                    while (!FlushMembers())
                    {
                        await WaitForMemberRoomAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                var waits = new List<Task>(3) { requests.Reader.WaitToReadAsync(cancellationToken).AsTask() };
                if (!AnyMemberFull())
                {
                    waits.Add(changes.WaitToReadAsync(cancellationToken).AsTask());
                }

                if (AnyMemberPending())
                {
                    waits.Add(WaitForMemberRoomAsync(cancellationToken));
                }

                await Task.WhenAny(waits).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = null;
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            requests.Writer.TryComplete();
            foreach (var group in groups.Values)
            {
                foreach (var member in group.Members)
                {
                    member.Complete(error);
                }
            }

            var stopped = Stopped();
            while (requests.Reader.TryRead(out var request))
            {
                request.Fail(stopped);
            }
        }
    }

    private UpdateGroupMember Join(UpdateGroupKey key, IExportPolicy policy, string memberName)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            // A new group's Adj-RIB-Out is filled from the Loc-RIB a chunk per turn; changes that
            // arrive meanwhile go through the group at once, and the walk later finds them current.
            group = new UpdateGroup(key, policy);
            groups[key] = group;
            syncs.Add(new SyncJob(group, null));
        }

        // A new member first gets what the group advertises, a chunk per turn while it has room,
        // then the group's changes as they come; a change that overtakes the walk is sent again,
        // current, when the walk reaches it.
        var member = new UpdateGroupMember(key, memberName, options);
        group.Members.Add(member);
        syncs.Add(new SyncJob(group, member));
        return member;
    }

    /// <summary>Moves every group fill and member dump one chunk on.</summary>
    private bool AdvanceSyncs()
    {
        var worked = false;
        for (var i = 0; i < syncs.Count; i++)
        {
            var job = syncs[i];
            if (job.Member is { IsDisposed: true } || !groups.TryGetValue(job.Group.Key, out var live) || live != job.Group)
            {
                syncs.RemoveAt(i--);
                continue;
            }

            // A member's dump waits for its group to be filled, so it dumps the whole group.
            if (job.Member is not null && IsFilling(job.Group))
            {
                continue;
            }

            if (job.Member is { IsFull: true })
            {
                continue;
            }

            worked = true;
            var done = job.Member is { } member
                ? job.Walk.Advance(ChunkSize, (range, limit, list) => Collect(job.Group.AdjRibOut, range, limit, list), () => !member.IsFull, prefix =>
                {
                    if (job.Group.AdjRibOut.TryGetValue(prefix, out var attributes))
                    {
                        member.Add(new ExportChange(prefix, attributes));
                    }
                })
                : job.Walk.Advance(ChunkSize, (range, limit, list) => Collect(locRib, range, limit, list), () => true, prefix =>
                {
                    if (locRib.TryGetValue(prefix, out var change) && job.Group.Apply(change) is { } export)
                    {
                        job.Group.Send(export);
                    }
                });
            if (done)
            {
                job.Member?.MarkDumped();
                syncs.RemoveAt(i--);
            }
        }

        return worked;
    }

    /// <summary>True when a group fill, or a member dump whose member has room, is waiting for its next chunk.</summary>
    private bool SyncsCanAdvance()
    {
        foreach (var job in syncs)
        {
            if (job.Member is not { } member || (!member.IsFull && !member.IsDisposed))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsFilling(UpdateGroup group)
    {
        foreach (var job in syncs)
        {
            if (job.Member is null && job.Group == group)
            {
                return true;
            }
        }

        return false;
    }

    private static void Collect<T>(PrefixTrie<T> trie, IpPrefix range, int limit, List<IpPrefix> prefixes)
    {
        foreach (var pair in trie.MoreSpecifics(range, includeSelf: true))
        {
            prefixes.Add(pair.Key);
            if (prefixes.Count >= limit)
            {
                return;
            }
        }
    }

    private void Apply(in RibChange change)
    {
        if (change.IsWithdrawn)
        {
            locRib.Remove(change.Prefix);
        }
        else
        {
            locRib[change.Prefix] = change;
        }

        foreach (var group in groups.Values)
        {
            if (group.Apply(change) is { } export)
            {
                group.Send(export);
            }
        }
    }

    /// <summary>Hands pending changes to members with room; true when nothing is left pending.</summary>
    private bool FlushMembers()
    {
        PruneMembers();
        var all = true;
        foreach (var group in groups.Values)
        {
            foreach (var member in group.Members)
            {
                all &= member.TryFlush();
            }
        }

        return all;
    }

    /// <summary>Forgets members that left, and groups left without members.</summary>
    private void PruneMembers()
    {
        List<UpdateGroupKey>? empty = null;
        foreach (var group in groups.Values)
        {
            group.Members.RemoveAll(m => m.IsDisposed);
            if (group.Members.Count == 0)
            {
                (empty ??= []).Add(group.Key);
            }
        }

        foreach (var key in empty ?? [])
        {
            groups.Remove(key);
        }
    }

    private bool AnyMemberFull()
    {
        foreach (var group in groups.Values)
        {
            foreach (var member in group.Members)
            {
                if (member.IsFull)
                {
                    member.TryFlush();
                    if (member.IsFull)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private bool AnyMemberPending()
    {
        foreach (var group in groups.Values)
        {
            foreach (var member in group.Members)
            {
                if (member.HasPending)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private Task WaitForMemberRoomAsync(CancellationToken cancellationToken)
    {
        var waits = new List<Task>();
        foreach (var group in groups.Values)
        {
            foreach (var member in group.Members)
            {
                if (member.HasPending)
                {
                    var wait = member.WaitForRoomAsync(cancellationToken);
                    if (wait.IsCompleted)
                    {
                        return Task.CompletedTask;
                    }

                    waits.Add(wait.AsTask());
                }
            }
        }

        return waits.Count == 0 ? Task.CompletedTask : Task.WhenAny(waits);
    }

    private void ServeRequests()
    {
        while (requests.Reader.TryRead(out var request))
        {
            request.Run();
        }
    }

    private async Task<T> SendAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new Request(() => completion.TrySetResult(action()), e => completion.TrySetException(e));
        try
        {
            await requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Stopped();
        }

        return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ObjectDisposedException Stopped() => new(nameof(AdjRibOutBuilder), "The Adj-RIB-Out builder has stopped.");

    /// <summary>Filling a new group's Adj-RIB-Out from the Loc-RIB (no member), or dumping a group's Adj-RIB-Out to a new member.</summary>
    private sealed class SyncJob(UpdateGroup group, UpdateGroupMember? member)
    {
        public UpdateGroup Group { get; } = group;

        public UpdateGroupMember? Member { get; } = member;

        public PrefixWalk Walk { get; } = new();
    }

    /// <summary>A management request the builder runs on its own loop.</summary>
    private sealed record Request(Action Run, Action<Exception> Fail);
}
