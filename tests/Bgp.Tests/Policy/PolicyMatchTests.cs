using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Policy;

public class PolicyMatchTests
{
    private static readonly IpPrefix V4 = IpPrefix.Parse("10.244.1.0/24");
    private static readonly IpPrefix V6 = IpPrefix.Parse("2001:db8:1::/48");

    private static readonly PathAttributes Route = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65002, 65100),
        Communities = EquatableArray.Create(Community.Create(65001, 100), Community.NoExport),
        LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
    };

    [Fact]
    public void An_empty_match_selects_everything()
    {
        Assert.True(PolicyMatch.Any.IsAny);
        Assert.True(PolicyMatch.Any.Matches(V4, PathAttributes.Empty));
        Assert.True(PolicyMatch.Any.Matches(V6, Route));
    }

    [Fact]
    public void Prefix_list_matches_when_any_range_holds()
    {
        var match = new PolicyMatch { Prefixes = EquatableArray.Create(PrefixRange.Parse("192.168.0.0/16 le 24"), PrefixRange.Parse("10.244.0.0/16 le 26")) };
        Assert.True(match.Matches(V4, Route));
        Assert.False(match.Matches(IpPrefix.Parse("10.244.1.0/27"), Route));
        Assert.False(match.Matches(V6, Route));
    }

    [Fact]
    public void Family_matches_the_prefix_family()
    {
        var v4 = new PolicyMatch { Families = EquatableArray.Create(AfiSafi.Ipv4Unicast) };
        var v6 = new PolicyMatch { Families = EquatableArray.Create(AfiSafi.Ipv6Unicast) };
        var both = new PolicyMatch { Families = EquatableArray.Create(AfiSafi.Ipv6Unicast, AfiSafi.Ipv4Unicast) };
        Assert.True(v4.Matches(V4, Route));
        Assert.False(v4.Matches(V6, Route));
        Assert.True(v6.Matches(V6, Route));
        Assert.False(v6.Matches(V4, Route));
        Assert.True(both.Matches(V4, Route) && both.Matches(V6, Route));
    }

    [Fact]
    public void Community_matches_when_the_route_carries_any_listed()
    {
        Assert.True(new PolicyMatch { Communities = EquatableArray.Create(Community.Create(1, 1), Community.NoExport) }.Matches(V4, Route));
        Assert.False(new PolicyMatch { Communities = EquatableArray.Create(Community.Create(65001, 101)) }.Matches(V4, Route));
        Assert.False(new PolicyMatch { Communities = EquatableArray.Create(Community.Create(65001, 100)) }.Matches(V4, PathAttributes.Empty));
    }

    [Fact]
    public void Large_community_matches_when_the_route_carries_any_listed()
    {
        Assert.True(new PolicyMatch { LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)) }.Matches(V4, Route));
        Assert.False(new PolicyMatch { LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 3)) }.Matches(V4, Route));
        Assert.False(new PolicyMatch { LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)) }.Matches(V4, PathAttributes.Empty));
    }

    [Fact]
    public void As_path_matches_the_regex()
    {
        Assert.True(new PolicyMatch { AsPath = new AsPathPattern("^65002( |$)") }.Matches(V4, Route));
        Assert.False(new PolicyMatch { AsPath = new AsPathPattern("^65100( |$)") }.Matches(V4, Route));
    }

    [Fact]
    public void Every_condition_must_hold()
    {
        var match = new PolicyMatch
        {
            Prefixes = EquatableArray.Create(PrefixRange.Parse("10.244.0.0/16 le 26")),
            Families = EquatableArray.Create(AfiSafi.Ipv4Unicast),
            Communities = EquatableArray.Create(Community.Create(65001, 100)),
            LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
            AsPath = new AsPathPattern("^65002 "),
        };
        Assert.True(match.Matches(V4, Route));
        Assert.False(match.Matches(V4, Route with { Communities = EquatableArray<Community>.Empty }));
        Assert.False(match.Matches(V4, Route with { LargeCommunities = EquatableArray<LargeCommunity>.Empty }));
        Assert.False(match.Matches(V4, Route with { AsPath = AsPath.FromSequence(65003) }));
        Assert.False(match.Matches(IpPrefix.Parse("10.245.0.0/24"), Route));
    }

    [Fact]
    public void Matches_compare_by_value()
    {
        var a = new PolicyMatch { Prefixes = EquatableArray.Create(PrefixRange.Parse("10.0.0.0/8 le 24")), AsPath = new AsPathPattern("^1$") };
        var b = new PolicyMatch { Prefixes = EquatableArray.Create(PrefixRange.Parse("10.0.0.0/8{8,24}")), AsPath = new AsPathPattern("^1$") };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { AsPath = null });
    }
}
