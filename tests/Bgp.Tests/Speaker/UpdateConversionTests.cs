using System.Buffers;
using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Rib.Export;

namespace BgpStack.Bgp.Tests.Speaker;

public class UpdateConversionTests
{
    private static readonly RouteSource Peer = new()
    {
        Id = 9,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse("198.18.0.2"),
        PeerAs = 65002,
        LocalAs = 65001,
    };

    private static readonly PeerRules Rules = new(65002, 65001, RouterId.Parse("198.18.0.1"), RouterId.Parse("198.18.0.1"), false, false, NextHopMode.Auto, 0, IPAddress.Parse("198.18.0.1"), IPAddress.Parse("198.18.0.2"));

    private static readonly PolicyPeer PolicyPeer = new(IPAddress.Parse("198.18.0.2"), 65002, 65001, false);

    private static List<UpdateMessage> WriteAndDecode(ImmutableArray<ExportChange> batch, CodecContext context, bool extendedNextHop = false)
    {
        var writer = new OutboundWriter(context, extendedNextHop);
        var requests = writer.Build(batch, out _, out _);
        var buffer = new ArrayBufferWriter<byte>();
        writer.Write(requests, buffer);
        var messages = new List<UpdateMessage>();
        var span = buffer.WrittenSpan;
        while (!span.IsEmpty)
        {
            Assert.True(BgpMessage.TryDecodeNext(span, context, out var result, out var consumed));
            Assert.True(result.IsSuccess, result.ToString());
            messages.Add(Assert.IsType<UpdateMessage>(result.Value));
            span = span[consumed..];
        }

        return messages;
    }

    private static async Task<List<RibUpdate>> Convert(UpdateMessage update, IRoutePolicy? policy = null, PeerRules? rules = null)
    {
        var posted = new List<RibUpdate>();
        await new InboundUpdate().ApplyAsync(update, [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast], Peer, rules ?? Rules, policy, PolicyPeer, u =>
        {
            posted.Add(u);
            return ValueTask.CompletedTask;
        });
        return posted;
    }

