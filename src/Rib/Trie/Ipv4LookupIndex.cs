using System.Runtime.CompilerServices;

namespace BgpStack.Rib.Trie;

/// <summary>
/// A 16-8-8 multibit index over the IPv4 trie for longest-prefix match in at most three array
/// reads (the way DIR-24-8 and BIRD's and DPDK's LPM tables expand prefixes): a 65,536-entry
/// table for the first 16 bits, and 256-entry chunks for the next 8 and the last 8 bits where
/// longer prefixes exist. Each entry holds either the answer (the trie node of the longest prefix
/// covering that range, plus one, shifted left by 6 bits, with the prefix length in the low 6
/// bits, so that a lookup need not touch the trie; 0 for none) or, when negative, the complement
/// of the chunk that refines it.
/// Kept in step with the trie on every insertion and removal; a chunk is freed when no prefix
/// longer than its level is left under it.
/// </summary>
/// <typeparam name="TValue">The trie's value.</typeparam>
internal sealed class Ipv4LookupIndex<TValue>
{
    private const int ChunkSize = 256;

    /// <summary>The largest trie node index an answer can hold (answers are positive 32-bit numbers).</summary>
    public const int MaxNode = (int.MaxValue >> 6) - 1;
    private readonly BinaryTrie<uint, TValue> trie;
    private readonly int[] top = new int[65536];
    private int[] chunks = new int[ChunkSize * 16];
    private int[] prefixesUnder = new int[16];
    private int chunkHighWater;
    private int[] freeChunks = new int[16];
    private int freeChunkCount;

    /// <summary>Creates an empty index over a trie.</summary>
    /// <param name="trie">The IPv4 trie whose prefix nodes the index refers to.</param>
    public Ipv4LookupIndex(BinaryTrie<uint, TValue> trie) => this.trie = trie;

    /// <summary>The managed bytes held by the index.</summary>
    public long AllocatedBytes => ((long)top.Length + chunks.Length + prefixesUnder.Length + freeChunks.Length) * sizeof(int);

    /// <summary>The node of an answer, or -1 for none.</summary>
    /// <param name="answer">A value from <see cref="MatchLongest"/>.</param>
    public static int NodeOf(int answer) => (answer >> 6) - 1;

    /// <summary>The prefix length of an answer.</summary>
    /// <param name="answer">A non-zero value from <see cref="MatchLongest"/>.</param>
    public static int LengthOf(int answer) => answer & 63;

    /// <summary>The answer for the longest prefix containing an address (0 for none): see <see cref="NodeOf"/> and <see cref="LengthOf"/>.</summary>
    /// <param name="address">The address.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int MatchLongest(uint address)
    {
        var entry = top[address >> 16];
        if (entry < 0)
        {
            var all = chunks;
            entry = all[(~entry * ChunkSize) | (int)((address >> 8) & 0xFF)];
            if (entry < 0)
            {
                entry = all[(~entry * ChunkSize) | (int)(address & 0xFF)];
            }
        }

        return entry;
    }

    /// <summary>Records a prefix just added to the trie.</summary>
    /// <param name="key">The prefix bits.</param>
    /// <param name="length">The prefix length.</param>
    /// <param name="node">Its trie node.</param>
    /// <exception cref="InvalidOperationException">The trie has outgrown the index (more than <see cref="MaxNode"/> nodes).</exception>
    public void Add(uint key, int length, int node)
    {
        if (node > MaxNode)
        {
            throw new InvalidOperationException("The IPv4 trie has more nodes than its lookup index can address.");
        }

        var result = ((node + 1) << 6) | length;
        if (length <= 16)
        {
            var first = (int)(key >> 16);
            for (var i = first; i < first + (1 << (16 - length)); i++)
            {
                top[i] = Fill(top[i], length, result);
            }

            return;
        }

        var topIndex = (int)(key >> 16);
        if (top[topIndex] >= 0)
        {
            top[topIndex] = ~NewChunk(top[topIndex]);
        }

        var level2 = ~top[topIndex];
        prefixesUnder[level2]++;
        var offset = (int)((key >> 8) & 0xFF);
        if (length <= 24)
        {
            FillRange(level2, offset, 1 << (24 - length), length, result);
            return;
        }

        var level2Index = (level2 * ChunkSize) + offset;
        if (chunks[level2Index] >= 0)
        {
            // NewChunk may grow the chunk array: index it again afterwards.
            var created = NewChunk(chunks[level2Index]);
            chunks[level2Index] = ~created;
        }

        var level3 = ~chunks[level2Index];
        prefixesUnder[level3]++;
        FillRange(level3, (int)(key & 0xFF), 1 << (32 - length), length, result);
    }

