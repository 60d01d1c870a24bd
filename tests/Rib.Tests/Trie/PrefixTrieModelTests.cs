using BgpStack.Rib.Trie;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Rib.Tests.Trie;

/// <summary>Random operation sequences on <see cref="PrefixTrie{TValue}"/> checked against a sorted list.</summary>
public class PrefixTrieModelTests
{
    public enum OpKind
    {
        Insert,
        Remove,
        Lookup,
        MatchLongest,
        MoreSpecifics,
        Covering,
        Iterate,
    }

    public sealed record Op(OpKind Kind, IpPrefix Prefix, IpPrefix Address, int Value, bool IncludeSelf)
    {
        public override string ToString() => $"{Kind} {Prefix} addr={Address.Address} v={Value} self={IncludeSelf}";
    }

    // A few address patterns so that generated prefixes nest and overlap; plus fully random ones.
    private static readonly uint[] Ipv4Seeds = [0x0A000000, 0x0A010200, 0x0A0102FF, 0xC0A80000, 0xFFFFFFFF, 0x00000000, 0x80000000, 0x7FFFFFFF];

    private static readonly UInt128[] Ipv6Seeds =
    [
        UInt128.Zero, UInt128.MaxValue, new UInt128(0x20010DB800000000, 0), new UInt128(0x20010DB800010000, 1),
        new UInt128(0x20010DB8FFFFFFFF, ulong.MaxValue), new UInt128(0x8000000000000000, 0), new UInt128(0x7FFFFFFFFFFFFFFF, ulong.MaxValue),
    ];

