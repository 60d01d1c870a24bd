using System.Collections.Immutable;
using System.Threading.Channels;
using BgpStack.Rib.Feed;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Export;

/// <summary>
/// Builds the Adj-RIB-Out of every update group from the Loc-RIB: each group has its own RIB
/// subscription, which starts with a replay of the Loc-RIB (so a group created late starts from the
/// whole table, and the builder keeps no copy of it) and goes on with the changes. Each change runs
/// through its group's export function once, whatever the number of peers in the group, and the
/// group's members are sent only what differs from what the group last advertised. The builder is
/// the single owner of the groups; joining, leaving and reading a group's Adj-RIB-Out are messages
/// to its loop. A slow member's changes are coalesced per prefix; once its buffer is full the
/// builder stops reading its group's subscription, which in turn coalesces them in the RIB.
/// </summary>
public sealed class AdjRibOutBuilder
{
    private readonly Func<IExportPolicy, CancellationToken, Task<ChangeSubscription>> subscribe;
    private readonly AdjRibOutOptions options;
    private readonly Channel<Request> requests;
    private readonly Dictionary<UpdateGroupKey, UpdateGroup> groups = [];
    private readonly List<SyncJob> syncs = [];
    private int started;

    /// <summary>How many prefixes a member dump takes per turn.</summary>
    private int ChunkSize => options.SyncChunkSize;

    /// <summary>Creates a builder over a RIB; call <see cref="RunAsync"/> to start it.</summary>
    /// <param name="rib">The RIB whose Loc-RIB the groups export.</param>
    /// <param name="options">The limits; <see cref="AdjRibOutOptions.Default"/> when null.</param>
    public AdjRibOutBuilder(RibLoop rib, AdjRibOutOptions? options = null)
        : this(SubscribeTo(rib, options), options)
    {
    }

    /// <summary>
    /// Creates a builder that gets each new group's changes from <paramref name="subscribe"/>: a
    /// subscription that replays the current Loc-RIB first (and marks the replay's end, see
    /// <see cref="ChangeSubscription.ReplayBatches"/>), then carries the changes.
    /// </summary>
    /// <param name="subscribe">Makes a subscription for a new group.</param>
    /// <param name="options">The limits; <see cref="AdjRibOutOptions.Default"/> when null.</param>
    public AdjRibOutBuilder(Func<CancellationToken, Task<ChangeSubscription>> subscribe, AdjRibOutOptions? options = null)
        : this(Ignoring(subscribe), options)
    {
    }

