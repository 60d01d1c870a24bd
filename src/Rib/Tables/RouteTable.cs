using System.Net;
using System.Runtime.CompilerServices;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Tables;

/// <summary>
/// The paths of every prefix from every source, stored compactly: one prefix trie per family whose
/// prefix nodes head a list of paths, the paths as 24-byte structs in one pooled, segmented array (no object
/// per route; the rare non-zero ADD-PATH identifier lives in a side array), attributes interned in an <see cref="AttributeTable"/>. Each source's paths are also
/// chained together, so a source's Adj-RIB-In is a list walk and removing or sweeping a source
/// costs time in proportion to that source's paths alone. Several paths per prefix per source are
/// kept apart by their ADD-PATH path identifier (RFC 7911).
/// </summary>
/// <remarks>
/// <para>
/// The Loc-RIB lives in the same table: the decision process enumerates a prefix's candidate
/// paths with <see cref="GetPaths"/>, and records its choice with <see cref="SetSelection"/>
/// (read back with <see cref="TryGetBest"/> and <see cref="Route.IsMultipath"/>). The table never
/// chooses by itself; it keeps the recorded selection until the decision process changes it or the
/// selected path leaves the table (reported as <see cref="RemovedPath.WasBest"/>).
/// </para>
/// <para>
/// Each source's <see cref="RouteSource.Id"/> indexes a per-source array, so ids must be small
/// (0 to 1,048,575); the newest <see cref="RouteSource"/> instance passed for an id describes all
/// of that source's paths.
/// </para>
/// <para>
/// Not thread-safe. The RIB loop is its single owner: every mutation and every read happens on
/// that loop. Enumerators are invalid after any mutation.
/// </para>
/// </remarks>
public sealed class RouteTable
{
    private const int MaxSourceId = (1 << 20) - 1;

    private readonly PrefixTrie<int> prefixes = new();
    private readonly SegmentedArray<RouteEntry> entries = new();
    private readonly SegmentedArray<PathIdSlot> pathIds = new();
    private SourceState[] sources = new SourceState[4];
    private int highWater = 1;
    private int freeHead;
    private int pathIdHighWater = 1;
    private int pathIdFreeHead;
    private uint sequence;

    /// <summary>Creates an empty table.</summary>
    /// <param name="attributes">The interning table to use, to share interned sets among tables; a new one when null.</param>
    public RouteTable(AttributeTable? attributes = null) => Attributes = attributes ?? new AttributeTable();

    /// <summary>The interned attribute sets the paths refer to.</summary>
    public AttributeTable Attributes { get; }

    /// <summary>The number of prefixes with at least one path.</summary>
    public int PrefixCount => prefixes.Count;

    /// <summary>The number of paths.</summary>
    public int PathCount { get; private set; }

    /// <summary>
    /// The managed bytes held by the table's own arrays (tries, paths, per-source heads), not
    /// counting the attribute sets, and including their spare capacity (under one segment per array).
    /// </summary>
    public long AllocatedBytes =>
        prefixes.AllocatedBytes
        + entries.AllocatedBytes
        + pathIds.AllocatedBytes
        + ((long)sources.Length * Unsafe.SizeOf<SourceState>());

    /// <summary>Route entries visited by removal, sweep and withdraw walks since creation (instrumentation for tests).</summary>
    internal long EntryVisits { get; private set; }

    /// <summary>Adds or replaces a path, interning its attributes.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="source">Who announced it.</param>
    /// <param name="pathId">The ADD-PATH path identifier; 0 without ADD-PATH.</param>
    /// <param name="attributes">The path attributes.</param>
    /// <returns>What changed.</returns>
    public PathChange Upsert(IpPrefix prefix, RouteSource source, uint pathId, PathAttributes attributes)
    {
        var id = Attributes.Acquire(attributes);
        var change = Upsert(prefix, source, pathId, id);
        Attributes.Release(id);
        return change;
    }

