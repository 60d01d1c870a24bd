using System.Net;
using System.Runtime.CompilerServices;
using BgpStack.Rib.Tables;

namespace BgpStack.Rib.Tests.Tables;

/// <summary>The packed 24-byte path entry and the side slots for non-zero ADD-PATH identifiers.</summary>
public class RouteEntryTests
{
    private const int LargestSourceId = (1 << 20) - 1;

    private static RouteSource Peer(int id) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse("192.0.2.1"),
        PeerAs = 65001,
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
    public void A_path_entry_is_24_bytes_and_a_path_id_slot_8()
    {
        Assert.Equal(24, Unsafe.SizeOf<RouteEntry>());
        Assert.Equal(8, Unsafe.SizeOf<PathIdSlot>());
    }

    [Fact]
    public void Source_flags_and_generation_share_a_word_without_disturbing_each_other()
    {
        var all = RouteEntryFlags.IPv6 | RouteEntryFlags.Best | RouteEntryFlags.Multipath | RouteEntryFlags.HasPathId;
        var e = new RouteEntry { Source = LargestSourceId, Flags = all, Generation = RouteEntry.MaxGeneration };
        Assert.Equal((LargestSourceId, all, RouteEntry.MaxGeneration), (e.Source, e.Flags, e.Generation));

        e.Source = 0;
        Assert.Equal((0, all, RouteEntry.MaxGeneration), (e.Source, e.Flags, e.Generation));
        e.Flags = RouteEntryFlags.None;
        Assert.Equal((0, RouteEntryFlags.None, RouteEntry.MaxGeneration), (e.Source, e.Flags, e.Generation));
        e.Generation = 0;
        Assert.Equal((0, RouteEntryFlags.None, 0), (e.Source, e.Flags, e.Generation));

        e.Generation = 0x5A;
        e.Flags = RouteEntryFlags.Multipath;
        e.Source = 0xA5A5A;
        Assert.Equal((0xA5A5A, RouteEntryFlags.Multipath, 0x5A), (e.Source, e.Flags, e.Generation));
    }

    [Fact]
    public void The_largest_source_id_with_a_full_path_id_keeps_every_field()
    {
        var table = new RouteTable();
        var peer = Peer(LargestSourceId);
        var prefix = P("2001:db8::/48");
        Assert.Equal(PathChange.Added, table.Upsert(prefix, peer, uint.MaxValue, Attrs(100)));
        Assert.Equal(PathChange.Added, table.Upsert(prefix, peer, 0, Attrs(200)));
        var withId = table.GetPaths(prefix).Single(r => r.PathId == uint.MaxValue);
        table.SetSelection(prefix, withId.Id, []);
        table.MarkStale(peer);

        var paths = table.GetPaths(prefix).OrderBy(r => r.PathId).ToArray();
        Assert.Equal([(LargestSourceId, 0u, 200u, false), (LargestSourceId, uint.MaxValue, 100u, true)], paths.Select(r => (r.Source.Id, r.PathId, r.Attributes.LocalPref!.Value, r.IsBest)));
        Assert.All(paths, r => Assert.True(r.IsStale));
        Assert.Equal(prefix, table.GetPrefix(withId.Id));

        Assert.Equal(PathChange.Replaced, table.Upsert(prefix, peer, uint.MaxValue, Attrs(300)));
        var replaced = table.GetRoute(withId.Id);
        Assert.Equal((uint.MaxValue, 300u, false, true), (replaced.PathId, replaced.Attributes.LocalPref!.Value, replaced.IsStale, replaced.IsBest));
        Assert.True(withId.IsOlderThan(replaced));
        Assert.False(table.Attributes.TryGetId(Attrs(100), out _));

        Assert.True(table.Withdraw(prefix, peer, uint.MaxValue, out var removed));
        Assert.Equal((uint.MaxValue, 300u, true), (removed.PathId, removed.Attributes.LocalPref!.Value, removed.WasBest));
        Assert.Equal(1, table.SweepStale(peer));
        Assert.Equal(0, table.PathCount);
        Assert.Equal(0, table.Attributes.Count);
    }

    [Fact]
    public void Path_id_slots_are_freed_with_their_paths_and_reused()
    {
        var table = new RouteTable();
        var peer = Peer(7);
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0u; i < 5000; i++)
            {
                table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), peer, i + 1, Attrs(100 + (uint)round));
            }

            var bytes = table.AllocatedBytes;
            for (var i = 0u; i < 5000; i += 2)
            {
                Assert.True(table.Withdraw(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), peer, i + 1));
            }

            for (var i = 0u; i < 5000; i += 2)
            {
                table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), peer, i + 1, Attrs(100 + (uint)round));
            }

            Assert.Equal(bytes, table.AllocatedBytes);
            Assert.Equal(5000, table.RemoveSource(peer));
        }

        Assert.Equal(0, table.Attributes.Count);
        for (var i = 0u; i < 5000; i++)
        {
            table.Upsert(IpPrefix.FromIPv4(0x0A000000u + (i << 8), 24), peer, i + 1, Attrs(1));
        }

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (uint)i), table.GetPathsOf(peer).Select(r => r.PathId).Order());
    }
}
