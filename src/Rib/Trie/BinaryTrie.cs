using System.Numerics;
using System.Runtime.CompilerServices;

namespace BgpStack.Rib.Trie;

/// <summary>
/// One node of a <see cref="BinaryTrie{TKey, TValue}"/>: a prefix (or a branch point) and its two
/// children. The prefix length and the prefix/branch bit share words with the child indices (24
/// bits each), so that an IPv4 node is 16 bytes.
/// </summary>
/// <typeparam name="TKey">The key: <see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6.</typeparam>
/// <typeparam name="TValue">The value stored at a prefix.</typeparam>
internal struct TrieNode<TKey, TValue>
    where TKey : unmanaged
{
    /// <summary>The largest node index a child link can hold.</summary>
    public const int MaxIndex = 0x00FFFFFF;

    /// <summary>The prefix bits, most significant first, host bits zero.</summary>
    public TKey Key;

    /// <summary>The value of a prefix node.</summary>
    public TValue Value;

    private uint left;
    private uint right;

    /// <summary>The child whose next bit is 0, or 0 for none (the root, index 0, is nobody's child).</summary>
    public int Left
    {
        readonly get => (int)(left & MaxIndex);
        set => left = (left & ~(uint)MaxIndex) | (uint)value;
    }

    /// <summary>The child whose next bit is 1, or 0 for none; also the free-list link of a free node.</summary>
    public int Right
    {
        readonly get => (int)(right & MaxIndex);
        set => right = (right & ~(uint)MaxIndex) | (uint)value;
    }

    /// <summary>The prefix length (0 to 128).</summary>
    public int Length
    {
        readonly get => (int)(left >> 24);
        set => left = (left & MaxIndex) | ((uint)value << 24);
    }

    /// <summary>True for a prefix node, false for a branch point that only joins two subtrees.</summary>
    public bool HasValue
    {
        readonly get => (int)right < 0;
        set => right = value ? right | 0x80000000u : right & 0x7FFFFFFFu;
    }
}

