using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

public class UpdateInMrtTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("198.18.0.2");
    private static readonly IPAddress Local = IPAddress.Parse("198.18.0.1");

    [Fact]
    public void Message_with_2_octet_as_path_and_as4_path_reconstructs_the_4_octet_path()
    {
        var update = Update([], Attributes(
            OriginAttribute(Origin.Igp),
            AsPathAttribute(false, OpenMessage.AsTrans, 65002, OpenMessage.AsTrans),
            NextHopAttribute(Peer),
            As4PathAttribute(4_200_000_001, 65002, 4_200_000_003)), Nlri(IpPrefix.Parse("10.0.0.0/24")));
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.Message, OpenMessage.AsTrans, 65000, Peer, Local, update));
        Assert.False(record.FourOctetAs);
        Assert.Equal((uint)OpenMessage.AsTrans, record.PeerAs);
        var message = Assert.IsType<UpdateMessage>(record.Message);
        Assert.Equal(AsPath.FromSequence(4_200_000_001, 65002, 4_200_000_003), message.Attributes.AsPath);
        Assert.Equal(Peer, message.Attributes.NextHop);
        Assert.Equal([new Nlri(IpPrefix.Parse("10.0.0.0/24"))], message.Nlri.ToArray());
    }

    [Fact]
    public void Message_as4_decodes_a_4_octet_as_path()
    {
        var update = Update(Nlri(IpPrefix.Parse("192.0.2.0/24")), Attributes(
            OriginAttribute(Origin.Egp),
            AsPathAttribute(true, 4_200_000_001, 65002),
            NextHopAttribute(Peer)), Nlri(IpPrefix.Parse("10.0.0.0/24")));
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 4_200_000_001, 65000, Peer, Local, update, microseconds: 42));
        Assert.True(record.FourOctetAs);
        Assert.Equal(4_200_000_001u, record.PeerAs);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(420), record.Timestamp);
        var message = Assert.IsType<UpdateMessage>(record.Message);
        Assert.Equal(Origin.Egp, message.Attributes.Origin);
        Assert.Equal(AsPath.FromSequence(4_200_000_001, 65002), message.Attributes.AsPath);
        Assert.Equal([new Nlri(IpPrefix.Parse("192.0.2.0/24"))], message.WithdrawnRoutes.ToArray());
        Assert.Equal([new Nlri(IpPrefix.Parse("10.0.0.0/24"))], message.Nlri.ToArray());
    }

    [Fact]
    public void Message_as4_addpath_carries_path_ids_for_ipv4_and_ipv6_nlri()
    {
        var update = Update([], Attributes(
            OriginAttribute(Origin.Igp),
            AsPathAttribute(true, 65001),
            NextHopAttribute(Peer),
            MpReachAttribute(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::2"), Nlri(IpPrefix.Parse("2001:db8:5::/48"), 11))),
            [.. Nlri(IpPrefix.Parse("10.0.0.0/24"), 7), .. Nlri(IpPrefix.Parse("10.0.1.0/24"), 8)]);
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4AddPath, 65001, 65000, Peer, Local, update));
        Assert.True(record.HasAddPath);
        var message = Assert.IsType<UpdateMessage>(record.Message);
        Assert.Equal([new Nlri(IpPrefix.Parse("10.0.0.0/24"), 7), new Nlri(IpPrefix.Parse("10.0.1.0/24"), 8)], message.Nlri.ToArray());
        Assert.NotNull(message.MpReach);
        Assert.Equal([new Nlri(IpPrefix.Parse("2001:db8:5::/48"), 11)], message.MpReach.Nlri.ToArray());
    }

    [Fact]
    public void The_same_update_without_addpath_subtype_does_not_read_path_ids()
    {
        var update = Update([], Attributes(OriginAttribute(Origin.Igp), AsPathAttribute(true, 65001), NextHopAttribute(Peer)), Nlri(IpPrefix.Parse("10.0.0.0/24")));
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, Peer, Local, update));
        var message = Assert.IsType<UpdateMessage>(record.Message);
        Assert.Equal(0u, Assert.Single(message.Nlri).PathId);
    }
}
