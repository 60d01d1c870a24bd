using BgpStack.Netlink.Fib;
using BgpStack.Rib;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibPrefixTableTests
{
    [Fact]
    public void Random_sets_and_removals_agree_with_a_dictionary_through_growth_and_backward_shifts()
    {
        var random = new Random(5);
        var table = new FibPrefixTable();
        var model = new Dictionary<IpPrefix, FibEntry>();

        // A small key space forces collisions, removals inside probe runs and regrowth.
        IpPrefix Pick() => random.Next(3) == 0
            ? IpPrefix.FromIPv6(new UInt128(0x20010db800000000UL + (uint)random.Next(4096), 0), random.Next(32, 65))
            : IpPrefix.FromIPv4((uint)random.Next(20000) << 8, 24 - random.Next(2));

        for (var step = 0; step < 200_000; step++)
        {
            var prefix = Pick();
            var entry = random.Next(4) == 0 ? default : new FibEntry(random.Next(3), random.Next(3), (byte)random.Next(4));
            table.Set(prefix, entry);
            if (entry.Desired == 0 && entry.Installed == 0)
            {
                _ = model.Remove(prefix);
            }
            else
            {
                model[prefix] = entry;
            }

            if (step % 10_000 == 0)
            {
                Assert.Equal(model.Count, table.Count);
            }
        }

        Assert.Equal(model.Count, table.Count);
        var seen = new Dictionary<IpPrefix, FibEntry>();
        table.ForEach((prefix, entry) => seen.Add(prefix, entry));
        Assert.Equal(model.OrderBy(p => p.Key), seen.OrderBy(p => p.Key));
        foreach (var (prefix, entry) in model)
        {
            Assert.Equal(entry, table.Get(prefix));
        }

        Assert.Equal(default, table.Get(IpPrefix.Parse("192.0.2.0/24")));
    }

    [Fact]
    public void A_million_ipv4_routes_take_under_40_octets_each()
    {
        var table = new FibPrefixTable();
        for (var i = 0; i < 1_000_000; i++)
        {
            table.Set(IpPrefix.FromIPv4((uint)(0x01000000 + (i << 8)), 24), new FibEntry(1, 1, 0));
        }

        Assert.Equal(1_000_000, table.Count);
        Assert.True(table.AllocatedBytes / 1_000_000.0 < 40, $"{table.AllocatedBytes} octets");
        table.ClearFlags(FibPrefixTable.Seen);
        Assert.Equal(new FibEntry(1, 1, 0), table.Get(IpPrefix.Parse("1.2.3.0/24")));
    }

    [Fact]
    public void Clearing_an_installed_shape_drops_emptied_entries_keeps_the_rest_findable_and_shrinks()
    {
        var table = new FibPrefixTable();
        for (var i = 0; i < 100_000; i++)
        {
            // Even prefixes only hold shape 2 (a withdrawal); odd ones also want shape 1.
            table.Set(IpPrefix.FromIPv4((uint)(0x0A000000 + (i << 8)), 24), new FibEntry(i % 2, 2, FibPrefixTable.Held));
        }

        table.Set(IpPrefix.Parse("2001:db8::/48"), new FibEntry(0, 2, FibPrefixTable.Held));
        table.Set(IpPrefix.Parse("2001:db8:1::/48"), new FibEntry(0, 3, 0));
        var before = table.AllocatedBytes;

        Assert.Equal(100_001, table.ClearInstalled(2));

        Assert.Equal(50_001, table.Count);
        Assert.True(table.AllocatedBytes < before);
        for (var i = 0; i < 100_000; i++)
        {
            var expected = i % 2 == 0 ? default : new FibEntry(1, 0, 0);
            Assert.Equal(expected, table.Get(IpPrefix.FromIPv4((uint)(0x0A000000 + (i << 8)), 24)));
        }

        Assert.Equal(default, table.Get(IpPrefix.Parse("2001:db8::/48")));
        Assert.Equal(new FibEntry(0, 3, 0), table.Get(IpPrefix.Parse("2001:db8:1::/48")));
    }
}
