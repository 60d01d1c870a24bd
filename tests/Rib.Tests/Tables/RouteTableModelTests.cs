using System.Net;
using BgpStack.Rib.Tables;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Rib.Tests.Tables;

/// <summary>Random announce/withdraw/peer-down/stale/sweep sequences on <see cref="RouteTable"/> checked against a dictionary.</summary>
public class RouteTableModelTests
{
    public enum OpKind
    {
        Upsert,
        Withdraw,
        RemoveSource,
        MarkStale,
        MarkFamilyStale,
        Sweep,
    }

    public sealed record Op(OpKind Kind, IpPrefix Prefix, int Source, uint PathId, uint LocalPref)
    {
        public override string ToString() => $"{Kind} {Prefix} src={Source} id={PathId} lp={LocalPref}";
    }

    private static readonly RouteSource[] Sources = Enumerable.Range(0, 4)
        .Select(i => new RouteSource { Id = i * 3, Kind = RouteSourceKind.Bgp, PeerAddress = IPAddress.Parse($"192.0.2.{i + 1}"), PeerAs = 65001, LocalAs = 65000 })
        .ToArray();

    private static readonly IpPrefix[] PrefixPool = new[]
    {
        "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/23", "10.0.0.1/32", "::/0", "2001:db8::/32", "2001:db8::/48", "2001:db8::1/128",
    }.Select(IpPrefix.Parse).ToArray();

    private static Gen<Op> OpGen =>
        from kind in Gen.Frequency(
            (8, Gen.Constant(OpKind.Upsert)),
            (4, Gen.Constant(OpKind.Withdraw)),
            (1, Gen.Constant(OpKind.RemoveSource)),
            (1, Gen.Constant(OpKind.MarkStale)),
            (1, Gen.Constant(OpKind.MarkFamilyStale)),
            (1, Gen.Constant(OpKind.Sweep)))
        from prefix in Gen.Elements(PrefixPool)
        from source in Gen.Choose(0, Sources.Length - 1)
        from pathId in Gen.Choose(0, 2)
        from localPref in Gen.Choose(1, 3)
        select new Op(kind, prefix, source, (uint)pathId, (uint)localPref * 100);

    private static PathAttributes Attrs(uint localPref) => new() { Origin = Origin.Igp, LocalPref = localPref };

    [Fact]
    public void Operation_sequences_agree_with_a_dictionary_of_paths()
    {
        Prop.ForAll(Arb.From(Gen.ListOf(OpGen).Select(ops => ops.ToList())), ops => Run(ops)).QuickCheckThrowOnFailure();
    }

    private static bool Run(List<Op> ops)
    {
        var table = new RouteTable();
        var model = new Dictionary<(IpPrefix Prefix, int Source, uint PathId), (uint LocalPref, bool Stale)>();
        foreach (var op in ops)
        {
            var source = Sources[op.Source];
            var key = (op.Prefix, source.Id, op.PathId);
            switch (op.Kind)
            {
                case OpKind.Upsert:
                    var expected = !model.TryGetValue(key, out var old) ? PathChange.Added
                        : old.LocalPref != op.LocalPref ? PathChange.Replaced
                        : old.Stale ? PathChange.Refreshed : PathChange.Unchanged;
                    Assert.Equal(expected, table.Upsert(op.Prefix, source, op.PathId, Attrs(op.LocalPref)));
                    model[key] = (op.LocalPref, false);
                    break;
                case OpKind.Withdraw:
                    Assert.Equal(model.Remove(key), table.Withdraw(op.Prefix, source, op.PathId, out var removed));
                    break;
                case OpKind.RemoveSource:
                    var gone = model.Keys.Where(k => k.Source == source.Id).ToList();
                    var reported = new List<RemovedPath>();
                    Assert.Equal(gone.Count, table.RemoveSource(source, reported));
                    Assert.Equal(gone.Select(k => (k.Prefix, k.PathId)).Order(), reported.Select(r => (r.Prefix, r.PathId)).Order());
                    gone.ForEach(k => model.Remove(k));
                    break;
                case OpKind.MarkStale:
                    table.MarkStale(source);
                    foreach (var k in model.Keys.Where(k => k.Source == source.Id).ToList())
                    {
                        model[k] = model[k] with { Stale = true };
                    }

                    break;
                case OpKind.MarkFamilyStale:
                    // The family of the op's prefix only (RFC 7313 refresh of one family).
                    table.MarkStale(source, op.Prefix.IsIPv6);
                    foreach (var k in model.Keys.Where(k => k.Source == source.Id && k.Prefix.IsIPv6 == op.Prefix.IsIPv6).ToList())
                    {
                        model[k] = model[k] with { Stale = true };
                    }

                    break;
                case OpKind.Sweep:
                    var stale = model.Where(kv => kv.Key.Source == source.Id && kv.Value.Stale).Select(kv => kv.Key).ToList();
                    Assert.Equal(stale.Count, table.SweepStale(source));
                    stale.ForEach(k => model.Remove(k));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(ops));
            }

            Check(table, model);
        }

        return true;
    }

    private static void Check(RouteTable table, Dictionary<(IpPrefix Prefix, int Source, uint PathId), (uint LocalPref, bool Stale)> model)
    {
        Assert.Equal(model.Count, table.PathCount);
        Assert.Equal(model.Keys.Select(k => k.Prefix).Distinct().Order(), table.Prefixes);
        foreach (var prefix in PrefixPool)
        {
            var actual = table.GetPaths(prefix).Select(r => (r.Source.Id, r.PathId, r.Attributes.LocalPref!.Value, r.IsStale)).Order();
            var expected = model.Where(kv => kv.Key.Prefix == prefix).Select(kv => (kv.Key.Source, kv.Key.PathId, kv.Value.LocalPref, kv.Value.Stale)).Order();
            Assert.Equal(expected, actual);
        }

        foreach (var source in Sources)
        {
            Assert.Equal(model.Keys.Count(k => k.Source == source.Id), table.PathCountOf(source));
            Assert.Equal(table.PathCountOf(source), table.GetPathsOf(source).Count());
        }

        Assert.Equal(model.Values.Select(v => v.LocalPref).Distinct().Count(), table.Attributes.Count);
    }
}