/// <summary>
/// A path-compressed binary (PATRICIA) trie for one address family whose nodes live in a segmented
/// struct array addressed by index, so that a table of a million prefixes is a handful of arrays rather
/// than millions of objects. Node indices of prefix nodes are stable for as long as the prefix is
/// present. At most 16,777,215 nodes (some 8 million prefixes) per family. Not thread-safe.
/// </summary>
/// <typeparam name="TKey">The key: <see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6.</typeparam>
/// <typeparam name="TValue">The value stored at a prefix.</typeparam>
internal sealed class BinaryTrie<TKey, TValue>
    where TKey : unmanaged, IBinaryInteger<TKey>, IUnsignedNumber<TKey>
{
    private SegmentedArray<TrieNode<TKey, TValue>> nodes = new();
    private int highWater = 1;
    private int freeHead;

    /// <summary>The number of address bits: 32 or 128.</summary>
    public static int Width
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.SizeOf<TKey>() * 8;
    }

    /// <summary>The number of prefixes (nodes with a value).</summary>
    public int Count { get; private set; }

    /// <summary>The number of nodes in use, the root and branch points included.</summary>
    public int NodeCount { get; private set; } = 1;

    /// <summary>The managed bytes held by the node array.</summary>
    public long AllocatedBytes => nodes.AllocatedBytes;

    /// <summary>A reference to a node.</summary>
    /// <param name="index">The node index.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TrieNode<TKey, TValue> NodeAt(int index) => ref nodes[index];

    /// <summary>All ones in the first <paramref name="length"/> bits.</summary>
    /// <param name="length">0 to <see cref="Width"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TKey Mask(int length) => length == 0 ? TKey.Zero : TKey.AllBitsSet << (Width - length);

    /// <summary>The bit of <paramref name="key"/> at <paramref name="position"/> (0 is the most significant).</summary>
    /// <param name="key">The key.</param>
    /// <param name="position">Less than <see cref="Width"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Bit(TKey key, int position) => ((key >> (Width - 1 - position)) & TKey.One) != TKey.Zero;

    /// <summary>The number of leading bits two keys share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CommonLength(TKey a, TKey b) => int.CreateTruncating(TKey.LeadingZeroCount(a ^ b));

    /// <summary>Finds the node of a prefix, adding it when absent.</summary>
    /// <param name="key">The prefix bits (host bits zero).</param>
    /// <param name="length">The prefix length.</param>
    /// <param name="added">True when the prefix was not present.</param>
    /// <returns>The prefix node's index.</returns>
    public int FindOrAdd(TKey key, int length, out bool added)
    {
        added = true;
        var node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (n.Length == length)
            {
                if (n.HasValue)
                {
                    added = false;
                }
                else
                {
                    n.HasValue = true;
                    Count++;
                }

                return node;
            }

            var right = Bit(key, n.Length);
            var child = right ? n.Right : n.Left;
            if (child == 0)
            {
                var leaf = Allocate(key, length, true);
                SetChild(node, right, leaf);
                return leaf;
            }

            ref var c = ref nodes[child];
            var common = Math.Min(Math.Min(length, c.Length), CommonLength(key, c.Key));
            if (common == c.Length)
            {
                node = child;
                continue;
            }

            var childKey = c.Key;
            if (common == length)
            {
                // The new prefix sits between this node and the child.
                var inserted = Allocate(key, length, true);
                SetChild(inserted, Bit(childKey, length), child);
                SetChild(node, right, inserted);
                return inserted;
            }

            var branch = Allocate(key & Mask(common), common, false);
            var newLeaf = Allocate(key, length, true);
            SetChild(branch, Bit(key, common), newLeaf);
            SetChild(branch, Bit(childKey, common), child);
            SetChild(node, right, branch);
            return newLeaf;
        }
    }

    /// <summary>Finds the node of a prefix.</summary>
    /// <param name="key">The prefix bits (host bits zero).</param>
    /// <param name="length">The prefix length.</param>
    /// <returns>The node index, or -1 when the prefix is absent.</returns>
    public int Find(TKey key, int length)
    {
        var node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (n.Length > length || CommonLength(key, n.Key) < n.Length)
            {
                return -1;
            }

            if (n.Length == length)
            {
                return n.HasValue ? node : -1;
            }

            node = Bit(key, n.Length) ? n.Right : n.Left;
            if (node == 0)
            {
                return -1;
            }
        }
    }

    /// <summary>The longest prefix that contains an address.</summary>
    /// <param name="address">The address bits.</param>
    /// <returns>The node index, or -1 when no prefix contains the address.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int MatchLongest(TKey address)
    {
        var best = -1;
        var node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (CommonLength(address, n.Key) < n.Length)
            {
                return best;
            }

            if (n.HasValue)
            {
                best = node;
            }

            if (n.Length == Width)
            {
                return best;
            }

            node = Bit(address, n.Length) ? n.Right : n.Left;
            if (node == 0)
            {
                return best;
            }
        }
    }

    /// <summary>The longest prefix strictly shorter than <paramref name="length"/> that contains <paramref name="key"/>.</summary>
    /// <param name="key">The prefix bits.</param>
    /// <param name="length">The prefix length.</param>
    /// <returns>The node index, or -1 when there is none.</returns>
    public int MatchLongestShorterThan(TKey key, int length)
    {
        var best = -1;
        var node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (n.Length >= length || CommonLength(key, n.Key) < n.Length)
            {
                return best;
            }

            if (n.HasValue)
            {
                best = node;
            }

            node = Bit(key, n.Length) ? n.Right : n.Left;
            if (node == 0)
            {
                return best;
            }
        }
    }

    /// <summary>The first node at or below a prefix: the root of the subtree of its more-specifics.</summary>
    /// <param name="key">The prefix bits.</param>
    /// <param name="length">The prefix length.</param>
    /// <returns>The node index, or -1 when nothing lies within the prefix.</returns>
    public int FindSubtree(TKey key, int length)
    {
        var node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (n.Length >= length)
            {
                return CommonLength(key, n.Key) >= length ? node : -1;
            }

            if (CommonLength(key, n.Key) < n.Length)
            {
                return -1;
            }

            node = Bit(key, n.Length) ? n.Right : n.Left;
            if (node == 0)
            {
                return -1;
            }
        }
    }

    /// <summary>Removes a prefix.</summary>
    /// <param name="key">The prefix bits.</param>
    /// <param name="length">The prefix length.</param>
    /// <returns>True when the prefix was present.</returns>
    public bool Remove(TKey key, int length)
    {
        int grandparent = -1, parent = -1, node = 0;
        while (true)
        {
            ref var n = ref nodes[node];
            if (n.Length > length || CommonLength(key, n.Key) < n.Length)
            {
                return false;
            }

            if (n.Length == length)
            {
                break;
            }

            grandparent = parent;
            parent = node;
            node = Bit(key, n.Length) ? n.Right : n.Left;
            if (node == 0)
            {
                return false;
            }
        }

        ref var found = ref nodes[node];
        if (!found.HasValue)
        {
            return false;
        }

        found.HasValue = false;
        found.Value = default!;
        Count--;
        if (node == 0 || (found.Left != 0 && found.Right != 0))
        {
            // The root stays; a node with two children stays as a branch point.
            return true;
        }

        var only = found.Left != 0 ? found.Left : found.Right;
        ReplaceChild(parent, node, only);
        Free(node);
        if (only == 0 && parent != 0 && !nodes[parent].HasValue)
        {
            // A branch point left with one child is no longer needed.
            ref var p = ref nodes[parent];
            var other = p.Left != 0 ? p.Left : p.Right;
            ReplaceChild(grandparent, parent, other);
            Free(parent);
        }

        return true;
    }

    /// <summary>Removes the prefix at a node.</summary>
    /// <param name="node">A prefix node's index.</param>
    /// <returns>True when the node held a prefix.</returns>
    public bool RemoveNode(int node)
    {
        ref var n = ref nodes[node];
        return n.HasValue && Remove(n.Key, n.Length);
    }

    /// <summary>Removes every prefix.</summary>
    public void Clear()
    {
        nodes = new SegmentedArray<TrieNode<TKey, TValue>>();
        highWater = 1;
        freeHead = 0;
        Count = 0;
        NodeCount = 1;
    }

    private void SetChild(int parent, bool right, int child)
    {
        ref var p = ref nodes[parent];
        if (right)
        {
            p.Right = child;
        }
        else
        {
            p.Left = child;
        }
    }

    private void ReplaceChild(int parent, int oldChild, int newChild)
    {
        ref var p = ref nodes[parent];
        if (p.Left == oldChild)
        {
            p.Left = newChild;
        }
        else
        {
            p.Right = newChild;
        }
    }

    private int Allocate(TKey key, int length, bool hasValue)
    {
        int index;
        if (freeHead != 0)
        {
            index = freeHead;
            freeHead = nodes[index].Right;
        }
        else
        {
            nodes.EnsureIndex(highWater);
            if (highWater > TrieNode<TKey, TValue>.MaxIndex)
            {
                throw new InvalidOperationException($"A prefix trie holds at most {TrieNode<TKey, TValue>.MaxIndex} nodes per address family.");
            }

            index = highWater++;
        }

        nodes[index] = new TrieNode<TKey, TValue> { Key = key, Length = length, HasValue = hasValue };
        NodeCount++;
        if (hasValue)
        {
            Count++;
        }

        return index;
    }

    private void Free(int index)
    {
        nodes[index] = new TrieNode<TKey, TValue> { Right = freeHead };
        freeHead = index;
        NodeCount--;
    }
}