    [Fact]
    public void Ipv4_and_ipv6_announcements_and_withdrawals_round_trip_through_the_wire()
    {
        var v4 = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = IPAddress.Parse("198.18.0.1") };
        var v6 = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = IPAddress.Parse("2001:db8::1") };
        ImmutableArray<ExportChange> batch =
        [
            new(IpPrefix.Parse("10.0.0.0/24"), v4),
            new(IpPrefix.Parse("10.0.1.0/24"), v4),
            new(IpPrefix.Parse("10.9.0.0/16"), null),
            new(IpPrefix.Parse("2001:db8:1::/48"), v6),
            new(IpPrefix.Parse("2001:db8:2::/48"), null),
        ];

        var messages = WriteAndDecode(batch, CodecContext.Default);
        var announced = messages.SelectMany(m => m.Nlri.AsSpan().ToArray()).Select(n => n.Prefix.ToString()).ToList();
        Assert.Equal(["10.0.0.0/24", "10.0.1.0/24"], announced);
        Assert.Contains(messages, m => m.WithdrawnRoutes.AsSpan().ToArray().Any(n => n.Prefix == IpPrefix.Parse("10.9.0.0/16")));
        var reach = Assert.Single(messages, m => m.MpReach is not null).MpReach!;
        Assert.Equal(AfiSafi.Ipv6Unicast, reach.Family);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), reach.NextHopAddress);
        Assert.Equal(IpPrefix.Parse("2001:db8:1::/48"), reach.Nlri[0].Prefix);
        Assert.Contains(messages, m => m.MpUnreach is { } u && u.Nlri[0].Prefix == IpPrefix.Parse("2001:db8:2::/48"));
    }

    [Fact]
    public void An_ipv6_route_with_an_ipv4_next_hop_gets_the_mapped_address()
    {
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("198.18.0.1") };
        var messages = WriteAndDecode([new(IpPrefix.Parse("2001:db8:1::/48"), attributes)], CodecContext.Default);
        Assert.Equal(IPAddress.Parse("::ffff:198.18.0.1"), Assert.Single(messages).MpReach!.NextHopAddress);
    }

    [Fact]
    public void An_ipv4_route_with_an_ipv6_next_hop_needs_extended_next_hop()
    {
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("2001:db8::1") };
        var writer = new OutboundWriter(CodecContext.Default, ipv4ExtendedNextHop: false);
        Assert.Empty(writer.Build([new(IpPrefix.Parse("10.0.0.0/24"), attributes)], out _, out _));
        Assert.Equal(1, writer.Unencodable);

        var messages = WriteAndDecode([new(IpPrefix.Parse("10.0.0.0/24"), attributes)], CodecContext.Default, extendedNextHop: true);
        var reach = Assert.Single(messages).MpReach!;
        Assert.Equal(AfiSafi.Ipv4Unicast, reach.Family);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), reach.NextHopAddress);
    }

    [Fact]
    public async Task Mp_reach_next_hop_becomes_the_route_next_hop_and_both_withdrawal_fields_are_read()
    {
        var update = new UpdateMessage
        {
            WithdrawnRoutes = [new Nlri(IpPrefix.Parse("10.1.0.0/16"))],
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65002), NextHop = IPAddress.Parse("198.18.0.2") },
            Nlri = [new Nlri(IpPrefix.Parse("10.2.0.0/16"))],
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::2"), null, [new Nlri(IpPrefix.Parse("2001:db8:5::/48"))]),
            MpUnreach = new MpUnreachNlri(AfiSafi.Ipv6Unicast, [new Nlri(IpPrefix.Parse("2001:db8:6::/48"))]),
        };

        var posted = await Convert(update);
        var announcements = posted.OfType<RouteAnnouncement>().ToList();
        Assert.Equal(2, announcements.Count);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), announcements[0].Attributes.NextHop);
        Assert.Equal(IPAddress.Parse("2001:db8::2"), announcements[1].Attributes.NextHop);
        var withdrawal = Assert.Single(posted.OfType<RouteWithdrawal>());
        Assert.Equal([IpPrefix.Parse("10.1.0.0/16"), IpPrefix.Parse("2001:db8:6::/48")], withdrawal.Routes.Select(r => r.Prefix));
    }

    [Fact]
    public async Task A_looped_path_becomes_a_withdrawal()
    {
        var update = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65002, 65001), NextHop = IPAddress.Parse("198.18.0.2") },
            Nlri = [new Nlri(IpPrefix.Parse("10.2.0.0/16"))],
        };

        var posted = await Convert(update);
        Assert.Empty(posted.OfType<RouteAnnouncement>());
        Assert.Equal(IpPrefix.Parse("10.2.0.0/16"), Assert.Single(Assert.Single(posted.OfType<RouteWithdrawal>()).Routes).Prefix);
    }

    [Fact]
    public async Task Import_policy_splits_announcements_by_result_and_withdraws_rejected_prefixes()
    {
        var update = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65002), NextHop = IPAddress.Parse("198.18.0.2") },
            Nlri = [new Nlri(IpPrefix.Parse("10.1.0.0/16")), new Nlri(IpPrefix.Parse("10.2.0.0/16")), new Nlri(IpPrefix.Parse("10.3.0.0/16"))],
        };

        var posted = await Convert(update, new TestPolicy());
        var announcements = posted.OfType<RouteAnnouncement>().ToList();
        Assert.Equal(2, announcements.Count);
        Assert.Contains(announcements, a => a.Attributes.LocalPref == 200 && a.Routes.Single().Prefix == IpPrefix.Parse("10.1.0.0/16"));
        Assert.Contains(announcements, a => a.Attributes.LocalPref is null && a.Routes.Single().Prefix == IpPrefix.Parse("10.2.0.0/16"));
        Assert.Equal(IpPrefix.Parse("10.3.0.0/16"), Assert.Single(Assert.Single(posted.OfType<RouteWithdrawal>()).Routes).Prefix);
    }

    [Fact]
    public async Task Treat_as_withdraw_withdraws_every_announced_prefix()
    {
        var update = new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65002), NextHop = IPAddress.Parse("198.18.0.2") },
            Nlri = [new Nlri(IpPrefix.Parse("10.1.0.0/16"))],
            AttributeErrors = [new AttributeError(AttributeErrorAction.TreatAsWithdraw, 1, BgpError.Update(UpdateMessageErrorSubcode.InvalidOriginAttribute, [], "test"))],
        };

        Assert.True(update.TreatAsWithdraw);
        var posted = await Convert(update);
        Assert.Empty(posted.OfType<RouteAnnouncement>());
        Assert.Single(posted.OfType<RouteWithdrawal>());
    }

    private sealed class TestPolicy : IRoutePolicy
    {
        public PathAttributes? Apply(IpPrefix prefix, PathAttributes attributes, in PolicyPeer peer) =>
            prefix == IpPrefix.Parse("10.1.0.0/16") ? attributes with { LocalPref = 200 }
            : prefix == IpPrefix.Parse("10.3.0.0/16") ? null
            : attributes;
    }
}
