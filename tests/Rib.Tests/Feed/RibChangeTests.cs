using System.Net;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Rib.Tests.Feed;

public class RibChangeTests
{
    private static readonly IpPrefix Prefix = IpPrefix.Parse("10.0.0.0/24");

    private static RoutePath Path(byte peer) => new(
        new RouteSource { Id = peer, Kind = RouteSourceKind.Bgp, PeerAs = 65000u + peer, LocalAs = 65000, PeerAddress = new IPAddress([198, 18, 0, peer]) },
        new PathAttributes { NextHop = new IPAddress([198, 18, 0, peer]) },
        0);

    [Fact]
    public void A_single_path_announcement_is_the_same_change_however_it_was_made()
    {
        var inline = RibChange.Announced(Prefix, Path(1), DecisionReason.OnlyPath);
        var fromSet = RibChange.Announced(Prefix, [Path(1)], DecisionReason.OnlyPath);

        Assert.Equal(fromSet, inline);
        Assert.Equal(inline.GetHashCode(), fromSet.GetHashCode());
        Assert.Equal(1, inline.MultipathCount);
        Assert.Equal(Path(1), inline.MultipathAt(0));
        Assert.Equal([Path(1)], inline.Multipath.AsSpan().ToArray());
        Assert.Equal(Path(1), inline.Best);
    }

    [Fact]
    public void A_multipath_set_keeps_its_order_with_the_best_first()
    {
        var change = RibChange.Announced(Prefix, [Path(2), Path(1), Path(3)], DecisionReason.RouterId);

        Assert.Equal(3, change.MultipathCount);
        Assert.Equal([Path(2), Path(1), Path(3)], [change.MultipathAt(0), change.MultipathAt(1), change.MultipathAt(2)]);
        Assert.Equal(Path(2), change.Best);
        Assert.NotEqual(RibChange.Announced(Prefix, Path(2), DecisionReason.RouterId), change);
    }

    [Fact]
    public void A_withdrawal_has_no_paths_and_an_index_outside_the_set_is_refused()
    {
        var withdrawn = RibChange.Withdrawn(Prefix);

        Assert.True(withdrawn.IsWithdrawn);
        Assert.Equal(0, withdrawn.MultipathCount);
        Assert.True(withdrawn.Multipath.IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => withdrawn.MultipathAt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RibChange.Announced(Prefix, Path(1), DecisionReason.OnlyPath).MultipathAt(1));
        Assert.Throws<ArgumentException>(() => RibChange.Announced(Prefix, EquatableArray<RoutePath>.Empty, DecisionReason.OnlyPath));
    }
}
