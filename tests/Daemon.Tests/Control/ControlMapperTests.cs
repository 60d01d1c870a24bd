using BgpStack.Control;

namespace BgpStack.Daemon.Tests.Control;

public sealed class ControlMapperTests
{
    [Fact]
    public void Peer_status_maps_every_field_with_utc_times_and_per_family_counts()
    {
        var dto = ControlMapper.ToDto(ControlFixtures.EstablishedPeer());
        Assert.Equal("198.18.0.2", dto.Address);
        Assert.Equal(65002u, dto.RemoteAs);
        Assert.Equal(65001u, dto.LocalAs);
        Assert.Equal("external", dto.Type);
        Assert.False(dto.Dynamic);
        Assert.Equal("Established", dto.State);
        Assert.Equal(ControlFixtures.Since, dto.Since);
        Assert.Equal(TimeSpan.Zero, dto.Since.Offset);
        Assert.Equal("198.18.0.2", dto.RouterId);
        Assert.Equal(90, dto.HoldTime);
        Assert.Equal(["ipv4-unicast", "ipv6-unicast"], dto.Families.ToArray());
        Assert.Equal(1000, dto.PrefixesReceived["ipv4-unicast"]);
        Assert.Equal(5, dto.PrefixesReceived["ipv6-unicast"]);
        Assert.Equal(3, dto.PrefixesSent["ipv4-unicast"]);
        Assert.Equal(1, dto.Flaps);
        Assert.Equal("Hold timer expired", dto.LastError);
        Assert.Equal("tor-a", dto.Description);
    }

    [Fact]
    public void A_dynamic_rr_client_before_open_has_no_router_id_or_hold_time()
    {
        var dto = ControlMapper.ToDto(ControlFixtures.ActivePeer());
        Assert.Equal("rr-client", dto.Type);
        Assert.True(dto.Dynamic);
        Assert.Equal("Active", dto.State);
        Assert.Equal(TimeSpan.Zero, dto.Since.Offset);
        Assert.Equal(ControlFixtures.Since, dto.Since);
        Assert.Null(dto.RouterId);
        Assert.Null(dto.HoldTime);
        Assert.Empty(dto.PrefixesReceived);
        Assert.False(dto.Shutdown);
    }

    [Fact]
    public void An_administratively_down_peer_says_so()
    {
        var dto = ControlMapper.ToDto(ControlFixtures.ActivePeer() with { State = BgpStack.Bgp.Fsm.SessionState.Idle, Shutdown = true, Info = "Administratively down" });
        Assert.True(dto.Shutdown);
        Assert.Equal("Idle", dto.State);
        Assert.Equal("Administratively down", dto.Info);
    }

    [Fact]
    public void Prefix_snapshot_maps_paths_attributes_flags_and_the_decision()
    {
        var dto = ControlMapper.ToDto(ControlFixtures.TwoPathPrefix());
        Assert.Equal("10.244.1.0/24", dto.Prefix);
        Assert.Equal("as-path-length", dto.Reason);
        Assert.Equal(2, dto.Paths.Length);

        var best = dto.Paths[0];
        Assert.Equal("198.18.0.2", best.Source);
        Assert.Equal("bgp", best.SourceKind);
        Assert.Equal(65002u, best.PeerAs);
        Assert.False(best.Internal);
        Assert.Equal("198.18.0.2", best.NextHop);
        Assert.Equal("65002", best.AsPath);
        Assert.Equal("igp", best.Origin);
        Assert.Equal(10u, best.Med);
        Assert.Null(best.LocalPref);
        Assert.Equal(["65001:100", "no-export"], best.Communities.ToArray());
        Assert.Equal(["65001:1:2"], best.LargeCommunities.ToArray());
        Assert.True(best.Best);
        Assert.True(best.Multipath);
        Assert.False(best.Stale);
        Assert.Equal("best", best.Status);
        Assert.Null(best.LostTo);

        var lost = dto.Paths[1];
        Assert.True(lost.Internal);
        Assert.Equal(4u, lost.PathId);
        Assert.Equal("65003 65100", lost.AsPath);
        Assert.Equal("incomplete", lost.Origin);
        Assert.Equal(100u, lost.LocalPref);
        Assert.Equal("198.18.0.7", lost.OriginatorId);
        Assert.Equal(["198.18.0.1"], lost.ClusterList.ToArray());
        Assert.False(lost.Best);
        Assert.False(lost.Multipath);
        Assert.True(lost.Stale);
        Assert.Equal("lost", lost.Status);
        Assert.Equal("as-path-length", lost.Reason);
        Assert.Equal(0, lost.LostTo);
    }

    [Fact]
    public void A_prefix_without_an_eligible_path_has_no_reason()
    {
        var snapshot = ControlFixtures.TwoPathPrefix() with { BestIndex = -1, Multipath = [] };
        var dto = ControlMapper.ToDto(snapshot);
        Assert.Null(dto.Reason);
        Assert.DoesNotContain(dto.Paths, p => p.Best || p.Multipath);
    }

    [Theory]
    [InlineData(BgpStack.Rib.Decision.DecisionReason.OnlyPath, "only-path")]
    [InlineData(BgpStack.Rib.Decision.DecisionReason.LocalPref, "local-pref")]
    [InlineData(BgpStack.Rib.Decision.DecisionReason.ExternalOverInternal, "external-over-internal")]
    [InlineData(BgpStack.Rib.Decision.DecisionReason.NextHopUnreachable, "next-hop-unreachable")]
    public void Decision_steps_have_kebab_case_names(BgpStack.Rib.Decision.DecisionReason reason, string name) =>
        Assert.Equal(name, ControlMapper.ReasonName(reason));
}
