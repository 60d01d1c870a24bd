using System.Numerics;
using System.Runtime.CompilerServices;

namespace BgpStack.Rib.Trie;

/// <summary>Room for the pending subtrees of a depth-first walk: at most one per level of the deepest trie plus one.</summary>
[InlineArray(Capacity)]
internal struct NodeStack
{
    /// <summary>Enough for a walk over IPv6 (128 levels).</summary>
    public const int Capacity = 132;

    private int element;
}

/// <summary>
/// A depth-first, left-first walk over a subtree of a <see cref="BinaryTrie{TKey, TValue}"/> that
/// visits prefix nodes in <see cref="IpPrefix"/> order (address, then length), without allocating.
/// </summary>
internal struct TrieWalk
{
    private NodeStack stack;
    private int depth;

    /// <summary>Starts a walk at a node (or an empty walk for -1).</summary>
    /// <param name="start">The subtree's root, or -1.</param>
    public TrieWalk(int start)
    {
        if (start >= 0)
        {
            stack[0] = start;
            depth = 1;
        }
    }

    /// <summary>Moves to the next prefix node.</summary>
    /// <typeparam name="TKey">The trie's key.</typeparam>
    /// <typeparam name="TValue">The trie's value.</typeparam>
    /// <param name="trie">The trie being walked; it must not change during the walk.</param>
    /// <param name="node">The next prefix node.</param>
    /// <returns>False when the walk is over.</returns>
    public bool MoveNext<TKey, TValue>(BinaryTrie<TKey, TValue> trie, out int node)
        where TKey : unmanaged, IBinaryInteger<TKey>, IUnsignedNumber<TKey>
    {
        while (depth > 0)
        {
            node = stack[--depth];
            ref var n = ref trie.NodeAt(node);
            if (n.Right != 0)
            {
                stack[depth++] = n.Right;
            }

            if (n.Left != 0)
            {
                stack[depth++] = n.Left;
            }

            if (n.HasValue)
            {
                return true;
            }
        }

        node = -1;
        return false;
    }
}
