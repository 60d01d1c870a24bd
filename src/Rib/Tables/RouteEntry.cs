namespace BgpStack.Rib.Tables;

/// <summary>Bits of <see cref="RouteEntry.Flags"/>.</summary>
[Flags]
internal enum RouteEntryFlags : byte
{
    None = 0,

    /// <summary>The prefix node is in the IPv6 trie.</summary>
    IPv6 = 1,

    /// <summary>Recorded by the decision process: the best path of its prefix.</summary>
    Best = 2,

    /// <summary>Recorded by the decision process: a member of its prefix's multipath set.</summary>
    Multipath = 4,
}

/// <summary>
/// One path, stored by value in the table's route array: who (source, path id), what (interned
/// attribute set), and the links that chain it into its prefix's path list and its source's path
/// list. The last path of a prefix links to the prefix's trie node instead (as its complement), so
/// no path stores its prefix. 32 bytes; slot 0 of the array is never used, so 0 means none.
/// </summary>
internal struct RouteEntry
{
    /// <summary>The interned attribute set; 0 marks a free slot.</summary>
    public int Attributes;

    /// <summary>The source's <see cref="RouteSource.Id"/>.</summary>
    public int Source;

    /// <summary>The ADD-PATH path identifier (RFC 7911), 0 without ADD-PATH.</summary>
    public uint PathId;

    /// <summary>
    /// The next path of the same prefix; after the last path, the complement (~) of the prefix's
    /// trie node; for a free slot, the next free slot.
    /// </summary>
    public int NextInPrefix;

    /// <summary>The next path of the same source.</summary>
    public int NextInSource;

    /// <summary>The previous path of the same source (0 at the head), for O(1) unlinking.</summary>
    public int PrevInSource;

    /// <summary>Arrival order, refreshed when the attributes change.</summary>
    public uint Sequence;

    /// <summary>The source's generation when the path was last announced; older means stale.</summary>
    public ushort Generation;

    /// <summary>Family and selection bits.</summary>
    public RouteEntryFlags Flags;
}
