using System.Net;
using BgpStack.Bgp.Speaker.Policy;

namespace BgpStack.Bgp.Tests.Policy;

public class RoutePolicyTests
{
    private static readonly IpPrefix V4 = IpPrefix.Parse("10.244.1.0/24");
    private static readonly IpPrefix V6 = IpPrefix.Parse("2001:db8:1::/48");
    private static readonly PolicyPeer Peer = new(IPAddress.Parse("198.18.0.2"), 65002, 65001, false, IPAddress.Parse("198.18.0.1"));
    private static readonly PolicyPeer Peer6 = new(IPAddress.Parse("2001:db8::2"), 65002, 65001, false, IPAddress.Parse("2001:db8::1"));

    private static readonly PathAttributes Route = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65002),
        NextHop = IPAddress.Parse("198.18.0.2"),
        MultiExitDisc = 5,
        LocalPref = 100,
        Communities = EquatableArray.Create(Community.Create(65001, 100)),
        LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
    };

    private static PolicyMatch HasCommunity(ushort value) => new() { Communities = EquatableArray.Create(Community.Create(65001, value)) };

    private static RoutePolicy Policy(bool defaultAccept, params PolicyStatement[] statements) => new("test", statements, defaultAccept);

    [Fact]
    public void No_statements_returns_the_default()
    {
        Assert.Same(Route, Policy(true).Apply(V4, Route, Peer));
        Assert.Null(Policy(false).Apply(V4, Route, Peer));
        Assert.Same(Route, RoutePolicy.AcceptAll.Apply(V4, Route, Peer));
        Assert.Null(RoutePolicy.RejectAll.Apply(V4, Route, Peer));
    }

    [Fact]
    public void The_first_matching_statement_decides()
    {
        var policy = Policy(
            true,
            new PolicyStatement(HasCommunity(999), PolicyAction.Reject),
            new PolicyStatement(HasCommunity(100), PolicyAction.Accept, new PolicyModifications { LocalPref = 300 }),
            new PolicyStatement(PolicyMatch.Any, PolicyAction.Reject));
        Assert.Equal(300u, policy.Apply(V4, Route, Peer)!.LocalPref);

        var rejectFirst = Policy(
            true,
            new PolicyStatement(HasCommunity(100), PolicyAction.Reject),
            new PolicyStatement(HasCommunity(100), PolicyAction.Accept));
        Assert.Null(rejectFirst.Apply(V4, Route, Peer));
    }

    [Fact]
    public void A_statement_that_does_not_match_is_skipped_and_the_default_applies()
    {
        var policy = Policy(false, new PolicyStatement(HasCommunity(999), PolicyAction.Accept));
        Assert.Null(policy.Apply(V4, Route, Peer));
        Assert.Same(Route, Policy(true, new PolicyStatement(HasCommunity(999), PolicyAction.Reject)).Apply(V4, Route, Peer));
    }

    [Fact]
    public void Next_applies_its_changes_and_goes_on_so_later_statements_see_them()
    {
        var policy = Policy(
            false,
            new PolicyStatement(HasCommunity(100), PolicyAction.Next, new PolicyModifications { CommunitiesToAdd = EquatableArray.Create(Community.Create(65001, 200)) }),
            new PolicyStatement(HasCommunity(200), PolicyAction.Accept, new PolicyModifications { MultiExitDisc = 7 }));
        var result = policy.Apply(V4, Route, Peer)!;
        Assert.Equal(7u, result.MultiExitDisc);
        Assert.Contains(Community.Create(65001, 200), result.Communities);
    }

    [Fact]
    public void Changes_made_by_next_are_kept_when_the_default_accepts()
    {
        var policy = Policy(true, new PolicyStatement(PolicyMatch.Any, PolicyAction.Next, new PolicyModifications { LocalPref = 50 }));
        Assert.Equal(50u, policy.Apply(V4, Route, Peer)!.LocalPref);
        var rejecting = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Next, new PolicyModifications { LocalPref = 50 }));
        Assert.Null(rejecting.Apply(V4, Route, Peer));
    }

    [Fact]
    public void Accept_without_changes_returns_the_same_instance()
    {
        var policy = Policy(
            false,
            new PolicyStatement(HasCommunity(999), PolicyAction.Reject),
            new PolicyStatement(PolicyMatch.Any, PolicyAction.Next),
            new PolicyStatement(HasCommunity(100), PolicyAction.Accept));
        Assert.Same(Route, policy.Apply(V4, Route, Peer));
    }

    [Fact]
    public void Setting_values_the_route_already_has_returns_the_same_instance()
    {
        var set = new PolicyModifications
        {
            LocalPref = 100,
            MultiExitDisc = 5,
            CommunitiesToAdd = EquatableArray.Create(Community.Create(65001, 100)),
            CommunitiesToRemove = EquatableArray.Create(Community.Create(65001, 999)),
            LargeCommunitiesToAdd = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
            LargeCommunitiesToRemove = EquatableArray.Create(new LargeCommunity(9, 9, 9)),
            NextHop = NextHopRewrite.To(IPAddress.Parse("198.18.0.2")),
        };
        Assert.Same(Route, Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, set)).Apply(V4, Route, Peer));
    }

    [Fact]
    public void Set_local_pref_and_med()
    {
        var result = Apply(new PolicyModifications { LocalPref = 200, MultiExitDisc = 10 });
        Assert.Equal(200u, result.LocalPref);
        Assert.Equal(10u, result.MultiExitDisc);
        Assert.Equal(Route with { LocalPref = 200, MultiExitDisc = 10 }, result);
    }

    [Fact]
    public void Set_local_pref_on_a_route_without_one()
    {
        var bare = Route with { LocalPref = null, MultiExitDisc = null };
        var result = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, new PolicyModifications { LocalPref = 0, MultiExitDisc = 0 })).Apply(V4, bare, Peer)!;
        Assert.Equal(0u, result.LocalPref);
        Assert.Equal(0u, result.MultiExitDisc);
    }

    [Fact]
    public void Community_add_appends_missing_ones_in_order_and_remove_drops_listed_ones()
    {
        var result = Apply(new PolicyModifications
        {
            CommunitiesToAdd = EquatableArray.Create(Community.Create(65001, 200), Community.NoExport, Community.Create(65001, 200)),
            CommunitiesToRemove = EquatableArray.Create(Community.Create(65001, 100)),
        });
        Assert.Equal([Community.Create(65001, 200), Community.NoExport], result.Communities.ToArray());
    }

    [Fact]
    public void Community_removed_and_added_ends_up_present()
    {
        var c = Community.Create(65001, 100);
        var result = Apply(new PolicyModifications { CommunitiesToAdd = EquatableArray.Create(c), CommunitiesToRemove = EquatableArray.Create(c) });
        Assert.Equal([c], result.Communities.ToArray());
    }

    [Fact]
    public void Large_community_add_and_remove()
    {
        var result = Apply(new PolicyModifications
        {
            LargeCommunitiesToAdd = EquatableArray.Create(new LargeCommunity(65001, 1, 3)),
            LargeCommunitiesToRemove = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
        });
        Assert.Equal([new LargeCommunity(65001, 1, 3)], result.LargeCommunities.ToArray());
    }

    [Fact]
    public void Prepend_adds_our_as_toward_the_peer_n_times()
    {
        var peer = Peer with { LocalAs = 64999 };
        var result = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, new PolicyModifications { Prepend = 3 })).Apply(V4, Route, peer)!;
        Assert.Equal("64999 64999 64999 65002", result.AsPath!.ToString());
        var fromEmpty = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, new PolicyModifications { Prepend = 1 })).Apply(V4, Route with { AsPath = null }, peer)!;
        Assert.Equal("64999", fromEmpty.AsPath!.ToString());
    }

    [Fact]
    public void Prepend_count_is_bounded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyModifications { Prepend = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyModifications { Prepend = 256 });
    }

    [Fact]
    public void Next_hop_self_uses_the_session_address()
    {
        var set = new PolicyModifications { NextHop = NextHopRewrite.Self };
        Assert.Equal(IPAddress.Parse("198.18.0.1"), Apply(set).NextHop);
        var v6 = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, set)).Apply(V6, Route with { NextHop = IPAddress.Parse("2001:db8::2") }, Peer6)!;
        Assert.Equal(IPAddress.Parse("2001:db8::1"), v6.NextHop);
    }

    [Fact]
    public void Next_hop_self_maps_an_ipv4_mapped_session_address()
    {
        var peer = Peer with { LocalAddress = IPAddress.Parse("::ffff:198.18.0.9") };
        var result = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, new PolicyModifications { NextHop = NextHopRewrite.Self })).Apply(V4, Route, peer)!;
        Assert.Equal(IPAddress.Parse("198.18.0.9"), result.NextHop);
    }

    [Fact]
    public void Next_hop_self_without_a_session_address_or_of_the_other_family_leaves_the_next_hop()
    {
        var set = new PolicyModifications { NextHop = NextHopRewrite.Self };
        var policy = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, set));
        Assert.Same(Route, policy.Apply(V4, Route, Peer with { LocalAddress = null }));
        Assert.Same(Route, policy.Apply(V4, Route, Peer6));
    }

    [Fact]
    public void Next_hop_to_an_address()
    {
        var set = new PolicyModifications { NextHop = NextHopRewrite.To(IPAddress.Parse("198.18.0.77")) };
        Assert.Equal(IPAddress.Parse("198.18.0.77"), Apply(set).NextHop);
        var policy = Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, set));
        var v6Route = Route with { NextHop = IPAddress.Parse("2001:db8::2") };
        Assert.Same(v6Route, policy.Apply(V6, v6Route, Peer6));
    }

    [Fact]
    public void Reject_ignores_the_statements_changes()
    {
        var policy = Policy(true, new PolicyStatement(PolicyMatch.Any, PolicyAction.Reject, new PolicyModifications { LocalPref = 1 }));
        Assert.Null(policy.Apply(V4, Route, Peer));
    }

    [Fact]
    public void The_input_attributes_are_never_changed()
    {
        var before = Route with { };
        _ = Apply(new PolicyModifications { LocalPref = 1, Prepend = 2, CommunitiesToAdd = EquatableArray.Create(Community.NoPeer) });
        Assert.Equal(before, Route);
    }

    [Fact]
    public void Policies_compare_by_name_statements_and_default()
    {
        var a = new RoutePolicy("p", [new PolicyStatement(HasCommunity(1), PolicyAction.Accept, new PolicyModifications { LocalPref = 1 })]);
        var b = new RoutePolicy("p", [new PolicyStatement(HasCommunity(1), PolicyAction.Accept, new PolicyModifications { LocalPref = 1 })]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new RoutePolicy("q", a.Statements));
        Assert.NotEqual(a, new RoutePolicy("p", a.Statements, defaultAccept: false));
        Assert.NotEqual(a, new RoutePolicy("p", [new PolicyStatement(HasCommunity(1), PolicyAction.Accept, new PolicyModifications { LocalPref = 2 })]));
    }

    [Fact]
    public void Policy_is_safe_to_share_between_threads()
    {
        var policy = Policy(
            false,
            new PolicyStatement(new PolicyMatch { AsPath = new AsPathPattern("^65002") }, PolicyAction.Next, new PolicyModifications { Prepend = 1 }),
            new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, new PolicyModifications { LocalPref = 10 }));
        var results = new PathAttributes?[64];
        Parallel.For(0, results.Length, i => results[i] = policy.Apply(V4, Route, Peer));
        Assert.All(results, r => Assert.Equal("65001 65002", r!.AsPath!.ToString()));
    }

    [Fact]
    public void Matching_and_accepting_unchanged_allocates_nothing_once_warm()
    {
        var policy = Policy(
            false,
            new PolicyStatement(new PolicyMatch { Prefixes = EquatableArray.Create(PrefixRange.Parse("192.168.0.0/16 le 24")) }, PolicyAction.Reject),
            new PolicyStatement(
                new PolicyMatch
                {
                    Prefixes = EquatableArray.Create(PrefixRange.Parse("10.0.0.0/8 le 24")),
                    Communities = EquatableArray.Create(Community.Create(65001, 100)),
                    LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
                    AsPath = new AsPathPattern("^65002$"),
                },
                PolicyAction.Next,
                new PolicyModifications { LocalPref = 100 }),
            new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept));
        for (var i = 0; i < 100; i++)
        {
            Assert.Same(Route, policy.Apply(V4, Route, Peer));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = policy.Apply(V4, Route, Peer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static PathAttributes Apply(PolicyModifications set) =>
        Policy(false, new PolicyStatement(PolicyMatch.Any, PolicyAction.Accept, set)).Apply(V4, Route, Peer)!;
}
