using System.Buffers.Binary;
using System.Collections;
using System.Net;

namespace BgpStack.Rib.Trie;

/// <summary>
/// A map from IPv4 and IPv6 prefixes to values with the queries routing needs: exact lookup,
/// longest-prefix match, all more-specifics of a prefix, all covering prefixes and ordered
/// iteration. One path-compressed binary trie per family, its nodes in a struct array (no object
/// per prefix). Not thread-safe: one owner mutates and reads it.
/// </summary>
/// <typeparam name="TValue">The value stored at each prefix.</typeparam>
public sealed class PrefixTrie<TValue> : IEnumerable<KeyValuePair<IpPrefix, TValue>>
{
    private readonly BinaryTrie<uint, TValue> v4 = new();
    private readonly BinaryTrie<UInt128, TValue> v6 = new();
    // Null when the trie was made without one: exact lookups then walk the trie.
    private readonly Ipv4LookupIndex<TValue>? v4Index;

    /// <summary>Creates an empty trie with the IPv4 lookup index.</summary>
    public PrefixTrie()
        : this(ipv4LookupIndex: true)
    {
    }

    /// <summary>Creates an empty trie.</summary>
    /// <param name="ipv4LookupIndex">
    /// Keep the IPv4 lookup index (about 4.5 B per /24 at a million routes) that makes IPv4
    /// longest-prefix matches and exact lookups a few array reads. A table that only adds, removes
    /// and finds exact prefixes (an Adj-RIB-Out) does as well walking the trie.
    /// </param>
    public PrefixTrie(bool ipv4LookupIndex) => v4Index = ipv4LookupIndex ? new Ipv4LookupIndex<TValue>(v4) : null;

    /// <summary>The number of prefixes of both families.</summary>
    public int Count => v4.Count + v6.Count;

    /// <summary>The number of IPv4 prefixes.</summary>
    public int IPv4Count => v4.Count;

    /// <summary>The number of IPv6 prefixes.</summary>
    public int IPv6Count => v6.Count;

    internal BinaryTrie<uint, TValue> IPv4 => v4;

    internal BinaryTrie<UInt128, TValue> IPv6 => v6;

    /// <summary>The value of a prefix; setting adds or replaces it.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <exception cref="KeyNotFoundException">Getting a prefix that is absent.</exception>
    public TValue this[IpPrefix prefix]
    {
        get => TryGetValue(prefix, out var value) ? value : throw new KeyNotFoundException($"{prefix} is not in the trie.");
        set => GetOrAddValueRef(prefix, out _) = value;
    }

    /// <summary>Adds a prefix unless it is present.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="value">Its value.</param>
    /// <returns>True when added, false when the prefix was already present (its value unchanged).</returns>
    public bool TryAdd(IpPrefix prefix, TValue value)
    {
        ref var slot = ref GetOrAddValueRef(prefix, out var added);
        if (added)
        {
            slot = value;
        }

        return added;
    }

    /// <summary>
    /// A reference to the value of a prefix, adding the prefix (with the default value) when absent.
    /// The reference is valid until the trie next changes.
    /// </summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="added">True when the prefix was added.</param>
    public ref TValue GetOrAddValueRef(IpPrefix prefix, out bool added)
    {
        if (prefix.IsIPv6)
        {
            var node = v6.FindOrAdd(prefix.Ipv6Bits, prefix.Length, out added);
            return ref v6.NodeAt(node).Value;
        }
        else
        {
            var node = AddIPv4(prefix.Ipv4Bits, prefix.Length, out added);
            return ref v4.NodeAt(node).Value;
        }
    }

    /// <summary>Exact lookup.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="value">Its value when present.</param>
    /// <returns>True when the prefix is present.</returns>
    public bool TryGetValue(IpPrefix prefix, out TValue value)
    {
        if (prefix.IsIPv6)
        {
            var node = v6.Find(prefix.Ipv6Bits, prefix.Length);
            value = node >= 0 ? v6.NodeAt(node).Value : default!;
            return node >= 0;
        }
        else
        {
            var node = FindIPv4(prefix.Ipv4Bits, prefix.Length);
            value = node >= 0 ? v4.NodeAt(node).Value : default!;
            return node >= 0;
        }
    }

    /// <summary>True when the prefix is present.</summary>
    /// <param name="prefix">The prefix.</param>
    public bool ContainsKey(IpPrefix prefix) => TryGetValue(prefix, out _);

    /// <summary>Removes a prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>True when it was present.</returns>
    public bool Remove(IpPrefix prefix) =>
        prefix.IsIPv6 ? v6.Remove(prefix.Ipv6Bits, prefix.Length) : RemoveIPv4(prefix.Ipv4Bits, prefix.Length);

