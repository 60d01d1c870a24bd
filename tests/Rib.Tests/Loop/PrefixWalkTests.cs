using BgpStack.Rib.Trie;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Rib.Tests.Looping;

public class PrefixWalkTests
{
    private static Gen<IpPrefix> Prefixes() =>
        Gen.OneOf(
            from bits in Gen.Choose(0, 255)
            from length in Gen.Choose(0, 32)
            select IpPrefix.FromIPv4((uint)bits << 24 | (uint)bits << 12, length),
            from bits in Gen.Choose(0, 255)
            from length in Gen.Elements(0, 1, 8, 32, 64, 127, 128)
            select IpPrefix.FromIPv6((UInt128)(uint)bits << 120 | (UInt128)(uint)bits, length));

    private static void Collect(PrefixTrie<int> trie, IpPrefix range, int limit, List<IpPrefix> prefixes)
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

    [Fact]
    public void Without_changes_a_chunked_walk_visits_the_table_in_order()
    {
        var arb = (from prefixes in Gen.ListOf(Prefixes())
                   from budget in Gen.Choose(1, 6)
                   select (prefixes, budget)).ToArbitrary();
        Prop.ForAll(arb, input =>
        {
            var trie = new PrefixTrie<int>();
            foreach (var prefix in input.prefixes)
            {
                trie[prefix] = 0;
            }

            var walk = new PrefixWalk();
            var visited = new List<IpPrefix>();
            var chunks = 0;
            while (!walk.Advance(input.budget, (r, l, p) => Collect(trie, r, l, p), () => true, visited.Add))
            {
                Assert.True(++chunks < 100_000);
            }

            Assert.Equal(trie.Select(p => p.Key), visited);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void With_changes_between_chunks_the_walk_stays_ordered_and_sees_what_stayed()
    {
        var arb = (from initial in Gen.ListOf(Prefixes())
                   from changes in Gen.ListOf(Prefixes().Zip(Gen.Elements(true, false)))
                   from budget in Gen.Choose(1, 4)
                   select (initial, changes, budget)).ToArbitrary();
        Prop.ForAll(arb, input =>
        {
            var trie = new PrefixTrie<int>();
            foreach (var prefix in input.initial)
            {
                trie[prefix] = 0;
            }

            var touched = new HashSet<IpPrefix>();
            var start = trie.Select(p => p.Key).ToHashSet();
            var walk = new PrefixWalk();
            var visited = new List<IpPrefix>();
            var next = 0;
            while (!walk.Advance(input.budget, (r, l, p) => Collect(trie, r, l, p), () => true, prefix =>
            {
                Assert.True(trie.ContainsKey(prefix), "a visited prefix is in the table when visited");
                visited.Add(prefix);
            }))
            {
                // One change between chunks: add or remove a prefix.
                if (next < input.changes.Count)
                {
                    var (prefix, add) = input.changes[next++];
                    touched.Add(prefix);
                    if (add)
                    {
                        trie[prefix] = 0;
                    }
                    else
                    {
                        trie.Remove(prefix);
                    }
                }
            }

            for (var i = 1; i < visited.Count; i++)
            {
                Assert.True(visited[i - 1] < visited[i], "strictly increasing, so never twice");
            }

            foreach (var prefix in start.Where(p => !touched.Contains(p)))
            {
                Assert.Contains(prefix, visited);
            }
        }).QuickCheckThrowOnFailure();
    }
}
