using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Rib.Feed;

namespace BgpStack.Bgp.Tests.Speaker;

public class RouteRulesTests
{
    private const uint Us = 65001;
    private static readonly RouterId OurId = RouterId.Parse("198.18.0.1");
    private static readonly RouterId Cluster = RouterId.Parse("198.18.255.1");
    private static readonly IPAddress OurAddress = IPAddress.Parse("198.18.0.1");

    private static PeerRules Peer(uint asn, string address = "198.18.0.2", bool client = false, bool reflector = false, NextHopMode nextHop = NextHopMode.Auto, int allowOwnAs = 0) =>
        new(asn, Us, OurId, Cluster, client, reflector, nextHop, allowOwnAs, OurAddress, IPAddress.Parse(address));

    private static RouteSource Source(uint asn, string address, bool client = false, string routerId = "198.18.9.9") => new()
    {
        Id = 7,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse(address),
        PeerAs = asn,
        LocalAs = Us,
        PeerRouterId = RouterId.Parse(routerId),
        IsRouteReflectorClient = client,
    };

    private static readonly RouteSource Local = new() { Id = 1, Kind = RouteSourceKind.Local, LocalAs = Us };

    private static PathAttributes Attrs(params uint[] path) => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(path),
        NextHop = IPAddress.Parse("198.18.5.5"),
        MultiExitDisc = 50,
        LocalPref = 300,
    };

    [Fact]
    public void Import_refuses_a_path_holding_our_AS()
    {
        Assert.Equal(ImportRejection.AsPathLoop, RouteRules.Import(Attrs(65002, Us, 65003), Peer(65002), out _));
    }

    [Fact]
    public void Import_allows_our_AS_up_to_allow_own_as()
    {
        Assert.Equal(ImportRejection.None, RouteRules.Import(Attrs(65002, Us), Peer(65002, allowOwnAs: 1), out _));
        Assert.Equal(ImportRejection.AsPathLoop, RouteRules.Import(Attrs(65002, Us, Us), Peer(65002, allowOwnAs: 1), out _));
    }

    [Fact]
    public void Import_from_ebgp_drops_local_pref_and_reflection_attributes()
    {
        var received = Attrs(65002) with { OriginatorId = RouterId.Parse("1.2.3.4"), ClusterList = [RouterId.Parse("5.6.7.8")], HasClusterList = true };
        Assert.Equal(ImportRejection.None, RouteRules.Import(received, Peer(65002), out var kept));
        Assert.Null(kept.LocalPref);
        Assert.Null(kept.OriginatorId);
        Assert.False(kept.HasClusterList);
        Assert.Equal(50u, kept.MultiExitDisc);
    }

    [Fact]
    public void Import_from_ibgp_keeps_local_pref_and_returns_the_same_instance()
    {
        var received = Attrs();
        Assert.Equal(ImportRejection.None, RouteRules.Import(received, Peer(Us), out var kept));
        Assert.Same(received, kept);
    }

    [Fact]
    public void Import_refuses_our_own_originator_id_and_cluster_id()
    {
        Assert.Equal(ImportRejection.OriginatorLoop, RouteRules.Import(Attrs() with { OriginatorId = OurId }, Peer(Us), out _));
        Assert.Equal(ImportRejection.ClusterLoop, RouteRules.Import(Attrs() with { ClusterList = [RouterId.Parse("9.9.9.9"), Cluster], HasClusterList = true }, Peer(Us), out _));
    }

    [Fact]
    public void Export_never_sends_a_route_back_to_its_peer()
    {
        var path = new RoutePath(Source(65002, "198.18.0.2"), Attrs(65002), 0);
        Assert.Null(RouteRules.Export(path, Peer(65003, "198.18.0.2")));
    }

    [Fact]
    public void Export_to_ebgp_prepends_sets_next_hop_self_and_drops_local_pref_and_learned_med()
    {
        var path = new RoutePath(Source(65002, "198.18.0.2"), Attrs(65002), 0);
        var sent = RouteRules.Export(path, Peer(65003, "198.18.0.3"));
        Assert.NotNull(sent);
        Assert.Equal(AsPath.FromSequence(Us, 65002), sent.AsPath);
        Assert.Equal(OurAddress, sent.NextHop);
        Assert.Null(sent.LocalPref);
        Assert.Null(sent.MultiExitDisc);
    }

    [Fact]
    public void Export_to_ebgp_keeps_the_med_of_our_own_routes()
    {
        var path = new RoutePath(Local, new PathAttributes { MultiExitDisc = 10, AsPath = AsPath.Empty }, 0);
        var sent = RouteRules.Export(path, Peer(65003, "198.18.0.3"));
        Assert.NotNull(sent);
        Assert.Equal(10u, sent.MultiExitDisc);
        Assert.Equal(Origin.Igp, sent.Origin);
        Assert.Equal(AsPath.FromSequence(Us), sent.AsPath);
    }

    [Fact]
    public void Export_to_ebgp_skips_a_path_holding_the_peer_AS()
    {
        var path = new RoutePath(Source(65002, "198.18.0.2"), Attrs(65002, 65003), 0);
        Assert.Null(RouteRules.Export(path, Peer(65003, "198.18.0.3")));
    }

    [Fact]
    public void Export_to_ebgp_with_next_hop_keep_keeps_it()
    {
        var path = new RoutePath(Source(65002, "198.18.0.2"), Attrs(65002), 0);
        Assert.Equal(IPAddress.Parse("198.18.5.5"), RouteRules.Export(path, Peer(65003, "198.18.0.3", nextHop: NextHopMode.Keep))!.NextHop);
    }

    [Fact]
    public void Export_from_ebgp_to_ibgp_keeps_next_hop_and_med_and_adds_local_pref()
    {
        var received = Attrs(65002) with { LocalPref = null };
        var sent = RouteRules.Export(new RoutePath(Source(65002, "198.18.0.2"), received, 0), Peer(Us, "198.18.0.3"));
        Assert.NotNull(sent);
        Assert.Equal(IPAddress.Parse("198.18.5.5"), sent.NextHop);
        Assert.Equal(50u, sent.MultiExitDisc);
        Assert.Equal(RouteRules.DefaultLocalPref, sent.LocalPref);
        Assert.Equal(AsPath.FromSequence(65002), sent.AsPath);
    }

    [Fact]
    public void Export_to_ibgp_with_next_hop_self_rewrites_it()
    {
        var sent = RouteRules.Export(new RoutePath(Source(65002, "198.18.0.2"), Attrs(65002), 0), Peer(Us, "198.18.0.3", nextHop: NextHopMode.Self));
        Assert.Equal(OurAddress, sent!.NextHop);
    }

    [Fact]
    public void Our_own_routes_go_to_ibgp_with_us_as_next_hop()
    {
        var sent = RouteRules.Export(new RoutePath(Local, new PathAttributes { AsPath = AsPath.Empty }, 0), Peer(Us, "198.18.0.3"));
        Assert.NotNull(sent);
        Assert.Equal(OurAddress, sent.NextHop);
        Assert.Equal(RouteRules.DefaultLocalPref, sent.LocalPref);
        Assert.True(sent.AsPath!.IsEmpty);
    }

    [Fact]
    public void Ibgp_routes_are_not_re_advertised_to_ibgp_without_reflection()
    {
        var path = new RoutePath(Source(Us, "198.18.0.2"), Attrs(), 0);
        Assert.Null(RouteRules.Export(path, Peer(Us, "198.18.0.3")));
        Assert.Null(RouteRules.Export(path, Peer(Us, "198.18.0.3", client: true)));
    }

    // RFC 4456 §6: client routes go to clients and non-clients; non-client routes go to clients only.
    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void Reflector_reflects_by_client_status(bool fromClient, bool toClient, bool reflected)
    {
        var path = new RoutePath(Source(Us, "198.18.0.2", client: fromClient), Attrs(), 0);
        var sent = RouteRules.Export(path, Peer(Us, "198.18.0.3", client: toClient, reflector: true));
        Assert.Equal(reflected, sent is not null);
        if (sent is not null)
        {
            Assert.Equal(RouterId.Parse("198.18.9.9"), sent.OriginatorId);
            Assert.Equal([Cluster], sent.ClusterList.AsSpan().ToArray());
            Assert.Equal(IPAddress.Parse("198.18.5.5"), sent.NextHop);
        }
    }

    [Fact]
    public void Reflection_keeps_an_existing_originator_and_prepends_our_cluster()
    {
        var other = RouterId.Parse("198.18.77.1");
        var received = Attrs() with { OriginatorId = RouterId.Parse("198.18.1.1"), ClusterList = [other], HasClusterList = true };
        var sent = RouteRules.Export(new RoutePath(Source(Us, "198.18.0.2", client: true), received, 0), Peer(Us, "198.18.0.3", reflector: true));
        Assert.Equal(RouterId.Parse("198.18.1.1"), sent!.OriginatorId);
        Assert.Equal([Cluster, other], sent.ClusterList.AsSpan().ToArray());
    }

    [Fact]
    public void Reflection_attributes_do_not_leave_the_AS()
    {
        var received = Attrs() with { OriginatorId = RouterId.Parse("198.18.1.1"), ClusterList = [Cluster], HasClusterList = true };
        var sent = RouteRules.Export(new RoutePath(Source(Us, "198.18.0.2"), received, 0), Peer(65009, "198.18.0.9"));
        Assert.Null(sent!.OriginatorId);
        Assert.False(sent.HasClusterList);
    }
}
