using System.Net;
using BgpStack.Bgp.Sessions;
using BgpStack.Bgp.Sessions.Negotiation;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Sessions;

public sealed class NegotiationTests
{
    private static readonly RouterId Local = RouterId.Parse("198.18.0.1");
    private static readonly RouterId Remote = RouterId.Parse("198.18.0.2");
    private static readonly IPEndPoint LocalEnd = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint RemoteEnd = new(IPAddress.Loopback, 179);

    private static SessionSettings Settings(Func<PeerOptions, PeerOptions>? peer = null, uint localAs = 65001, uint remoteAs = 65002, bool restarting = false)
    {
        var options = new PeerOptions { Address = IPAddress.Parse("198.18.0.2"), RemoteAs = remoteAs };
        return new SessionSettings { Peer = peer is null ? options : peer(options), LocalAs = localAs, RouterId = Local, Restarting = restarting };
    }

    private static OpenMessage PeerOpen(uint asn = 65002, ushort hold = 90, RouterId? id = null, params Capability[] capabilities) =>
        OpenMessage.Create(asn, hold, id ?? Remote, capabilities);

    private static Capability[] Modern(uint asn = 65002) =>
    [
        new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
        new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
        new RouteRefreshCapability(),
        new FourOctetAsCapability(asn),
    ];

    private static NegotiatedSession Negotiated(SessionSettings settings, OpenMessage remote)
    {
        var result = OpenNegotiation.Negotiate(settings, OpenBuilder.Build(settings), remote, LocalEnd, RemoteEnd);
        Assert.True(result.TryGetValue(out var negotiated, out var error), error?.ToString());
        return negotiated;
    }

    private static BgpError Refused(SessionSettings settings, OpenMessage remote)
    {
        var result = OpenNegotiation.Negotiate(settings, OpenBuilder.Build(settings), remote, LocalEnd, RemoteEnd);
        Assert.False(result.IsSuccess);
        return result.Error!;
    }