    /// <summary>
    /// Adds or replaces a path whose attributes the caller already interned (the fast path: intern
    /// an UPDATE's attributes once, then add each of its prefixes). The path takes its own
    /// reference to the set. Announcing a path clears its stale mark.
    /// </summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="source">Who announced it.</param>
    /// <param name="pathId">The ADD-PATH path identifier; 0 without ADD-PATH.</param>
    /// <param name="attributes">A live id from <see cref="Attributes"/>.</param>
    /// <returns>What changed.</returns>
    public PathChange Upsert(IpPrefix prefix, RouteSource source, uint pathId, AttributeSetId attributes)
    {
        ref var state = ref SourceStateOf(source);
        Attributes.AddReference(attributes);
        var node = prefixes.FindOrAddNode(prefix, out _);
        ref var head = ref prefixes.ValueAt(prefix.IsIPv6, node);
        for (var i = head; i > 0; i = entries[i].NextInPrefix)
        {
            ref var e = ref entries[i];
            if (e.Source != source.Id || PathIdOf(in e) != pathId)
            {
                continue;
            }

            var generation = state.GenerationOf(prefix.IsIPv6);
            var wasStale = e.Generation != generation;
            e.Generation = generation;
            ref var current = ref AttributesOf(ref e);
            if (current == attributes.Value)
            {
                Attributes.Release(attributes);
                return wasStale ? PathChange.Refreshed : PathChange.Unchanged;
            }

            Attributes.Release(new AttributeSetId(current));
            current = attributes.Value;
            e.Sequence = ++sequence;
            return PathChange.Replaced;
        }

        var slot = pathId != 0 ? AllocatePathId(attributes.Value, pathId) : 0;
        var index = AllocateEntry();
        ref var entry = ref entries[index];
        entry.Attributes = pathId != 0 ? slot : attributes.Value;
        entry.Source = source.Id;
        entry.NextInPrefix = head != 0 ? head : ~node;
        entry.NextInSource = state.Head;
        entry.PrevInSource = 0;
        entry.Sequence = ++sequence;
        entry.Generation = state.GenerationOf(prefix.IsIPv6);
        entry.Flags = (prefix.IsIPv6 ? RouteEntryFlags.IPv6 : RouteEntryFlags.None) | (pathId != 0 ? RouteEntryFlags.HasPathId : RouteEntryFlags.None);
        head = index;
        if (state.Head != 0)
        {
            entries[state.Head].PrevInSource = index;
        }

        state.Head = index;
        state.Count++;
        state.Ipv6Count += prefix.IsIPv6 ? 1 : 0;
        PathCount++;
        return PathChange.Added;
    }

    /// <summary>Withdraws one path.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="source">Who withdrew it.</param>
    /// <param name="pathId">The ADD-PATH path identifier; 0 without ADD-PATH.</param>
    /// <param name="removed">The path that left, when it was present.</param>
    /// <returns>True when the path was present.</returns>
    public bool Withdraw(IpPrefix prefix, RouteSource source, uint pathId, out RemovedPath removed)
    {
        ArgumentNullException.ThrowIfNull(source);
        var node = prefixes.FindNode(prefix);
        if (node >= 0)
        {
            for (var i = prefixes.ValueAt(prefix.IsIPv6, node); i > 0; i = entries[i].NextInPrefix)
            {
                ref var e = ref entries[i];
                if (e.Source == source.Id && PathIdOf(in e) == pathId)
                {
                    removed = RemovePath(i);
                    return true;
                }
            }
        }

        removed = default;
        return false;
    }

    /// <summary>Withdraws one path.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="source">Who withdrew it.</param>
    /// <param name="pathId">The ADD-PATH path identifier; 0 without ADD-PATH.</param>
    /// <returns>True when the path was present.</returns>
    public bool Withdraw(IpPrefix prefix, RouteSource source, uint pathId = 0) => Withdraw(prefix, source, pathId, out _);

    /// <summary>
    /// Removes every path of a source (its session went down), in time proportional to that
    /// source's paths.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="removed">Receives each removed path (a prefix appears once per removed path), or null.</param>
    /// <returns>The number of paths removed.</returns>
    public int RemoveSource(RouteSource source, ICollection<RemovedPath>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if ((uint)source.Id >= (uint)sources.Length)
        {
            return 0;
        }

        var count = 0;
        var i = sources[source.Id].Head;
        while (i != 0)
        {
            EntryVisits++;
            var next = entries[i].NextInSource;
            var path = RemovePath(i);
            removed?.Add(path);
            count++;
            i = next;
        }

        return count;
    }

