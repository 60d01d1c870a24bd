using System.Net;

namespace BgpStack.Rib.Tests.Interning;

public class AttributeTableTests
{
    private static PathAttributes Set(uint localPref, params Community[] communities) => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.Empty,
        NextHop = IPAddress.Parse("192.0.2.1"),
        LocalPref = localPref,
        Communities = communities,
    };

    [Fact]
    public void Equal_sets_share_one_id_and_one_instance()
    {
        var table = new AttributeTable();
        var first = Set(100, new Community(0xFDE90001));
        var a = table.Acquire(first);
        var b = table.Acquire(Set(100, new Community(0xFDE90001)));
        Assert.Equal(a, b);
        Assert.Same(first, table[b]);
        Assert.Equal(1, table.Count);
        Assert.Equal(2, table.ReferenceCount(a));
    }

    [Fact]
    public void Different_sets_get_different_ids()
    {
        var table = new AttributeTable();
        var a = table.Acquire(Set(100));
        var b = table.Acquire(Set(200));
        var c = table.Acquire(Set(100, new Community(0xFDE90001)));
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void A_set_is_released_with_its_last_reference_and_its_slot_reused()
    {
        var table = new AttributeTable();
        var a = table.Acquire(Set(100));
        table.AddReference(a);
        Assert.False(table.Release(a));
        Assert.True(table.TryGetId(Set(100), out _));
        Assert.True(table.Release(a));
        Assert.False(table.TryGetId(Set(100), out _));
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.ReferenceCount(a));
        Assert.Throws<ArgumentException>(() => table[a]);
        Assert.Throws<ArgumentException>(() => table.Release(a));
        Assert.Throws<ArgumentException>(() => table.AddReference(a));

        var b = table.Acquire(Set(300));
        Assert.Equal(a.Value, b.Value);
        Assert.Equal(300u, table[b].LocalPref);
    }

    [Fact]
    public void Acquiring_the_same_instance_again_after_release_interns_it_afresh()
    {
        var table = new AttributeTable();
        var set = Set(100);
        var a = table.Acquire(set);
        Assert.True(table.Release(a));
        var other = table.Acquire(Set(200));
        var again = table.Acquire(set);
        Assert.NotEqual(other, again);
        Assert.Same(set, table[again]);
        Assert.Equal(1, table.ReferenceCount(again));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void None_is_not_a_live_set()
    {
        var table = new AttributeTable();
        Assert.True(AttributeSetId.None.IsNone);
        Assert.Throws<ArgumentException>(() => table[AttributeSetId.None]);
    }
}