    /// <summary>Removes every prefix.</summary>
    public void Clear()
    {
        v4.Clear();
        v4Index?.Clear();
        v6.Clear();
    }

    /// <summary>Longest-prefix match of an IPv4 address given as a host-order number (the fast path).</summary>
    /// <param name="address">The address, most significant octet in the top bits.</param>
    /// <param name="prefix">The longest prefix containing the address.</param>
    /// <param name="value">Its value.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongestIPv4(uint address, out IpPrefix prefix, out TValue value)
    {
        var node = v4Index is null ? v4.MatchLongest(address) : Ipv4LookupIndex<TValue>.NodeOf(v4Index.MatchLongest(address));
        if (node < 0)
        {
            prefix = default;
            value = default!;
            return false;
        }

        ref var n = ref v4.NodeAt(node);
        prefix = IpPrefix.FromIPv4(n.Key, n.Length);
        value = n.Value;
        return true;
    }

    /// <summary>Longest-prefix match of an IPv4 address, the prefix only (never touches the trie itself).</summary>
    internal bool TryMatchLongestIPv4(uint address, out IpPrefix prefix)
    {
        if (v4Index is null)
        {
            return TryMatchLongestIPv4(address, out prefix, out _);
        }

        var answer = v4Index.MatchLongest(address);
        prefix = answer == 0 ? default : IpPrefix.FromIPv4(address, Ipv4LookupIndex<TValue>.LengthOf(answer));
        return answer != 0;
    }

    /// <summary>Longest-prefix match of an IPv6 address given as a host-order number (the fast path).</summary>
    /// <param name="address">The address, most significant octet in the top bits.</param>
    /// <param name="prefix">The longest prefix containing the address.</param>
    /// <param name="value">Its value.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongestIPv6(UInt128 address, out IpPrefix prefix, out TValue value)
    {
        var node = v6.MatchLongest(address);
        if (node < 0)
        {
            prefix = default;
            value = default!;
            return false;
        }

        ref var n = ref v6.NodeAt(node);
        prefix = IpPrefix.FromIPv6(n.Key, n.Length);
        value = n.Value;
        return true;
    }