    /// <summary>
    /// Marks every path of a source stale (graceful restart, RFC 4724 §4.2) in O(1): the source's
    /// generation of each family moves on, and a path is stale while its generation is older than
    /// its family's. Announcing a path again refreshes it; <see cref="SweepStale"/> removes what is
    /// still stale.
    /// </summary>
    /// <param name="source">The source.</param>
    public void MarkStale(RouteSource source)
    {
        ref var state = ref SourceStateOf(source);
        AdvanceGeneration(ref state, ipv6: false);
        AdvanceGeneration(ref state, ipv6: true);
    }

    /// <summary>
    /// Marks the paths of one address family of a source stale in O(1) (enhanced route refresh,
    /// RFC 7313 §4: a Beginning of Route Refresh is per family); the other family is untouched.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="ipv6">True for IPv6, false for IPv4.</param>
    public void MarkStale(RouteSource source, bool ipv6)
    {
        ref var state = ref SourceStateOf(source);
        AdvanceGeneration(ref state, ipv6);
    }

    private void AdvanceGeneration(ref SourceState state, bool ipv6)
    {
        ref var generation = ref ipv6 ? ref state.Generation6 : ref state.Generation4;
        if (generation == RouteEntry.MaxGeneration)
        {
            // Renumber the family's paths before the counter wraps (once in 255 marks): fresh to 1, stale to 0.
            var family = ipv6 ? RouteEntryFlags.IPv6 : RouteEntryFlags.None;
            for (var i = state.Head; i != 0; i = entries[i].NextInSource)
            {
                ref var e = ref entries[i];
                if ((e.Flags & RouteEntryFlags.IPv6) == family)
                {
                    e.Generation = e.Generation == generation ? 1 : 0;
                }
            }

            generation = 1;
        }

        generation++;
    }

    /// <summary>Removes the paths of a source that are still stale (End-of-RIB or the stale timer), in time proportional to the source's paths.</summary>
    /// <param name="source">The source.</param>
    /// <param name="removed">Receives each removed path, or null.</param>
    /// <returns>The number of paths removed.</returns>
    public int SweepStale(RouteSource source, ICollection<RemovedPath>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if ((uint)source.Id >= (uint)sources.Length)
        {
            return 0;
        }

        var count = 0;
        ref var state = ref sources[source.Id];
        var i = state.Head;
        while (i != 0)
        {
            EntryVisits++;
            var next = entries[i].NextInSource;
            if (entries[i].Generation != state.GenerationOf((entries[i].Flags & RouteEntryFlags.IPv6) != 0))
            {
                var path = RemovePath(i);
                removed?.Add(path);
                count++;
            }

            i = next;
        }

        return count;
    }

    /// <summary>The number of paths a source has in the table.</summary>
    /// <param name="source">The source.</param>
    public int PathCountOf(RouteSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (uint)source.Id < (uint)sources.Length ? sources[source.Id].Count : 0;
    }

    /// <summary>The number of paths a source has in the table in one address family.</summary>
    /// <param name="source">The source.</param>
    /// <param name="ipv6">True for IPv6, false for IPv4.</param>
    public int PathCountOf(RouteSource source, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(source);
        if ((uint)source.Id >= (uint)sources.Length)
        {
            return 0;
        }

        ref var state = ref sources[source.Id];
        return ipv6 ? state.Ipv6Count : state.Count - state.Ipv6Count;
    }

    /// <summary>True when the prefix has at least one path.</summary>
    /// <param name="prefix">The prefix.</param>
    public bool Contains(IpPrefix prefix) => prefixes.FindNode(prefix) >= 0;