    private AdjRibOutBuilder(Func<IExportPolicy, CancellationToken, Task<ChangeSubscription>> subscribe, AdjRibOutOptions? options)
    {
        this.subscribe = subscribe;
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
    /// The member of a new group gets the group's changes from the start (the RIB's replay, then
    /// changes); a member joining an existing group first gets what the group advertises, a chunk
    /// per turn while it has room, then the group's changes.
    /// </summary>
    /// <param name="key">The update group key.</param>
    /// <param name="policy">The export policy of a new group.</param>
    /// <param name="memberName">The member's name, for logs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<UpdateGroupMember> JoinAsync(UpdateGroupKey key, IExportPolicy policy, string memberName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var exists = await SendAsync(() => groups.ContainsKey(key), cancellationToken).ConfigureAwait(false);
        var subscription = exists ? null : await subscribe(policy, cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendAsync(() => Join(key, policy, memberName, ref subscription), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Another join created the group first: this subscription is not needed.
            subscription?.Dispose();
        }
    }

    /// <summary>What the group currently advertises, in prefix order (empty for an unknown group).</summary>
    /// <param name="key">The update group key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<ExportChange>> GetAdjRibOutAsync(UpdateGroupKey key, CancellationToken cancellationToken = default) =>
        SendAsync(() => groups.TryGetValue(key, out var group)
            ? [.. group.AdjRibOut.Select(pair => new ExportChange(pair.Key, pair.Value))]
            : ImmutableArray<ExportChange>.Empty, cancellationToken);

    /// <summary>The prefixes a group advertises, in prefix order (empty for an unknown group).</summary>
    /// <param name="key">The update group key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<IpPrefix>> GetAdvertisedPrefixesAsync(UpdateGroupKey key, CancellationToken cancellationToken = default) =>
        SendAsync(() => groups.TryGetValue(key, out var group)
            ? [.. group.AdjRibOut.Select(pair => pair.Key)]
            : ImmutableArray<IpPrefix>.Empty, cancellationToken);

    /// <summary>Which of <paramref name="prefixes"/> the group does not advertise now (all of them for an unknown group).</summary>
    /// <param name="key">The update group key.</param>
    /// <param name="prefixes">The prefixes to look up.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ImmutableArray<IpPrefix>> GetNotAdvertisedAsync(UpdateGroupKey key, ImmutableArray<IpPrefix> prefixes, CancellationToken cancellationToken = default) =>
        SendAsync(() => groups.TryGetValue(key, out var group)
            ? [.. prefixes.Where(prefix => !group.AdjRibOut.ContainsKey(prefix))]
            : prefixes, cancellationToken);

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

    /// <summary>Runs until cancelled.</summary>
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
                worked |= ReadGroups();
                FlushMembers();
                if (worked || SyncsCanAdvance())
                {
                    continue;
                }

                await Task.WhenAny(Waits(cancellationToken)).ConfigureAwait(false);
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
                group.Subscription.Dispose();
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

    /// <summary>Takes one batch from each group whose members have room; true when any was read.</summary>
    private bool ReadGroups()
    {
        var worked = false;
        List<UpdateGroup>? ended = null;
        foreach (var group in groups.Values)
        {
            if (GroupMemberFull(group) || !group.Subscription.Batches.TryRead(out var batch))
            {
                CheckFilled(group);
                if (group.Subscription.Batches.Completion.IsCompleted)
                {
                    (ended ??= []).Add(group);
                }

                continue;
            }

            group.BatchesRead++;
            foreach (var change in batch)
            {
                if (group.Apply(change) is { } export)
                {
                    group.Send(export);
                }
            }

            CheckFilled(group);
            worked = true;
        }

        // The RIB stopped: the group's members have had everything there will be.
        foreach (var group in ended ?? [])
        {
            FlushGroup(group);
            foreach (var member in group.Members)
            {
                member.Complete(null);
            }

            groups.Remove(group.Key);
            group.Subscription.Dispose();
            worked = true;
        }

        return worked;
    }

    private static void FlushGroup(UpdateGroup group)
    {
        foreach (var member in group.Members)
        {
            member.TryFlush();
        }
    }

    /// <summary>Once a group has read its subscription's replay, the members that got it from the start have had the whole table.</summary>
    private static void CheckFilled(UpdateGroup group)
    {
        if (group.IsFilled || !group.Subscription.ReplayBatches.IsCompletedSuccessfully || group.BatchesRead < group.Subscription.ReplayBatches.Result)
        {
            return;
        }

        group.IsFilled = true;
        foreach (var member in group.Founders)
        {
            member.MarkDumped();
        }

        group.Founders.Clear();
    }

    private List<Task> Waits(CancellationToken cancellationToken)
    {
        var waits = new List<Task>(groups.Count + 2) { requests.Reader.WaitToReadAsync(cancellationToken).AsTask() };
        foreach (var group in groups.Values)
        {
            if (!GroupMemberFull(group))
            {
                waits.Add(group.Subscription.Batches.WaitToReadAsync(cancellationToken).AsTask());
            }

            if (!group.IsFilled)
            {
                waits.Add(group.Subscription.ReplayBatches);
            }
        }

        if (AnyMemberPending())
        {
            waits.Add(WaitForMemberRoomAsync(cancellationToken));
        }

        return waits;
    }

    private UpdateGroupMember Join(UpdateGroupKey key, IExportPolicy policy, string memberName, ref ChangeSubscription? subscription)
    {
        var member = new UpdateGroupMember(key, memberName, options);
        if (!groups.TryGetValue(key, out var group))
        {
            // A new group's members get the RIB's replay through the group as it comes.
            group = new UpdateGroup(key, policy, subscription ?? throw new InvalidOperationException($"Update group {key} vanished while joining."));
            subscription = null;
            groups[key] = group;
            group.Members.Add(member);
            group.Founders.Add(member);
            return member;
        }

        // A member of an existing group first gets what the group advertises, a chunk per turn
        // while it has room, then the group's changes as they come; a change that overtakes the
        // walk is sent again, current, when the walk reaches it.
        group.Members.Add(member);
        syncs.Add(new SyncJob(group, member));
        return member;
    }

    /// <summary>Moves every member dump one chunk on.</summary>
    private bool AdvanceSyncs()
    {
        var worked = false;
        for (var i = 0; i < syncs.Count; i++)
        {
            var job = syncs[i];
            var member = job.Member;
            if (member.IsDisposed || !groups.TryGetValue(job.Group.Key, out var live) || live != job.Group)
            {
                syncs.RemoveAt(i--);
                continue;
            }

            // A dump waits for its group to be filled, so it dumps the whole group.
            if (!job.Group.IsFilled || member.IsFull)
            {
                continue;
            }

            worked = true;
            var done = job.Walk.Advance(ChunkSize, (range, limit, list) => Collect(job.Group.AdjRibOut, range, limit, list), () => !member.IsFull, prefix =>
            {
                if (job.Group.AdjRibOut.TryGetValue(prefix, out var attributes))
                {
                    member.Add(new ExportChange(prefix, attributes));
                }
            });
            if (done)
            {
                member.MarkDumped();
                syncs.RemoveAt(i--);
            }
        }

        return worked;
    }

    /// <summary>True when a member dump whose member has room is waiting for its next chunk.</summary>
    private bool SyncsCanAdvance()
    {
        foreach (var job in syncs)
        {
            if (job.Group.IsFilled && !job.Member.IsFull && !job.Member.IsDisposed)
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
            groups.Remove(key, out var gone);
            gone?.Subscription.Dispose();
        }
    }

    private static bool GroupMemberFull(UpdateGroup group)
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

    // A group's subscription replays the Loc-RIB and skips what its policy's split horizon would drop anyway.
    private static Func<IExportPolicy, CancellationToken, Task<ChangeSubscription>> SubscribeTo(RibLoop rib, AdjRibOutOptions? options)
    {
        ArgumentNullException.ThrowIfNull(rib);
        var buffer = (options ?? AdjRibOutOptions.Default).GroupBuffer;
        return (policy, cancellationToken) => rib.SubscribeAsync(
            policy.SplitHorizonPeer is { } peer ? buffer with { SplitHorizonPeer = peer } : buffer,
            replayCurrentTable: true,
            cancellationToken);
    }

    private static Func<IExportPolicy, CancellationToken, Task<ChangeSubscription>> Ignoring(Func<CancellationToken, Task<ChangeSubscription>> subscribe)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        return (_, cancellationToken) => subscribe(cancellationToken);
    }

    private static ObjectDisposedException Stopped() => new(nameof(AdjRibOutBuilder), "The Adj-RIB-Out builder has stopped.");

    /// <summary>Dumping a group's Adj-RIB-Out to a member that joined it late.</summary>
    private sealed class SyncJob(UpdateGroup group, UpdateGroupMember member)
    {
        public UpdateGroup Group { get; } = group;

        public UpdateGroupMember Member { get; } = member;

        public PrefixWalk Walk { get; } = new();
    }

    /// <summary>A management request the builder runs on its own loop.</summary>
    private sealed record Request(Action Run, Action<Exception> Fail);
}