    /// <summary>Longest-prefix match of an address of either family.</summary>
    /// <param name="address">The address.</param>
    /// <param name="prefix">The longest prefix containing the address.</param>
    /// <param name="value">Its value.</param>
    /// <returns>False when no prefix contains the address.</returns>
    public bool TryMatchLongest(IPAddress address, out IpPrefix prefix, out TValue value)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("Unsupported address.", nameof(address));
        }

        return written == 4
            ? TryMatchLongestIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes), out prefix, out value)
            : TryMatchLongestIPv6(BinaryPrimitives.ReadUInt128BigEndian(bytes), out prefix, out value);
    }

    /// <summary>The prefixes within <paramref name="prefix"/>, in <see cref="IpPrefix"/> order.</summary>
    /// <param name="prefix">The covering prefix.</param>
    /// <param name="includeSelf">Whether <paramref name="prefix"/> itself is included when present.</param>
    public Enumerable MoreSpecifics(IpPrefix prefix, bool includeSelf = false)
    {
        var start = prefix.IsIPv6
            ? v6.FindSubtree(prefix.Ipv6Bits, prefix.Length)
            : v4.FindSubtree(prefix.Ipv4Bits, prefix.Length);
        return new Enumerable(this, prefix.IsIPv6, false, start, includeSelf ? -1 : prefix.Length);
    }

    /// <summary>The prefixes that contain <paramref name="prefix"/>, shortest first.</summary>
    /// <param name="prefix">The covered prefix.</param>
    /// <param name="includeSelf">Whether <paramref name="prefix"/> itself is included when present.</param>
    public CoveringEnumerable Covering(IpPrefix prefix, bool includeSelf = false) => new(this, prefix, includeSelf);

    /// <summary>Every prefix in <see cref="IpPrefix"/> order: IPv4 first, then IPv6.</summary>
    public Enumerator GetEnumerator() => new(this, false, true, 0, -1);

    IEnumerator<KeyValuePair<IpPrefix, TValue>> IEnumerable<KeyValuePair<IpPrefix, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The prefix stored at a node of one family.</summary>
    internal IpPrefix PrefixAt(bool ipv6, int node)
    {
        if (ipv6)
        {
            ref var n = ref v6.NodeAt(node);
            return IpPrefix.FromIPv6(n.Key, n.Length);
        }
        else
        {
            ref var n = ref v4.NodeAt(node);
            return IpPrefix.FromIPv4(n.Key, n.Length);
        }
    }

    /// <summary>Finds the node of a prefix, adding the prefix when absent.</summary>
    internal int FindOrAddNode(IpPrefix prefix, out bool added) =>
        prefix.IsIPv6 ? v6.FindOrAdd(prefix.Ipv6Bits, prefix.Length, out added) : AddIPv4(prefix.Ipv4Bits, prefix.Length, out added);

    /// <summary>The node of a prefix, or -1.</summary>
    internal int FindNode(IpPrefix prefix) =>
        prefix.IsIPv6 ? v6.Find(prefix.Ipv6Bits, prefix.Length) : FindIPv4(prefix.Ipv4Bits, prefix.Length);

    /// <summary>Removes the prefix at a node of one family.</summary>
    internal bool RemoveNode(bool ipv6, int node)
    {
        if (ipv6)
        {
            return v6.RemoveNode(node);
        }

        ref var n = ref v4.NodeAt(node);
        return n.HasValue && RemoveIPv4(n.Key, n.Length);
    }

    /// <summary>The managed bytes held by the IPv4 and IPv6 tries and the IPv4 lookup index.</summary>
    internal long AllocatedBytes => v4.AllocatedBytes + v6.AllocatedBytes + (v4Index?.AllocatedBytes ?? 0);

    /// <summary>
    /// Exact lookup of an IPv4 prefix, through the LPM index when it can answer: the longest prefix
    /// containing the prefix's first address is the prefix itself when the lengths agree, and
    /// proves it absent when shorter. Only a prefix with longer ones at its first address needs
    /// the walk down the trie.
    /// </summary>
    private int FindIPv4(uint key, int length)
    {
        if (v4Index is null)
        {
            return v4.Find(key, length);
        }

        var answer = v4Index.MatchLongest(key);
        if (answer == 0)
        {
            return -1;
        }

        var found = Ipv4LookupIndex<TValue>.LengthOf(answer);
        return found == length ? Ipv4LookupIndex<TValue>.NodeOf(answer)
            : found < length ? -1
            : v4.Find(key, length);
    }

    private int AddIPv4(uint key, int length, out bool added)
    {
        var existing = FindIPv4(key, length);
        if (existing >= 0)
        {
            added = false;
            return existing;
        }

        var node = v4.FindOrAdd(key, length, out added);
        if (added)
        {
            v4Index?.Add(key, length, node);
        }

        return node;
    }

    private bool RemoveIPv4(uint key, int length)
    {
        var node = FindIPv4(key, length);
        if (node < 0)
        {
            return false;
        }

        if (v4Index is null)
        {
            return v4.Remove(key, length);
        }

        var covering = v4.MatchLongestShorterThan(key, length);
        v4.Remove(key, length);
        v4Index.Remove(key, length, node, covering);
        return true;
    }

    /// <summary>A reference to the value at a node of one family.</summary>
    internal ref TValue ValueAt(bool ipv6, int node) => ref ipv6 ? ref v6.NodeAt(node).Value : ref v4.NodeAt(node).Value;

    /// <summary>A subtree walk (more-specifics, or the whole trie) as a foreach-able value.</summary>
    public readonly struct Enumerable : IEnumerable<KeyValuePair<IpPrefix, TValue>>
    {
        private readonly PrefixTrie<TValue> trie;
        private readonly bool ipv6;
        private readonly bool bothFamilies;
        private readonly int start;
        private readonly int skipLength;

        internal Enumerable(PrefixTrie<TValue> trie, bool ipv6, bool bothFamilies, int start, int skipLength)
        {
            this.trie = trie;
            this.ipv6 = ipv6;
            this.bothFamilies = bothFamilies;
            this.start = start;
            this.skipLength = skipLength;
        }

        /// <summary>Starts the walk.</summary>
        public Enumerator GetEnumerator() => new(trie, ipv6, bothFamilies, start, skipLength);

        IEnumerator<KeyValuePair<IpPrefix, TValue>> IEnumerable<KeyValuePair<IpPrefix, TValue>>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Walks prefixes in <see cref="IpPrefix"/> order without allocating. The trie must not change meanwhile.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<IpPrefix, TValue>>
    {
        private readonly PrefixTrie<TValue> trie;
        private readonly bool bothFamilies;
        private readonly int skipLength;
        private readonly int start;
        private readonly bool startIPv6;
        private bool ipv6;
        private TrieWalk walk;
        private int node;

        internal Enumerator(PrefixTrie<TValue> trie, bool ipv6, bool bothFamilies, int start, int skipLength)
        {
            this.trie = trie;
            this.ipv6 = ipv6;
            startIPv6 = ipv6;
            this.bothFamilies = bothFamilies;
            this.start = start;
            this.skipLength = skipLength;
            walk = new TrieWalk(start);
            node = -1;
        }

        /// <summary>The current prefix and its value.</summary>
        public readonly KeyValuePair<IpPrefix, TValue> Current =>
            new(trie.PrefixAt(ipv6, node), trie.ValueAt(ipv6, node));

        /// <summary>The current prefix.</summary>
        public readonly IpPrefix CurrentPrefix => trie.PrefixAt(ipv6, node);

        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next prefix.</summary>
        public bool MoveNext()
        {
            while (true)
            {
                var more = ipv6 ? walk.MoveNext(trie.v6, out node) : walk.MoveNext(trie.v4, out node);
                if (more)
                {
                    if (skipLength >= 0 && (ipv6 ? trie.v6.NodeAt(node).Length : trie.v4.NodeAt(node).Length) == skipLength)
                    {
                        continue;
                    }

                    return true;
                }

                if (bothFamilies && !ipv6)
                {
                    ipv6 = true;
                    walk = new TrieWalk(0);
                    continue;
                }

                return false;
            }
        }

        /// <summary>Starts over.</summary>
        public void Reset()
        {
            ipv6 = startIPv6;
            walk = new TrieWalk(start);
            node = -1;
        }

        /// <summary>Nothing to release.</summary>
        public readonly void Dispose()
        {
        }
    }

    /// <summary>The prefixes covering a prefix as a foreach-able value.</summary>
    public readonly struct CoveringEnumerable : IEnumerable<KeyValuePair<IpPrefix, TValue>>
    {
        private readonly PrefixTrie<TValue> trie;
        private readonly IpPrefix prefix;
        private readonly bool includeSelf;

        internal CoveringEnumerable(PrefixTrie<TValue> trie, IpPrefix prefix, bool includeSelf)
        {
            this.trie = trie;
            this.prefix = prefix;
            this.includeSelf = includeSelf;
        }

        /// <summary>Starts the walk.</summary>
        public CoveringEnumerator GetEnumerator() => new(trie, prefix, includeSelf);

        IEnumerator<KeyValuePair<IpPrefix, TValue>> IEnumerable<KeyValuePair<IpPrefix, TValue>>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Walks down from the root along a prefix, yielding the prefixes that contain it, shortest first.</summary>
    public struct CoveringEnumerator : IEnumerator<KeyValuePair<IpPrefix, TValue>>
    {
        private readonly PrefixTrie<TValue> trie;
        private readonly IpPrefix prefix;
        private readonly bool includeSelf;
        private int next;
        private int node;

        internal CoveringEnumerator(PrefixTrie<TValue> trie, IpPrefix prefix, bool includeSelf)
        {
            this.trie = trie;
            this.prefix = prefix;
            this.includeSelf = includeSelf;
            next = 0;
            node = -1;
        }

        /// <summary>The current prefix and its value.</summary>
        public readonly KeyValuePair<IpPrefix, TValue> Current =>
            new(trie.PrefixAt(prefix.IsIPv6, node), trie.ValueAt(prefix.IsIPv6, node));

        /// <summary>The current prefix.</summary>
        public readonly IpPrefix CurrentPrefix => trie.PrefixAt(prefix.IsIPv6, node);

        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next covering prefix.</summary>
        public bool MoveNext() =>
            prefix.IsIPv6 ? Step(trie.v6, prefix.Ipv6Bits) : Step(trie.v4, prefix.Ipv4Bits);

        /// <summary>Starts over.</summary>
        public void Reset()
        {
            next = 0;
            node = -1;
        }

        /// <summary>Nothing to release.</summary>
        public readonly void Dispose()
        {
        }

        private bool Step<TKey>(BinaryTrie<TKey, TValue> t, TKey key)
            where TKey : unmanaged, System.Numerics.IBinaryInteger<TKey>, System.Numerics.IUnsignedNumber<TKey>
        {
            var length = prefix.Length;
            while (next >= 0)
            {
                var current = next;
                ref var n = ref t.NodeAt(current);
                if (n.Length > length || ((key ^ n.Key) & BinaryTrie<TKey, TValue>.Mask(n.Length)) != TKey.Zero)
                {
                    next = -1;
                    break;
                }

                if (n.Length == length)
                {
                    next = -1;
                }
                else
                {
                    next = BinaryTrie<TKey, TValue>.Bit(key, n.Length) ? n.Right : n.Left;
                    if (next == 0)
                    {
                        next = -1;
                    }
                }

                if (n.HasValue && (includeSelf || n.Length < length))
                {
                    node = current;
                    return true;
                }
            }

            node = -1;
            return false;
        }
    }
}