    /// <summary>The paths of a prefix, newest first (none when the prefix is absent).</summary>
    /// <param name="prefix">The prefix.</param>
    public PathEnumerable GetPaths(IpPrefix prefix)
    {
        var node = prefixes.FindNode(prefix);
        return new PathEnumerable(this, node >= 0 ? prefixes.ValueAt(prefix.IsIPv6, node) : 0);
    }

    /// <summary>The paths of one source (its Adj-RIB-In), newest first.</summary>
    /// <param name="source">The source.</param>
    public SourcePathEnumerable GetPathsOf(RouteSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SourcePathEnumerable(this, (uint)source.Id < (uint)sources.Length ? sources[source.Id].Head : 0);
    }

    /// <summary>One path by handle.</summary>
    /// <param name="id">A live handle.</param>
    /// <exception cref="ArgumentException">The handle is not live.</exception>
    public Route GetRoute(RouteId id) => MakeRoute(CheckLive(id));

    /// <summary>The prefix of a path.</summary>
    /// <param name="id">A live handle.</param>
    /// <exception cref="ArgumentException">The handle is not live.</exception>
    public IpPrefix GetPrefix(RouteId id)
    {
        var index = CheckLive(id);
        return prefixes.PrefixAt((entries[index].Flags & RouteEntryFlags.IPv6) != 0, NodeOf(index));
    }

    /// <summary>
    /// Records the decision process's choice for a prefix: <paramref name="best"/> becomes the best
    /// path, and it with the paths in <paramref name="multipath"/> the multipath set; every other
    /// path of the prefix loses both marks.
    /// </summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="best">A path of the prefix.</param>
    /// <param name="multipath">Further paths of the prefix for ECMP (may be empty, may repeat <paramref name="best"/>).</param>
    /// <exception cref="ArgumentException">A handle is not a live path of the prefix.</exception>
    public void SetSelection(IpPrefix prefix, RouteId best, ReadOnlySpan<RouteId> multipath)
    {
        var node = prefixes.FindNode(prefix);
        CheckPathOf(prefix, node, best, nameof(best));
        foreach (var id in multipath)
        {
            CheckPathOf(prefix, node, id, nameof(multipath));
        }

        ClearSelection(prefix.IsIPv6, node);
        entries[best.Value].Flags |= RouteEntryFlags.Best | RouteEntryFlags.Multipath;
        foreach (var id in multipath)
        {
            entries[id.Value].Flags |= RouteEntryFlags.Multipath;
        }
    }

    /// <summary>Forgets the recorded selection of a prefix (no best path, empty multipath set).</summary>
    /// <param name="prefix">The prefix; nothing happens when it is absent.</param>
    public void ClearSelection(IpPrefix prefix)
    {
        var node = prefixes.FindNode(prefix);
        if (node >= 0)
        {
            ClearSelection(prefix.IsIPv6, node);
        }
    }

    /// <summary>The best path recorded for a prefix by <see cref="SetSelection"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="best">The best path.</param>
    /// <returns>False when the prefix is absent or has no recorded best path.</returns>
    public bool TryGetBest(IpPrefix prefix, out Route best)
    {
        var node = prefixes.FindNode(prefix);
        if (node >= 0)
        {
            for (var i = prefixes.ValueAt(prefix.IsIPv6, node); i > 0; i = entries[i].NextInPrefix)
            {
                if ((entries[i].Flags & RouteEntryFlags.Best) != 0)
                {
                    best = MakeRoute(i);
                    return true;
                }
            }
        }

        best = default;
        return false;
    }

    /// <summary>Longest-prefix match of an IPv4 address given as a host-order number (the fast path).</summary>
    /// <param name="address">The address.</param>
    /// <param name="prefix">The longest prefix with paths that contains it.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongestIPv4(uint address, out IpPrefix prefix) => prefixes.TryMatchLongestIPv4(address, out prefix);

    /// <summary>Longest-prefix match of an IPv6 address given as a host-order number (the fast path).</summary>
    /// <param name="address">The address.</param>
    /// <param name="prefix">The longest prefix with paths that contains it.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongestIPv6(UInt128 address, out IpPrefix prefix) => prefixes.TryMatchLongestIPv6(address, out prefix, out _);

