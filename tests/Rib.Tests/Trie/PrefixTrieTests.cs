using System.Net;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Tests.Trie;

public class PrefixTrieTests
{
    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    [Fact]
    public void Default_route_matches_every_address_of_its_family_only()
    {
        var trie = new PrefixTrie<string> { [P("0.0.0.0/0")] = "v4 default" };
        Assert.True(trie.TryMatchLongest(IPAddress.Parse("203.0.113.9"), out var prefix, out var value));
        Assert.Equal(P("0.0.0.0/0"), prefix);
        Assert.Equal("v4 default", value);
        Assert.False(trie.TryMatchLongest(IPAddress.Parse("2001:db8::1"), out _, out _));
    }

    [Fact]
    public void Host_routes_win_over_covering_prefixes()
    {
        var trie = new PrefixTrie<int>
        {
            [P("10.0.0.0/8")] = 8,
            [P("10.1.2.3/32")] = 32,
            [P("2001:db8::/32")] = 32,
            [P("2001:db8::1/128")] = 128,
        };
        Assert.True(trie.TryMatchLongestIPv4(0x0A010203, out var v4, out var v4Value));
        Assert.Equal((P("10.1.2.3/32"), 32), (v4, v4Value));
        Assert.True(trie.TryMatchLongestIPv4(0x0A010204, out v4, out _));
        Assert.Equal(P("10.0.0.0/8"), v4);
        Assert.True(trie.TryMatchLongest(IPAddress.Parse("2001:db8::1"), out var v6, out var v6Value));
        Assert.Equal((P("2001:db8::1/128"), 128), (v6, v6Value));
    }

    [Fact]
    public void Removing_a_prefix_leaves_its_neighbours_reachable()
    {
        var trie = new PrefixTrie<int> { [P("10.0.0.0/24")] = 1, [P("10.0.1.0/24")] = 2, [P("10.0.0.0/23")] = 3 };
        Assert.True(trie.Remove(P("10.0.0.0/23")));
        Assert.False(trie.Remove(P("10.0.0.0/23")));
        Assert.Equal([P("10.0.0.0/24"), P("10.0.1.0/24")], trie.Select(kv => kv.Key));
        Assert.Equal(2, trie[P("10.0.1.0/24")]);
        Assert.Throws<KeyNotFoundException>(() => trie[P("10.0.0.0/23")]);
    }

    [Fact]
    public void Iteration_is_in_prefix_order_ipv4_first()
    {
        string[] texts = ["2001:db8::/32", "10.0.0.0/16", "::/0", "10.0.0.0/8", "9.0.0.0/8", "0.0.0.0/0", "10.0.0.0/32"];
        var trie = new PrefixTrie<int>();
        foreach (var text in texts)
        {
            trie[P(text)] = 0;
        }

        Assert.Equal(texts.Select(P).Order(), trie.Select(kv => kv.Key));
    }

    [Fact]
    public void More_specifics_and_covering_prefixes()
    {
        var trie = new PrefixTrie<int>();
        foreach (var text in new[] { "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16", "11.0.0.0/8" })
        {
            trie[P(text)] = 0;
        }

        Assert.Equal([P("10.1.0.0/16"), P("10.1.2.0/24"), P("10.2.0.0/16")], trie.MoreSpecifics(P("10.0.0.0/8")).Select(kv => kv.Key));
        Assert.Equal([P("10.1.0.0/16"), P("10.1.2.0/24")], trie.MoreSpecifics(P("10.1.0.0/16"), includeSelf: true).Select(kv => kv.Key));
        Assert.Equal([P("10.0.0.0/8"), P("10.1.0.0/16")], trie.Covering(P("10.1.2.0/24")).Select(kv => kv.Key));
        Assert.Equal([P("10.0.0.0/8"), P("10.1.0.0/16"), P("10.1.2.0/24")], trie.Covering(P("10.1.2.0/24"), includeSelf: true).Select(kv => kv.Key));
        Assert.Empty(trie.MoreSpecifics(P("12.0.0.0/8")));
    }

    [Fact]
    public void Try_add_keeps_the_first_value()
    {
        var trie = new PrefixTrie<int>();
        Assert.True(trie.TryAdd(P("192.0.2.0/24"), 1));
        Assert.False(trie.TryAdd(P("192.0.2.0/24"), 2));
        Assert.Equal(1, trie[P("192.0.2.0/24")]);
        Assert.Equal(1, trie.IPv4Count);
        Assert.Equal(0, trie.IPv6Count);
    }
}