    private static Gen<IpPrefix> Ipv4Prefix =>
        from address in Gen.Frequency(
            (3, Gen.Elements(Ipv4Seeds)),
            (1, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i)))
        from length in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(32)), (6, Gen.Choose(0, 32)))
        select IpPrefix.FromIPv4(address, length);

    private static Gen<IpPrefix> Ipv6Prefix =>
        from address in Gen.Frequency(
            (3, Gen.Elements(Ipv6Seeds)),
            (1, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
                .Select(t => new UInt128((ulong)(uint)t.Item1 << 32 | 0x20010DB8, (ulong)(uint)t.Item2))))
        from length in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(128)), (6, Gen.Choose(0, 128)))
        select IpPrefix.FromIPv6(address, length);

    private static Gen<Op> OpGen(Gen<IpPrefix> prefix, int hostLength) =>
        from kind in Gen.Frequency(
            (5, Gen.Constant(OpKind.Insert)),
            (3, Gen.Constant(OpKind.Remove)),
            (2, Gen.Constant(OpKind.Lookup)),
            (3, Gen.Constant(OpKind.MatchLongest)),
            (2, Gen.Constant(OpKind.MoreSpecifics)),
            (2, Gen.Constant(OpKind.Covering)),
            (1, Gen.Constant(OpKind.Iterate)))
        from p in prefix
        from a in prefix
        from value in Gen.Choose(0, 1000)
        from self in Gen.Elements(true, false)
        select new Op(kind, p, IpPrefix.Create(a.Address, hostLength), value, self);

    private static Arbitrary<List<Op>> Sequences(Gen<IpPrefix> prefix, int hostLength) =>
        Arb.From(Gen.ListOf(OpGen(prefix, hostLength)).Select(ops => ops.ToList()));

    [Fact]
    public void Ipv4_operation_sequences_agree_with_a_sorted_list()
    {
        Prop.ForAll(Sequences(Ipv4Prefix, 32), ops => Run(ops)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Dense_ipv4_sequences_across_the_lookup_index_levels_agree_with_a_sorted_list()
    {
        // Prefixes of 12 to 32 bits packed into 10.0.0.0/12: index chunks are created, shared and freed.
        var dense =
            from low in Gen.Choose(0, 0xFFFFF)
            from length in Gen.Choose(12, 32)
            select IpPrefix.FromIPv4(0x0A000000u | ((uint)low << 4 & 0x000FFFFF) | ((uint)low & 0xF), length);
        Prop.ForAll(Sequences(dense, 32), ops => Run(ops)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Ipv6_operation_sequences_agree_with_a_sorted_list()
    {
        Prop.ForAll(Sequences(Ipv6Prefix, 128), ops => Run(ops)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Mixed_family_operation_sequences_agree_with_a_sorted_list()
    {
        var mixed = Gen.OneOf(OpGen(Ipv4Prefix, 32), OpGen(Ipv6Prefix, 128));
        Prop.ForAll(Arb.From(Gen.ListOf(mixed).Select(ops => ops.ToList())), ops => Run(ops)).QuickCheckThrowOnFailure();
    }

    private static bool Contains(IpPrefix outer, IpPrefix inner) =>
        outer.IsIPv6 == inner.IsIPv6 && outer.Length <= inner.Length && IpPrefix.Create(inner.Address, outer.Length) == outer;

    private static bool Run(List<Op> ops) => Run(ops, new PrefixTrie<int>()) && Run(ops, new PrefixTrie<int>(ipv4LookupIndex: false));

    private static bool Run(List<Op> ops, PrefixTrie<int> trie)
    {
        var model = new SortedList<IpPrefix, int>();
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case OpKind.Insert:
                    var added = trie.TryAdd(op.Prefix, op.Value);
                    Assert.Equal(model.TryAdd(op.Prefix, op.Value), added);
                    break;
                case OpKind.Remove:
                    Assert.Equal(model.Remove(op.Prefix), trie.Remove(op.Prefix));
                    break;
                case OpKind.Lookup:
                    var found = trie.TryGetValue(op.Prefix, out var value);
                    Assert.Equal(model.TryGetValue(op.Prefix, out var expected), found);
                    Assert.Equal(expected, value);
                    break;
                case OpKind.MatchLongest:
                    var covering = model.Keys.Where(p => Contains(p, op.Address)).OrderBy(p => p.Length).ToList();
                    var matched = trie.TryMatchLongest(op.Address.Address, out var prefix, out var matchedValue);
                    Assert.Equal(covering.Count > 0, matched);
                    if (!op.Address.IsIPv6)
                    {
                        Assert.Equal(covering.Count > 0, trie.TryMatchLongestIPv4(op.Address.Ipv4Bits, out IpPrefix _));
                    }

                    if (matched)
                    {
                        var best = covering[^1];
                        Assert.Equal(best, prefix);
                        Assert.Equal(model[best], matchedValue);
                        var fast = op.Address.IsIPv6
                            ? trie.TryMatchLongestIPv6(op.Address.Ipv6Bits, out var fastPrefix, out _)
                            : trie.TryMatchLongestIPv4(op.Address.Ipv4Bits, out fastPrefix, out _);
                        Assert.True(fast);
                        Assert.Equal(best, fastPrefix);
                        if (!op.Address.IsIPv6)
                        {
                            Assert.True(trie.TryMatchLongestIPv4(op.Address.Ipv4Bits, out IpPrefix prefixOnly));
                            Assert.Equal(best, prefixOnly);
                        }
                    }

                    break;
                case OpKind.MoreSpecifics:
                    Assert.Equal(
                        model.Where(kv => Contains(op.Prefix, kv.Key) && (op.IncludeSelf || kv.Key != op.Prefix)),
                        trie.MoreSpecifics(op.Prefix, op.IncludeSelf));
                    break;
                case OpKind.Covering:
                    Assert.Equal(
                        model.Where(kv => Contains(kv.Key, op.Prefix) && (op.IncludeSelf || kv.Key != op.Prefix)).OrderBy(kv => kv.Key.Length),
                        trie.Covering(op.Prefix, op.IncludeSelf));
                    break;
                case OpKind.Iterate:
                    Assert.Equal(model, trie);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(ops));
            }

            Assert.Equal(model.Count, trie.Count);
        }

        Assert.Equal(model, trie);
        return true;
    }
}
