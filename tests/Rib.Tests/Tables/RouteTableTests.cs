using System.Net;
using BgpStack.Rib.Tables;

namespace BgpStack.Rib.Tests.Tables;

public class RouteTableTests
{
    private static readonly RouteSource PeerA = Peer(1, "192.0.2.1");
    private static readonly RouteSource PeerB = Peer(2, "192.0.2.2");

    private static RouteSource Peer(int id, string address) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse(address),
        PeerAs = 65000u + (uint)id,
        LocalAs = 65000,
    };

    private static PathAttributes Attrs(uint localPref) => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.Empty,
        NextHop = IPAddress.Parse("198.18.0.1"),
        LocalPref = localPref,
    };

    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    [Fact]
    public void Add_path_keeps_several_paths_per_source_apart_by_path_id()
    {
        var table = new RouteTable();
        Assert.Equal(PathChange.Added, table.Upsert(P("10.0.0.0/24"), PeerA, 1, Attrs(100)));
        Assert.Equal(PathChange.Added, table.Upsert(P("10.0.0.0/24"), PeerA, 2, Attrs(200)));
        Assert.Equal(PathChange.Added, table.Upsert(P("10.0.0.0/24"), PeerB, 1, Attrs(100)));
        Assert.Equal(3, table.PathCount);
        Assert.Equal(1, table.PrefixCount);
        Assert.Equal(
            [(1, 1u, 100u), (1, 2u, 200u), (2, 1u, 100u)],
            table.GetPaths(P("10.0.0.0/24")).Select(r => (r.Source.Id, r.PathId, r.Attributes.LocalPref!.Value)).Order());

        Assert.True(table.Withdraw(P("10.0.0.0/24"), PeerA, 2));
        Assert.False(table.Withdraw(P("10.0.0.0/24"), PeerA, 2));
        Assert.False(table.Withdraw(P("10.0.0.0/24"), PeerA, 3));
        Assert.Equal([(1, 1u), (2, 1u)], table.GetPaths(P("10.0.0.0/24")).Select(r => (r.Source.Id, r.PathId)).Order());
        Assert.Equal(2, table.PathCount);
    }

    [Fact]
    public void Announcing_a_path_again_replaces_its_attributes()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        var before = Assert.Single(table.GetPaths(P("10.0.0.0/24")));
        Assert.Equal(PathChange.Unchanged, table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100)));
        Assert.Equal(PathChange.Replaced, table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(200)));
        var after = Assert.Single(table.GetPaths(P("10.0.0.0/24")));
        Assert.Equal(200u, after.Attributes.LocalPref);
        Assert.Equal(before.Id, after.Id);
        Assert.True(before.IsOlderThan(after));
        Assert.Equal(1, table.Attributes.Count);
        Assert.False(table.Attributes.TryGetId(Attrs(100), out _));
    }

    [Fact]
    public void Attribute_sets_are_shared_and_released_with_their_last_path()
    {
        var table = new RouteTable();
        for (var i = 0; i < 1000; i++)
        {
            table.Upsert(IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24), PeerA, 0, Attrs(100));
        }

        table.Upsert(P("10.0.0.0/24"), PeerB, 0, Attrs(200));
        Assert.Equal(2, table.Attributes.Count);
        Assert.True(table.Attributes.TryGetId(Attrs(100), out var shared));
        Assert.Equal(1000, table.Attributes.ReferenceCount(shared));

        Assert.Equal(1000, table.RemoveSource(PeerA));
        Assert.Equal(1, table.Attributes.Count);
        Assert.False(table.Attributes.TryGetId(Attrs(100), out _));
        Assert.True(table.Withdraw(P("10.0.0.0/24"), PeerB));
        Assert.Equal(0, table.Attributes.Count);
    }

    [Fact]
    public void Removing_a_source_leaves_no_trace_of_it()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.0.0/24"), PeerB, 0, Attrs(200));
        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.1.0/24"), PeerA, 7, Attrs(300));
        table.Upsert(P("2001:db8::/48"), PeerA, 0, Attrs(100));
        table.SetSelection(P("10.0.0.0/24"), table.GetPaths(P("10.0.0.0/24")).First(r => r.Source == PeerA).Id, []);

        var removed = new List<RemovedPath>();
        Assert.Equal(4, table.RemoveSource(PeerA, removed));

        Assert.Equal(4, removed.Count);
        Assert.All(removed, r => Assert.Equal(PeerA, r.Source));
        Assert.Equal([P("10.0.0.0/24"), P("10.0.1.0/24"), P("10.0.1.0/24"), P("2001:db8::/48")], removed.Select(r => r.Prefix).Order());
        Assert.True(removed.Single(r => r.Prefix == P("10.0.0.0/24")).WasBest);
        Assert.False(removed.Single(r => r.Prefix == P("10.0.0.0/24")).PrefixRemoved);
        Assert.True(removed.Single(r => r.Prefix == P("2001:db8::/48")).PrefixRemoved);

        Assert.Equal(0, table.PathCountOf(PeerA));
        Assert.Empty(table.GetPathsOf(PeerA));
        Assert.Equal([P("10.0.0.0/24")], table.Prefixes);
        Assert.Equal(PeerB, Assert.Single(table.GetPaths(P("10.0.0.0/24"))).Source);
        Assert.Equal(1, table.PathCount);
        Assert.Equal(1, table.Attributes.Count);
        Assert.False(table.TryMatchLongest(IPAddress.Parse("2001:db8::1"), out _));
        Assert.Equal(0, table.RemoveSource(PeerA));
    }

    [Fact]
    public void Removing_a_small_source_touches_only_its_own_paths()
    {
        var table = new RouteTable();
        var attributes = table.Attributes.Acquire(Attrs(100));
        for (var i = 0u; i < 1_000_000; i++)
        {
            table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), PeerA, 0, attributes);
        }

        table.Attributes.Release(attributes);
        for (var i = 0u; i < 10; i++)
        {
            // Half on prefixes PeerA also has, half on prefixes of their own.
            table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i * 5000 << 8), i % 2 == 0 ? 24 : 25), PeerB, 0, Attrs(200));
        }

        var visitsBefore = table.EntryVisits;
        Assert.Equal(10, table.RemoveSource(PeerB));
        var visits = table.EntryVisits - visitsBefore;

        // A few visits per path of the source (its own entry, and the other paths of its prefix), none elsewhere.
        Assert.InRange(visits, 10, 40);
        Assert.Equal(1_000_000, table.PathCount);
        Assert.Equal(1_000_000, table.PrefixCount);
    }

    [Fact]
    public void Stale_paths_are_refreshed_by_announcement_and_swept_otherwise()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.2.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.0.0/24"), PeerB, 0, Attrs(200));

        table.MarkStale(PeerA);
        Assert.All(table.GetPathsOf(PeerA), r => Assert.True(r.IsStale));
        Assert.All(table.GetPathsOf(PeerB), r => Assert.False(r.IsStale));

        Assert.Equal(PathChange.Refreshed, table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100)));
        Assert.Equal(PathChange.Unchanged, table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100)));
        Assert.Equal(PathChange.Replaced, table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(150)));
        Assert.Equal(PathChange.Added, table.Upsert(P("10.0.3.0/24"), PeerA, 0, Attrs(100)));

        var removed = new List<RemovedPath>();
        Assert.Equal(1, table.SweepStale(PeerA, removed));
        Assert.Equal(P("10.0.2.0/24"), Assert.Single(removed).Prefix);
        Assert.True(removed[0].PrefixRemoved);
        Assert.Equal([P("10.0.0.0/24"), P("10.0.1.0/24"), P("10.0.3.0/24")], table.GetPathsOf(PeerA).Select(r => table.GetPrefix(r.Id)).Order());
        Assert.All(table.GetPathsOf(PeerA), r => Assert.False(r.IsStale));
        Assert.Equal(0, table.SweepStale(PeerA));
        Assert.Equal(0, table.SweepStale(PeerB));
    }

    [Fact]
    public void Stale_marks_survive_many_generations()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        table.MarkStale(PeerA);
        for (var i = 0; i < 70_000; i++)
        {
            // 10.0.1.0/24 is refreshed after every mark; 10.0.0.0/24 never is.
            table.MarkStale(PeerA);
            Assert.Equal(PathChange.Refreshed, table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100)));
        }

        Assert.True(Assert.Single(table.GetPaths(P("10.0.0.0/24"))).IsStale);
        Assert.False(Assert.Single(table.GetPaths(P("10.0.1.0/24"))).IsStale);
        Assert.Equal(1, table.SweepStale(PeerA));
        Assert.Equal([P("10.0.1.0/24")], table.Prefixes);
    }

    [Fact]
    public void Marking_one_family_stale_leaves_the_other_family_fresh()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("2001:db8::/48"), PeerA, 0, Attrs(100));

        table.MarkStale(PeerA, ipv6: false);
        Assert.True(Assert.Single(table.GetPaths(P("10.0.0.0/24"))).IsStale);
        Assert.False(Assert.Single(table.GetPaths(P("2001:db8::/48"))).IsStale);

        // A new IPv6 path and a re-announced IPv4 path are fresh; the one not re-announced is swept.
        Assert.Equal(PathChange.Added, table.Upsert(P("2001:db8:1::/48"), PeerA, 0, Attrs(100)));
        Assert.Equal(PathChange.Refreshed, table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100)));
        var removed = new List<RemovedPath>();
        Assert.Equal(1, table.SweepStale(PeerA, removed));
        Assert.Equal(P("10.0.0.0/24"), Assert.Single(removed).Prefix);
        Assert.Equal([P("10.0.1.0/24"), P("2001:db8::/48"), P("2001:db8:1::/48")], table.Prefixes);

        // Marking IPv6 leaves the refreshed IPv4 path fresh.
        table.MarkStale(PeerA, ipv6: true);
        Assert.False(Assert.Single(table.GetPaths(P("10.0.1.0/24"))).IsStale);
        Assert.All(table.GetPathsOf(PeerA).Where(r => table.GetPrefix(r.Id).IsIPv6), r => Assert.True(r.IsStale));
    }

    [Fact]
    public void Per_family_stale_marks_survive_many_generations_of_the_other_family()
    {
        var table = new RouteTable();
        table.Upsert(P("10.0.0.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        table.Upsert(P("2001:db8::/48"), PeerA, 0, Attrs(100));
        table.Upsert(P("2001:db8:1::/48"), PeerA, 0, Attrs(100));
        table.MarkStale(PeerA, ipv6: false);
        Assert.Equal(PathChange.Refreshed, table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100)));
        for (var i = 0; i < 1_000; i++)
        {
            // The IPv6 counter wraps several times; only 2001:db8:1::/48 is refreshed after each mark.
            table.MarkStale(PeerA, ipv6: true);
            Assert.Equal(PathChange.Refreshed, table.Upsert(P("2001:db8:1::/48"), PeerA, 0, Attrs(100)));
        }

        Assert.Equal(
            [(P("10.0.0.0/24"), true), (P("10.0.1.0/24"), false), (P("2001:db8::/48"), true), (P("2001:db8:1::/48"), false)],
            table.GetPathsOf(PeerA).Select(r => (table.GetPrefix(r.Id), r.IsStale)).Order());
        Assert.Equal(2, table.SweepStale(PeerA));
        Assert.Equal([P("10.0.1.0/24"), P("2001:db8:1::/48")], table.Prefixes);
    }

    [Fact]
    public void Freed_path_slots_are_reused()
    {
        var table = new RouteTable();
        for (var i = 0u; i < 100; i++)
        {
            table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), PeerA, 0, Attrs(100));
        }

        var bytes = table.AllocatedBytes;
        var victim = Assert.Single(table.GetPaths(P("10.0.42.0/24"))).Id;
        Assert.True(table.Withdraw(P("10.0.42.0/24"), PeerA));
        Assert.Throws<ArgumentException>(() => table.GetRoute(victim));
        table.Upsert(P("192.0.2.0/24"), PeerB, 0, Attrs(200));
        Assert.Equal(victim, Assert.Single(table.GetPaths(P("192.0.2.0/24"))).Id);
        Assert.Equal(P("192.0.2.0/24"), table.GetPrefix(victim));

        for (var round = 0; round < 10; round++)
        {
            Assert.Equal(100, table.RemoveSource(PeerA) + table.RemoveSource(PeerB));
            for (var i = 0u; i < 100; i++)
            {
                table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), round % 2 == 0 ? PeerB : PeerA, 0, Attrs(100));
            }
        }

        Assert.Equal(bytes, table.AllocatedBytes);
    }

    [Fact]
    public void The_decision_process_records_best_and_multipath_on_the_paths()
    {
        var table = new RouteTable();
        var prefix = P("10.0.0.0/24");
        table.Upsert(prefix, PeerA, 1, Attrs(100));
        table.Upsert(prefix, PeerA, 2, Attrs(100));
        table.Upsert(prefix, PeerB, 0, Attrs(50));
        Assert.False(table.TryGetBest(prefix, out _));

        var ids = table.GetPaths(prefix).Where(r => r.Source == PeerA).Select(r => r.Id).ToArray();
        table.SetSelection(prefix, ids[0], [ids[1]]);
        Assert.True(table.TryGetBest(prefix, out var best));
        Assert.Equal(ids[0], best.Id);
        Assert.True(best.IsMultipath);
        Assert.Equal(ids.Select(i => i.Value).Order(), table.GetPaths(prefix).Where(r => r.IsMultipath).Select(r => r.Id.Value).Order());

        // A new selection replaces the old one entirely.
        var other = table.GetPaths(prefix).Single(r => r.Source == PeerB).Id;
        table.SetSelection(prefix, other, []);
        Assert.Equal(other, Assert.Single(table.GetPaths(prefix), r => r.IsBest || r.IsMultipath).Id);

        Assert.True(table.Withdraw(prefix, PeerB, 0, out var removed));
        Assert.True(removed.WasBest);
        Assert.False(table.TryGetBest(prefix, out _));

        table.SetSelection(prefix, ids[1], []);
        table.ClearSelection(prefix);
        Assert.DoesNotContain(table.GetPaths(prefix), r => r.IsBest || r.IsMultipath);

        table.Upsert(P("10.0.1.0/24"), PeerA, 0, Attrs(100));
        var elsewhere = Assert.Single(table.GetPaths(P("10.0.1.0/24"))).Id;
        Assert.Throws<ArgumentException>(() => table.SetSelection(prefix, elsewhere, []));
        Assert.Throws<ArgumentException>(() => table.SetSelection(prefix, ids[0], [elsewhere]));
        Assert.Throws<ArgumentException>(() => table.SetSelection(P("10.9.9.0/24"), ids[0], []));
    }

    [Fact]
    public void Lookups_span_both_families()
    {
        var table = new RouteTable();
        foreach (var text in new[] { "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "::/0", "2001:db8::/32", "2001:db8::1/128" })
        {
            table.Upsert(P(text), PeerA, 0, Attrs(100));
        }

        Assert.True(table.TryMatchLongestIPv4(0x0A010203, out var v4));
        Assert.Equal(P("10.1.0.0/16"), v4);
        Assert.True(table.TryMatchLongestIPv4(0x0B000000, out v4));
        Assert.Equal(P("0.0.0.0/0"), v4);
        Assert.True(table.TryMatchLongest(IPAddress.Parse("2001:db8::1"), out var v6));
        Assert.Equal(P("2001:db8::1/128"), v6);
        Assert.True(table.TryMatchLongestIPv6(new UInt128(0x20010DB800000000, 2), out v6));
        Assert.Equal(P("2001:db8::/32"), v6);
        Assert.Equal([P("10.1.0.0/16")], table.MoreSpecifics(P("10.0.0.0/8")));
        Assert.Equal([P("::/0"), P("2001:db8::/32")], table.Covering(P("2001:db8::1/128")));
        Assert.Equal(
            new[] { "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "::/0", "2001:db8::/32", "2001:db8::1/128" }.Select(P),
            table.Prefixes);
        Assert.True(table.Contains(P("10.0.0.0/8")));
        Assert.False(table.Contains(P("10.0.0.0/9")));
    }
}
