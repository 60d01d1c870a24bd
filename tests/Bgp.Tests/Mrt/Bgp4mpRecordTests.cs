using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

public class Bgp4mpRecordTests
{
    private static readonly IPAddress Peer4 = IPAddress.Parse("198.18.0.2");
    private static readonly IPAddress Local4 = IPAddress.Parse("198.18.0.1");
    private static readonly IPAddress Peer6 = IPAddress.Parse("2001:db8::2");
    private static readonly IPAddress Local6 = IPAddress.Parse("2001:db8::1");

    [Fact]
    public void State_change_with_2_octet_as_decodes_peer_fields_and_states()
    {
        var record = MrtFiles.Single<Bgp4mpStateChangeRecord>(Bgp4mpStateChange(false, 65001, 65000, Peer4, Local4, 3, 4, seconds: 1_600_000_000, interfaceIndex: 7));
        Assert.Equal(MrtType.Bgp4mp, record.Type);
        Assert.Equal(Bgp4mpSubtype.StateChange, record.Bgp4mpSubtype);
        Assert.False(record.FourOctetAs);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), record.Timestamp);
        Assert.Equal(65001u, record.PeerAs);
        Assert.Equal(65000u, record.LocalAs);
        Assert.Equal(7, record.InterfaceIndex);
        Assert.Equal(Afi.Ipv4, record.AddressFamily);
        Assert.Equal(Peer4, record.PeerAddress);
        Assert.Equal(Local4, record.LocalAddress);
        Assert.Equal(Bgp4mpPeerState.Active, record.OldState);
        Assert.Equal(Bgp4mpPeerState.OpenSent, record.NewState);
    }

    [Fact]
    public void State_change_as4_over_ipv6_with_et_microseconds()
    {
        var record = MrtFiles.Single<Bgp4mpStateChangeRecord>(Bgp4mpStateChange(true, 4_200_000_001, 4_200_000_000, Peer6, Local6, 5, 6, seconds: 1_700_000_000, microseconds: 123_456));
        Assert.Equal(MrtType.Bgp4mpEt, record.Type);
        Assert.Equal(Bgp4mpSubtype.StateChangeAs4, record.Bgp4mpSubtype);
        Assert.True(record.FourOctetAs);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_560), record.Timestamp);
        Assert.Equal(123_456, record.Timestamp.Millisecond * 1000 + record.Timestamp.Microsecond);
        Assert.Equal(4_200_000_001u, record.PeerAs);
        Assert.Equal(4_200_000_000u, record.LocalAs);
        Assert.Equal(Afi.Ipv6, record.AddressFamily);
        Assert.Equal(Peer6, record.PeerAddress);
        Assert.Equal(Local6, record.LocalAddress);
        Assert.Equal(Bgp4mpPeerState.OpenConfirm, record.OldState);
        Assert.Equal(Bgp4mpPeerState.Established, record.NewState);
        Assert.Equal("Established", record.NewState.ToString());
    }

    [Theory]
    [InlineData(Bgp4mpSubtype.Message, false, false, false)]
    [InlineData(Bgp4mpSubtype.MessageAs4, true, false, false)]
    [InlineData(Bgp4mpSubtype.MessageLocal, false, true, false)]
    [InlineData(Bgp4mpSubtype.MessageAs4Local, true, true, false)]
    [InlineData(Bgp4mpSubtype.MessageAddPath, false, false, true)]
    [InlineData(Bgp4mpSubtype.MessageAs4AddPath, true, false, true)]
    [InlineData(Bgp4mpSubtype.MessageLocalAddPath, false, true, true)]
    [InlineData(Bgp4mpSubtype.MessageAs4LocalAddPath, true, true, true)]
    public void Every_message_subtype_decodes_as_numbers_and_context_from_the_subtype(Bgp4mpSubtype subtype, bool as4, bool local, bool addPath)
    {
        var peerAs = as4 ? 4_200_000_123u : 64_512u;
        var localAs = as4 ? 4_200_000_000u : 65_535u;
        var keepalive = Keepalive();
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(subtype, peerAs, localAs, Peer4, Local4, keepalive, interfaceIndex: 3));
        Assert.Equal(subtype, record.Bgp4mpSubtype);
        Assert.Equal(as4, record.FourOctetAs);
        Assert.Equal(local, record.IsLocal);
        Assert.Equal(addPath, record.HasAddPath);
        Assert.Equal(peerAs, record.PeerAs);
        Assert.Equal(localAs, record.LocalAs);
        Assert.Equal(3, record.InterfaceIndex);
        Assert.Equal(Peer4, record.PeerAddress);
        Assert.Equal(Local4, record.LocalAddress);
        Assert.Equal(as4, record.Context.FourOctetAs);
        Assert.True(record.Context.ExtendedMessage);
        Assert.Equal(addPath, record.Context.HasAddPath(AfiSafi.Ipv4Unicast));
        Assert.Equal(addPath, record.Context.HasAddPath(AfiSafi.Ipv6Unicast));
        Assert.Same(KeepaliveMessage.Instance, record.Message);
        Assert.Null(record.MessageError);
        Assert.Equal(keepalive, record.MessageBytes.ToArray());
    }

    [Fact]
    public void Message_et_record_over_ipv6_carries_microseconds_and_a_notification()
    {
        var notification = Message(BgpMessageType.Notification, [6, 2, 0xAB]);
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, Peer6, Local6, notification, seconds: 1_700_000_001, microseconds: 999_999));
        Assert.Equal(MrtType.Bgp4mpEt, record.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_001).AddTicks(9_999_990), record.Timestamp);
        Assert.Equal(Afi.Ipv6, record.AddressFamily);
        Assert.Equal(Peer6, record.PeerAddress);
        var message = Assert.IsType<NotificationMessage>(record.Message);
        Assert.Equal(NotificationCode.Cease, message.Code);
        Assert.Equal(2, message.Subcode);
        Assert.Equal([0xAB], message.Data.ToArray());
    }

    [Fact]
    public void Message_as4_record_decodes_an_open_with_the_4_octet_as_capability()
    {
        var open = Open(23456, 90, RouterId.Parse("192.0.2.9"), FourOctetAsCapability(4_200_000_009));
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 4_200_000_009, 65000, Peer4, Local4, open));
        var message = Assert.IsType<OpenMessage>(record.Message);
        Assert.Equal(OpenMessage.AsTrans, message.MyAutonomousSystem);
        Assert.Equal(4_200_000_009u, message.AutonomousSystem);
        Assert.Equal(record.PeerAs, message.AutonomousSystem);
        Assert.Equal(90, message.HoldTime);
        Assert.Equal(RouterId.Parse("192.0.2.9"), message.BgpIdentifier);
    }

    [Fact]
    public void Message_local_record_with_a_2_octet_open_is_sent_by_the_collector()
    {
        var open = Open(65000, 180, RouterId.Parse("192.0.2.1"));
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageLocal, 65001, 65000, Peer4, Local4, open));
        Assert.True(record.IsLocal);
        var message = Assert.IsType<OpenMessage>(record.Message);
        Assert.Equal(65000u, message.AutonomousSystem);
        Assert.Equal(record.LocalAs, message.AutonomousSystem);
        Assert.True(message.Capabilities.IsEmpty);
    }

    [Fact]
    public void A_message_that_does_not_decode_keeps_its_error_and_octets()
    {
        var broken = Keepalive();
        broken[3] = 0; // not the all-ones marker
        var record = MrtFiles.Single<Bgp4mpMessageRecord>(Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, Peer4, Local4, broken));
        Assert.Null(record.Message);
        Assert.NotNull(record.MessageError);
        Assert.Equal(NotificationCode.MessageHeaderError, record.MessageError.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, record.MessageError.Subcode);
        Assert.Equal(broken, record.MessageBytes.ToArray());
    }

    [Fact]
    public void An_unknown_bgp4mp_subtype_is_an_unknown_record_not_an_error()
    {
        var record = MrtFiles.Single<UnknownMrtRecord>(Record(1_700_000_000, MrtType.Bgp4mp, 2, [1, 2, 3]));
        Assert.Equal(MrtType.Bgp4mp, record.Type);
        Assert.Equal(2, record.Subtype);
        Assert.Equal([1, 2, 3], record.Body.ToArray());
    }

    [Fact]
    public void An_unknown_address_family_is_malformed()
    {
        var body = new MrtWriter.Octets().U16(65001).U16(65000).U16(0).U16(25).Bytes(new byte[8]).Bytes(Keepalive()).ToArray();
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1_700_000_000, MrtType.Bgp4mp, (ushort)Bgp4mpSubtype.Message, body));
        Assert.Contains("address family 25", record.Reason, StringComparison.Ordinal);
        Assert.Equal(MrtType.Bgp4mp, record.Type);
    }

    [Fact]
    public void A_state_change_with_extra_octets_is_malformed()
    {
        var body = new MrtWriter.Octets().U16(65001).U16(65000).U16(0).U16(1).Address(Peer4).Address(Local4).U16(1).U16(2).U16(3).ToArray();
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1_700_000_000, MrtType.Bgp4mp, (ushort)Bgp4mpSubtype.StateChange, body));
        Assert.Contains("4 octets of states", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_et_record_without_room_for_microseconds_is_malformed()
    {
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1_700_000_000, MrtType.Bgp4mpEt, (ushort)Bgp4mpSubtype.MessageAs4, [1, 2]));
        Assert.Contains("microsecond", record.Reason, StringComparison.Ordinal);
        Assert.Equal(14, record.Bytes.Count);
    }

    [Fact]
    public void Bgp4mp_body_cut_inside_the_addresses_is_malformed()
    {
        var body = new MrtWriter.Octets().U16(65001).U16(65000).U16(0).U16(2).Bytes(new byte[20]).ToArray();
        var record = MrtFiles.Single<MalformedMrtRecord>(Record(1_700_000_000, MrtType.Bgp4mp, (ushort)Bgp4mpSubtype.Message, body));
        Assert.Contains("addresses", record.Reason, StringComparison.Ordinal);
    }
}