    /// <summary>Longest-prefix match of an address of either family.</summary>
    /// <param name="address">The address.</param>
    /// <param name="prefix">The longest prefix with paths that contains it.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongest(IPAddress address, out IpPrefix prefix) => prefixes.TryMatchLongest(address, out prefix, out _);

    /// <summary>Every prefix with paths, in <see cref="IpPrefix"/> order (IPv4 first).</summary>
    public PrefixEnumerable Prefixes => new(prefixes.GetEnumerator());

    /// <summary>The prefixes with paths within <paramref name="prefix"/>, in <see cref="IpPrefix"/> order.</summary>
    /// <param name="prefix">The covering prefix.</param>
    /// <param name="includeSelf">Whether <paramref name="prefix"/> itself is included when present.</param>
    public PrefixEnumerable MoreSpecifics(IpPrefix prefix, bool includeSelf = false) =>
        new(prefixes.MoreSpecifics(prefix, includeSelf).GetEnumerator());

    /// <summary>The prefixes with paths that contain <paramref name="prefix"/>, shortest first.</summary>
    /// <param name="prefix">The covered prefix.</param>
    /// <param name="includeSelf">Whether <paramref name="prefix"/> itself is included when present.</param>
    public CoveringPrefixEnumerable Covering(IpPrefix prefix, bool includeSelf = false) =>
        new(prefixes.Covering(prefix, includeSelf).GetEnumerator());

    internal Route MakeRoute(int index)
    {
        ref var e = ref entries[index];
        var source = sources[e.Source];
        var attributeSet = new AttributeSetId(AttributesOf(ref e));
        return new Route(
            new RouteId(index),
            source.Source!,
            Attributes[attributeSet],
            attributeSet,
            PathIdOf(in e),
            e.Sequence,
            e.Generation != source.GenerationOf((e.Flags & RouteEntryFlags.IPv6) != 0),
            (e.Flags & RouteEntryFlags.Best) != 0,
            (e.Flags & RouteEntryFlags.Multipath) != 0);
    }

    internal int NextInPrefix(int index) => Math.Max(entries[index].NextInPrefix, 0);

    internal int NextInSource(int index) => entries[index].NextInSource;

    private ref SourceState SourceStateOf(RouteSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var id = source.Id;
        if ((uint)id > MaxSourceId)
        {
            throw new ArgumentOutOfRangeException(nameof(source), id, "A route source id must be a small non-negative number.");
        }

        if (id >= sources.Length)
        {
            Array.Resize(ref sources, Math.Max(id + 1, sources.Length * 2));
        }

        ref var state = ref sources[id];
        if (!ReferenceEquals(state.Source, source))
        {
            // The newest description of a source wins (a peer's settings may change while its routes stay).
            state.Source = source;
        }

        return ref state;
    }

    private int CheckLive(RouteId id)
    {
        if ((uint)id.Value >= (uint)highWater || id.Value == 0 || entries[id.Value].Attributes == 0)
        {
            throw new ArgumentException($"{id} is not a path in this table.", nameof(id));
        }

        return id.Value;
    }

    private void CheckPathOf(IpPrefix prefix, int node, RouteId id, string parameter)
    {
        if (node < 0 || (uint)id.Value >= (uint)highWater || id.Value == 0)
        {
            throw new ArgumentException($"{id} is not a path of {prefix}.", parameter);
        }

        ref var e = ref entries[id.Value];
        if (e.Attributes == 0 || ((e.Flags & RouteEntryFlags.IPv6) != 0) != prefix.IsIPv6 || NodeOf(id.Value) != node)
        {
            throw new ArgumentException($"{id} is not a path of {prefix}.", parameter);
        }
    }

    /// <summary>The trie node of a path's prefix: the link after the last path of the prefix.</summary>
    private int NodeOf(int index)
    {
        var next = entries[index].NextInPrefix;
        while (next > 0)
        {
            EntryVisits++;
            next = entries[next].NextInPrefix;
        }

        return ~next;
    }

