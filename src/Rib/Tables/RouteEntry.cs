using System.Runtime.CompilerServices;

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

    /// <summary>
    /// The path has a non-zero ADD-PATH path identifier: <see cref="RouteEntry.Attributes"/> then
    /// indexes a <see cref="PathIdSlot"/> that holds the attribute set and the identifier.
    /// </summary>
    HasPathId = 8,
}

/// <summary>
/// One path, stored by value in the table's route array: who (source), what (interned attribute
/// set, or for a path with a non-zero ADD-PATH identifier a slot holding the set and the
/// identifier), and the links that chain it into its prefix's path list and its source's path
/// list. The last path of a prefix links to the prefix's trie node instead (as its complement), so
/// no path stores its prefix. 24 bytes; slot 0 of the array is never used, so 0 means none.
/// </summary>
internal struct RouteEntry
{
    /// <summary>The largest generation a path records; the table renumbers before its counter passes it.</summary>
    public const int MaxGeneration = 0xFF;

    private const uint SourceMask = 0x000FFFFF;
    private const int FlagsShift = 20;
    private const int GenerationShift = 24;

    /// <summary>
    /// The interned attribute set, or with <see cref="RouteEntryFlags.HasPathId"/> the index of
    /// the path's <see cref="PathIdSlot"/>; 0 marks a free slot.
    /// </summary>
    public int Attributes;

    /// <summary>The next path of the same prefix; after the last path, the complement (~) of the prefix's trie node; for a free slot, the next free slot.</summary>
    public int NextInPrefix;

    /// <summary>The next path of the same source.</summary>
    public int NextInSource;

    /// <summary>The previous path of the same source (0 at the head), for O(1) unlinking.</summary>
    public int PrevInSource;

    /// <summary>Arrival order, refreshed when the attributes change.</summary>
    public uint Sequence;

    // Source id (20 bits), flags (4 bits), generation (8 bits).
    private uint packed;

    /// <summary>The source's <see cref="RouteSource.Id"/> (below 2^20).</summary>
    public int Source
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => (int)(packed & SourceMask);
        set => packed = (packed & ~SourceMask) | (uint)value;
    }

    /// <summary>Family, selection and path-id bits.</summary>
    public RouteEntryFlags Flags
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => (RouteEntryFlags)((packed >> FlagsShift) & 0xF);
        set => packed = (packed & ~(0xFu << FlagsShift)) | ((uint)value << FlagsShift);
    }

    /// <summary>The source's generation (0 to <see cref="MaxGeneration"/>) when the path was last announced; older means stale.</summary>
    public int Generation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => (int)(packed >> GenerationShift);
        set => packed = (packed & ((1u << GenerationShift) - 1)) | ((uint)value << GenerationShift);
    }
}

/// <summary>
/// The attribute set and ADD-PATH path identifier (RFC 7911) of a path whose identifier is not 0,
/// kept beside the route array so that the common path without an identifier does not pay for one.
/// </summary>
internal struct PathIdSlot
{
    /// <summary>The interned attribute set; for a free slot, the next free slot.</summary>
    public int Attributes;

    /// <summary>The ADD-PATH path identifier.</summary>
    public uint PathId;
}