    [Fact]
    public void Our_open_advertises_every_configured_capability()
    {
        var settings = Settings(p => p with { AddPath = AddPathMode.Both, ExtendedNextHop = true, HoldTime = TimeSpan.FromSeconds(30) });
        var open = OpenBuilder.Build(settings);

        Assert.Equal(65001, open.MyAutonomousSystem);
        Assert.Equal(30, open.HoldTime);
        Assert.Equal(Local, open.BgpIdentifier);
        Assert.Equal(
            [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast],
            open.Capabilities.OfType<MultiprotocolCapability>().Select(c => c.Family));
        Assert.NotNull(open.GetCapability<RouteRefreshCapability>());
        Assert.NotNull(open.GetCapability<EnhancedRouteRefreshCapability>());
        Assert.Equal(65001u, open.GetCapability<FourOctetAsCapability>()!.Asn);
        Assert.NotNull(open.GetCapability<ExtendedMessageCapability>());
        Assert.Equal(
            [new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Both), new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Both)],
            open.GetCapability<AddPathCapability>()!.Families);
        Assert.Equal([new ExtendedNextHopEntry(Afi.Ipv4, 1, Afi.Ipv6)], open.GetCapability<ExtendedNextHopCapability>()!.Entries);
    }

    [Fact]
    public void Our_open_leaves_out_what_is_not_configured()
    {
        var open = OpenBuilder.Build(Settings(p => p with { ExtendedMessage = false, GracefulRestart = null, Families = [AfiSafi.Ipv6Unicast] }));
        Assert.Null(open.GetCapability<ExtendedMessageCapability>());
        Assert.Null(open.GetCapability<GracefulRestartCapability>());
        Assert.Null(open.GetCapability<AddPathCapability>());
        Assert.Null(open.GetCapability<ExtendedNextHopCapability>());
        Assert.Equal([AfiSafi.Ipv6Unicast], open.Capabilities.OfType<MultiprotocolCapability>().Select(c => c.Family));
    }

    [Fact]
    public void A_four_octet_local_as_goes_in_the_capability_with_as_trans_in_my_as()
    {
        var open = OpenBuilder.Build(Settings(localAs: 4_200_000_001));
        Assert.Equal(OpenMessage.AsTrans, open.MyAutonomousSystem);
        Assert.Equal(4_200_000_001u, open.GetCapability<FourOctetAsCapability>()!.Asn);
    }

    [Fact]
    public void The_per_peer_local_as_overrides_the_speakers()
    {
        var settings = Settings(p => p with { LocalAs = 65100 });
        Assert.Equal(65100u, OpenBuilder.Build(settings).AutonomousSystem);
        Assert.Equal(65100u, Negotiated(settings, PeerOpen(capabilities: Modern())).LocalAs);
    }

    [Fact]
    public void Graceful_restart_carries_restart_time_r_bit_n_bit_and_per_family_f_bit()
    {
        var options = new GracefulRestartOptions { RestartTime = TimeSpan.FromSeconds(200), ForwardingPreserved = true };
        var fresh = OpenBuilder.Build(Settings(p => p with { GracefulRestart = options })).GetCapability<GracefulRestartCapability>()!;
        Assert.False(fresh.RestartState);
        Assert.True(fresh.NotificationSupport);
        Assert.Equal(200, fresh.RestartTime);
        Assert.All(fresh.Families, f => Assert.False(f.ForwardingPreserved));

        var restarted = OpenBuilder.Build(Settings(p => p with { GracefulRestart = options }, restarting: true)).GetCapability<GracefulRestartCapability>()!;
        Assert.True(restarted.RestartState);
        Assert.Equal([AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast], restarted.Families.Select(f => f.Family));
        Assert.All(restarted.Families, f => Assert.True(f.ForwardingPreserved));

        var capped = OpenBuilder.Build(Settings(p => p with { GracefulRestart = options with { RestartTime = TimeSpan.FromHours(5) } }));
        Assert.Equal(GracefulRestartCapability.MaxRestartTime, capped.GetCapability<GracefulRestartCapability>()!.RestartTime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(70000)]
    public void A_configured_hold_time_the_wire_cannot_carry_is_refused(int seconds)
    {
        var settings = Settings(p => p with { HoldTime = TimeSpan.FromSeconds(seconds) });
        Assert.Throws<ArgumentException>(() => OpenBuilder.Build(settings));
    }

    [Theory]
    [InlineData(90, 90, 90, 30)]
    [InlineData(90, 30, 30, 10)]
    [InlineData(9, 90, 9, 3)]
    [InlineData(90, 0, 0, 0)]
    [InlineData(0, 90, 0, 0)]
    public void Hold_time_is_the_smaller_and_keepalive_at_most_a_third(int ours, int theirs, int hold, int keepalive)
    {
        var settings = Settings(p => p with { HoldTime = TimeSpan.FromSeconds(ours) });
        var negotiated = Negotiated(settings, PeerOpen(hold: (ushort)theirs, capabilities: Modern()));
        Assert.Equal(TimeSpan.FromSeconds(hold), negotiated.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(keepalive), negotiated.KeepaliveTime);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(4, 1)]
    [InlineData(3, 1)]
    public void Keepalive_is_a_whole_third_of_the_hold_time_and_at_least_a_second(int hold, int keepalive)
    {
        var settings = Settings(p => p with { KeepaliveTime = TimeSpan.FromMilliseconds(100) });
        var negotiated = Negotiated(settings, PeerOpen(hold: (ushort)hold, capabilities: Modern()));
        Assert.Equal(TimeSpan.FromSeconds(1), negotiated.KeepaliveTime);
        Assert.Equal(TimeSpan.FromSeconds(keepalive), Negotiated(Settings(), PeerOpen(hold: (ushort)hold, capabilities: Modern())).KeepaliveTime);
    }

    [Fact]
    public void A_shorter_configured_keepalive_is_kept()
    {
        var settings = Settings(p => p with { KeepaliveTime = TimeSpan.FromSeconds(5) });
        Assert.Equal(TimeSpan.FromSeconds(5), Negotiated(settings, PeerOpen(capabilities: Modern())).KeepaliveTime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Hold_time_of_one_or_two_seconds_gives_2_6(int hold)
    {
        var error = Refused(Settings(), PeerOpen(hold: (ushort)hold, capabilities: Modern()));
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.UnacceptableHoldTime), (error.Code, error.Subcode));
    }

    [Fact]
    public void Wrong_peer_as_gives_2_2()
    {
        var error = Refused(Settings(), PeerOpen(asn: 65003, capabilities: Modern(65003)));
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadPeerAs), (error.Code, error.Subcode));
    }

    [Fact]
    public void Dynamic_peer_as_must_fall_in_the_range()
    {
        var settings = Settings() with { IsDynamic = true, RemoteAsRange = (65000, 65100) };
        Assert.Equal(65050u, Negotiated(settings, PeerOpen(asn: 65050, capabilities: Modern(65050))).RemoteAs);
        var error = Refused(settings, PeerOpen(asn: 65200, capabilities: Modern(65200)));
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, error.Subcode);
    }

    [Fact]
    public void Internal_peer_with_our_identifier_gives_2_3()
    {
        var settings = Settings(remoteAs: 65001);
        var error = Refused(settings, PeerOpen(asn: 65001, id: Local, capabilities: Modern(65001)));
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadBgpIdentifier), (error.Code, error.Subcode));
        Assert.True(Negotiated(settings, PeerOpen(asn: 65001, capabilities: Modern(65001))).IsInternal);
    }

    [Fact]
    public void Identifier_zero_gives_2_3_and_as_zero_gives_2_2()
    {
        var zeroId = Refused(Settings(), PeerOpen(id: new RouterId(0), capabilities: Modern()));
        Assert.Equal((byte)OpenMessageErrorSubcode.BadBgpIdentifier, zeroId.Subcode);
        var zeroAs = Refused(Settings(), PeerOpen(capabilities: Modern(0)));
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, zeroAs.Subcode);
    }

    [Fact]
    public void Version_other_than_4_gives_2_1_with_our_version()
    {
        var open = PeerOpen(capabilities: Modern()) with { Version = 3 };
        var error = Refused(Settings(), open);
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.UnsupportedVersionNumber), (error.Code, error.Subcode));
        Assert.Equal([0, 4], error.Data);
    }

    [Fact]
    public void Missing_required_capability_gives_2_7_with_the_capability_in_the_data()
    {
        var settings = Settings(p => p with { RequiredCapabilities = [CapabilityCode.GracefulRestart, CapabilityCode.RouteRefresh] });
        var error = Refused(settings, PeerOpen(capabilities: Modern()));
        Assert.Equal((NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.UnsupportedCapability), (error.Code, error.Subcode));
        var ours = OpenBuilder.Build(settings).GetCapability<GracefulRestartCapability>()!;
        Assert.Equal(OpenValidation.EncodeCapability(ours), error.Data.AsSpan().ToArray());
    }

    [Fact]
    public void Missing_required_capability_we_do_not_advertise_is_named_by_code()
    {
        var settings = Settings(p => p with { RequiredCapabilities = [CapabilityCode.AddPath] });
        var error = Refused(settings, PeerOpen(capabilities: Modern()));
        Assert.Equal((byte)OpenMessageErrorSubcode.UnsupportedCapability, error.Subcode);
        Assert.Equal([(byte)CapabilityCode.AddPath, 0], error.Data);
    }

    [Fact]
    public void Families_are_the_intersection()
    {
        var negotiated = Negotiated(Settings(), PeerOpen(capabilities: [new MultiprotocolCapability(AfiSafi.Ipv6Unicast), new FourOctetAsCapability(65002)]));
        Assert.Equal(new[] { AfiSafi.Ipv6Unicast }, negotiated.Families.ToArray());
    }

    [Fact]
    public void Peer_without_multiprotocol_capability_is_ipv4_unicast_only()
    {
        var negotiated = Negotiated(Settings(), PeerOpen(capabilities: [new FourOctetAsCapability(65002)]));
        Assert.Equal(new[] { AfiSafi.Ipv4Unicast }, negotiated.Families.ToArray());
    }

    [Fact]
    public void Four_octet_as_only_when_both_advertise_it()
    {
        Assert.True(Negotiated(Settings(), PeerOpen(capabilities: Modern())).ReceiveContext.FourOctetAs);
        var old = Negotiated(Settings(), PeerOpen(capabilities: [new MultiprotocolCapability(AfiSafi.Ipv4Unicast)]));
        Assert.False(old.ReceiveContext.FourOctetAs);
        Assert.False(old.SendContext.FourOctetAs);
    }

    [Fact]
    public void Extended_message_only_when_both_advertise_it()
    {
        var both = Negotiated(Settings(), PeerOpen(capabilities: [.. Modern(), new ExtendedMessageCapability()]));
        Assert.Equal(CodecContext.ExtendedMaxMessageLength, both.ReceiveContext.MaxMessageLength);
        Assert.True(both.SendContext.ExtendedMessage);
        var theirsOnly = Negotiated(Settings(p => p with { ExtendedMessage = false }), PeerOpen(capabilities: [.. Modern(), new ExtendedMessageCapability()]));
        Assert.False(theirsOnly.ReceiveContext.ExtendedMessage);
        Assert.False(Negotiated(Settings(), PeerOpen(capabilities: Modern())).SendContext.ExtendedMessage);
    }

    [Theory]
    [InlineData(AddPathMode.Receive, AddPathMode.Send, true, false)]
    [InlineData(AddPathMode.Send, AddPathMode.Receive, false, true)]
    [InlineData(AddPathMode.Both, AddPathMode.Both, true, true)]
    [InlineData(AddPathMode.Receive, AddPathMode.Receive, false, false)]
    [InlineData(AddPathMode.Send, AddPathMode.Send, false, false)]
    [InlineData(AddPathMode.Both, AddPathMode.Send, true, false)]
    public void Add_path_is_negotiated_per_direction(AddPathMode ours, AddPathMode theirs, bool receive, bool send)
    {
        var settings = Settings(p => p with { AddPath = ours });
        var peer = PeerOpen(capabilities: [.. Modern(), new AddPathCapability(new[] { new AddPathFamily(AfiSafi.Ipv4Unicast, theirs) }.ToEquatableArray())]);
        var negotiated = Negotiated(settings, peer);
        Assert.Equal(receive, negotiated.ReceiveContext.HasAddPath(AfiSafi.Ipv4Unicast));
        Assert.Equal(send, negotiated.SendContext.HasAddPath(AfiSafi.Ipv4Unicast));
        // The peer said nothing about IPv6.
        Assert.False(negotiated.ReceiveContext.HasAddPath(AfiSafi.Ipv6Unicast));
        Assert.False(negotiated.SendContext.HasAddPath(AfiSafi.Ipv6Unicast));
    }

    [Fact]
    public void Route_refresh_enhanced_refresh_and_graceful_restart_are_reported()
    {
        var gr = new GracefulRestartCapability(false, true, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true) }.ToEquatableArray());
        var negotiated = Negotiated(Settings(), PeerOpen(capabilities: [.. Modern(), new EnhancedRouteRefreshCapability(), gr]));
        Assert.True(negotiated.RouteRefresh);
        Assert.True(negotiated.EnhancedRouteRefresh);
        Assert.Equal(gr, negotiated.PeerGracefulRestart);
        Assert.True(negotiated.LocalGracefulRestart);
        Assert.True(negotiated.GracefulRestart);
        Assert.True(negotiated.GracefulRestartNotification);
        Assert.Equal(Remote, negotiated.RemoteRouterId);
        Assert.Equal(LocalEnd, negotiated.LocalEndPoint);
        Assert.Equal(RemoteEnd, negotiated.RemoteEndPoint);

        var plain = Negotiated(Settings(p => p with { GracefulRestart = null }), PeerOpen(capabilities: [new FourOctetAsCapability(65002), gr]));
        Assert.False(plain.RouteRefresh);
        Assert.False(plain.EnhancedRouteRefresh);
        Assert.False(plain.GracefulRestart);
        Assert.False(plain.GracefulRestartNotification);
    }

    [Fact]
    public void Extended_next_hop_when_both_advertise_the_same_entry()
    {
        var settings = Settings(p => p with { ExtendedNextHop = true });
        var enh = new ExtendedNextHopCapability(new[] { new ExtendedNextHopEntry(Afi.Ipv4, 1, Afi.Ipv6) }.ToEquatableArray());
        Assert.Equal(new[] { AfiSafi.Ipv4Unicast }, Negotiated(settings, PeerOpen(capabilities: [.. Modern(), enh])).ExtendedNextHopFamilies.ToArray());
        Assert.Empty(Negotiated(settings, PeerOpen(capabilities: Modern())).ExtendedNextHopFamilies);
        Assert.Empty(Negotiated(Settings(), PeerOpen(capabilities: [.. Modern(), enh])).ExtendedNextHopFamilies);
    }
}