    /// <summary>Forgets a prefix just removed from the trie.</summary>
    /// <param name="key">The prefix bits.</param>
    /// <param name="length">The prefix length.</param>
    /// <param name="node">The trie node it had.</param>
    /// <param name="covering">The node of the longest remaining prefix that covers it, or -1.</param>
    public void Remove(uint key, int length, int node, int covering)
    {
        var old = ((node + 1) << 6) | length;
        var replacement = covering < 0 ? 0 : ((covering + 1) << 6) | trie.NodeAt(covering).Length;
        if (length <= 16)
        {
            var first = (int)(key >> 16);
            for (var i = first; i < first + (1 << (16 - length)); i++)
            {
                top[i] = Replace(top[i], old, replacement);
            }

            return;
        }

        ref var topEntry = ref top[key >> 16];
        var level2 = ~topEntry;
        var offset = (int)((key >> 8) & 0xFF);
        if (length <= 24)
        {
            ReplaceRange(level2, offset, 1 << (24 - length), old, replacement);
        }
        else
        {
            ref var level2Entry = ref chunks[(level2 * ChunkSize) + offset];
            var level3 = ~level2Entry;
            ReplaceRange(level3, (int)(key & 0xFF), 1 << (32 - length), old, replacement);
            if (--prefixesUnder[level3] == 0)
            {
                level2Entry = Collapse(level3);
            }
        }

        if (--prefixesUnder[level2] == 0)
        {
            topEntry = Collapse(level2);
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Array.Clear(top);
        chunks = new int[ChunkSize * 16];
        prefixesUnder = new int[16];
        chunkHighWater = 0;
        freeChunkCount = 0;
    }

    /// <summary>The entry after a prefix of <paramref name="length"/> covering it is added.</summary>
    private int Fill(int entry, int length, int result)
    {
        if (entry < 0)
        {
            FillRange(~entry, 0, ChunkSize, length, result);
            return entry;
        }

        // Replace the answer when the new prefix is at least as long as the one it has.
        return entry == 0 || LengthOf(entry) <= length ? result : entry;
    }

    private void FillRange(int chunk, int first, int count, int length, int result)
    {
        var start = (chunk * ChunkSize) + first;
        for (var i = start; i < start + count; i++)
        {
            chunks[i] = Fill(chunks[i], length, result);
        }
    }

    private int Replace(int entry, int old, int replacement)
    {
        if (entry < 0)
        {
            ReplaceRange(~entry, 0, ChunkSize, old, replacement);
            return entry;
        }

        return entry == old ? replacement : entry;
    }

    private void ReplaceRange(int chunk, int first, int count, int old, int replacement)
    {
        var start = (chunk * ChunkSize) + first;
        for (var i = start; i < start + count; i++)
        {
            chunks[i] = Replace(chunks[i], old, replacement);
        }
    }

    /// <summary>A new chunk whose every entry holds <paramref name="answer"/>.</summary>
    private int NewChunk(int answer)
    {
        int chunk;
        if (freeChunkCount > 0)
        {
            chunk = freeChunks[--freeChunkCount];
        }
        else
        {
            chunk = chunkHighWater++;
            if ((chunk + 1) * ChunkSize > chunks.Length)
            {
                var grown = new int[chunks.Length * 2];
                chunks.AsSpan().CopyTo(grown);
                chunks = grown;
                Array.Resize(ref prefixesUnder, prefixesUnder.Length * 2);
            }
        }

        chunks.AsSpan(chunk * ChunkSize, ChunkSize).Fill(answer);
        prefixesUnder[chunk] = 0;
        return chunk;
    }

    /// <summary>Frees a chunk with no longer prefix under it; returns the single answer it held.</summary>
    private int Collapse(int chunk)
    {
        var answer = chunks[chunk * ChunkSize];
        if (freeChunkCount == freeChunks.Length)
        {
            Array.Resize(ref freeChunks, freeChunks.Length * 2);
        }

        freeChunks[freeChunkCount++] = chunk;
        return answer;
    }
}