    private void ClearSelection(bool ipv6, int node)
    {
        for (var i = prefixes.ValueAt(ipv6, node); i > 0; i = entries[i].NextInPrefix)
        {
            entries[i].Flags &= ~(RouteEntryFlags.Best | RouteEntryFlags.Multipath);
        }
    }

    private RemovedPath RemovePath(int index)
    {
        ref var e = ref entries[index];
        var ipv6 = (e.Flags & RouteEntryFlags.IPv6) != 0;
        var node = NodeOf(index);

        // Unlink from the prefix's list (short: the paths of one prefix).
        ref var head = ref prefixes.ValueAt(ipv6, node);
        if (head == index)
        {
            head = Math.Max(e.NextInPrefix, 0);
        }
        else
        {
            var previous = head;
            while (entries[previous].NextInPrefix != index)
            {
                EntryVisits++;
                previous = entries[previous].NextInPrefix;
            }

            EntryVisits++;
            entries[previous].NextInPrefix = e.NextInPrefix;
        }

        // Unlink from the source's list in O(1).
        ref var state = ref sources[e.Source];
        if (e.PrevInSource == 0)
        {
            state.Head = e.NextInSource;
        }
        else
        {
            entries[e.PrevInSource].NextInSource = e.NextInSource;
        }

        if (e.NextInSource != 0)
        {
            entries[e.NextInSource].PrevInSource = e.PrevInSource;
        }

        state.Count--;
        state.Ipv6Count -= (e.Flags & RouteEntryFlags.IPv6) != 0 ? 1 : 0;
        PathCount--;

        var prefix = prefixes.PrefixAt(ipv6, node);
        var attributeSet = new AttributeSetId(AttributesOf(ref e));
        var result = new RemovedPath(
            prefix,
            state.Source!,
            PathIdOf(in e),
            Attributes[attributeSet],
            (e.Flags & RouteEntryFlags.Best) != 0,
            (e.Flags & RouteEntryFlags.Multipath) != 0,
            head == 0);
        if (head == 0)
        {
            prefixes.RemoveNode(ipv6, node);
        }

        Attributes.Release(attributeSet);
        if ((e.Flags & RouteEntryFlags.HasPathId) != 0)
        {
            FreePathId(e.Attributes);
        }

        e = default;
        e.NextInPrefix = freeHead;
        freeHead = index;
        return result;
    }

    /// <summary>The ADD-PATH path identifier of a path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint PathIdOf(in RouteEntry e) => (e.Flags & RouteEntryFlags.HasPathId) != 0 ? pathIds[e.Attributes].PathId : 0;

    /// <summary>Where a path's interned attribute set is stored: in the path, or in its path-id slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int AttributesOf(ref RouteEntry e)
    {
        if ((e.Flags & RouteEntryFlags.HasPathId) != 0)
        {
            return ref pathIds[e.Attributes].Attributes;
        }

        return ref e.Attributes;
    }

    private int AllocatePathId(int attributes, uint pathId)
    {
        int slot;
        if (pathIdFreeHead != 0)
        {
            slot = pathIdFreeHead;
            pathIdFreeHead = pathIds[slot].Attributes;
        }
        else
        {
            pathIds.EnsureIndex(pathIdHighWater);
            slot = pathIdHighWater++;
        }

        pathIds[slot] = new PathIdSlot { Attributes = attributes, PathId = pathId };
        return slot;
    }

    private void FreePathId(int slot)
    {
        pathIds[slot] = new PathIdSlot { Attributes = pathIdFreeHead };
        pathIdFreeHead = slot;
    }

    private int AllocateEntry()
    {
        if (freeHead != 0)
        {
            var index = freeHead;
            freeHead = entries[index].NextInPrefix;
            return index;
        }

        entries.EnsureIndex(highWater);
        return highWater++;
    }

    private struct SourceState
    {
        public RouteSource? Source;
        public int Head;
        public int Count;
        public int Ipv6Count;

        // Per family, so that a refresh of one family (RFC 7313) can mark it stale alone.
        public int Generation4;
        public int Generation6;

        public readonly int GenerationOf(bool ipv6) => ipv6 ? Generation6 : Generation4;
    }
}
