using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>
/// One row per malformation: the RFC 7606 action and the NOTIFICATION code/subcode/data that
/// RFC 4271 §6.3 names for it (data for flags and length errors = type, length and value).
/// </summary>
public class UpdateMalformedTests
{
    private const string Origin = "40010100";
    private const string AsPath4 = "400206020100 00FDE9";
    private const string AsPath2 = "4002040201FDE9";
    private const string NextHop = "400304C0000201";
    private const string Prefix = "180A0000";

    private static readonly CodecContext Four = CodecContext.Default;
    private static readonly CodecContext Two = new() { FourOctetAs = false };

    internal static byte[] Body(string attributesHex, string nlriHex = Prefix, string withdrawnHex = "")
    {
        var withdrawn = Hex.Bytes(withdrawnHex);
        var attributes = Hex.Bytes(attributesHex);
        var nlri = Hex.Bytes(nlriHex);
        var body = new byte[4 + withdrawn.Length + attributes.Length + nlri.Length];
        body[0] = (byte)(withdrawn.Length >> 8);
        body[1] = (byte)withdrawn.Length;
        withdrawn.CopyTo(body, 2);
        body[2 + withdrawn.Length] = (byte)(attributes.Length >> 8);
        body[3 + withdrawn.Length] = (byte)attributes.Length;
        attributes.CopyTo(body, 4 + withdrawn.Length);
        nlri.CopyTo(body, 4 + withdrawn.Length + attributes.Length);
        return body;
    }

    public static TheoryData<string, bool, string, string, AttributeErrorAction, byte, UpdateMessageErrorSubcode, string> NonFatalRows() => new()
    {
        // name, 4-octet AS, attributes, NLRI, action, attribute type, subcode, data
        { "ORIGIN length 2", true, "40010200 00" + AsPath4 + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 1, UpdateMessageErrorSubcode.AttributeLengthError, "01020000" },
        { "ORIGIN length 0", true, "400100" + AsPath4 + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 1, UpdateMessageErrorSubcode.AttributeLengthError, "0100" },
        { "ORIGIN value 3", true, "40010103" + AsPath4 + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 1, UpdateMessageErrorSubcode.InvalidOriginAttribute, "010103" },
        { "ORIGIN flagged optional", true, "C0010100" + AsPath4 + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 1, UpdateMessageErrorSubcode.AttributeFlagsError, "010100" },
        { "AS_PATH unknown segment type", true, Origin + "400206050100 00FDE9" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MalformedAsPath, "" },
        { "AS_PATH segment overrun", true, Origin + "400206020200 00FDE9" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MalformedAsPath, "" },
        { "AS_PATH one-octet underrun", true, Origin + "400207020100 00FDE902" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MalformedAsPath, "" },
        { "AS_PATH zero-length segment", true, Origin + "4002020200" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MalformedAsPath, "" },
        { "AS_PATH 2-octet peer overrun", false, Origin + "4002040202FDE9" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MalformedAsPath, "" },
        { "AS_PATH flagged optional transitive", true, Origin + "C00206020100 00FDE9" + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.AttributeFlagsError, "020602010000FDE9" },
        { "NEXT_HOP length 5", true, Origin + AsPath4 + "400305C000020100", Prefix, AttributeErrorAction.TreatAsWithdraw, 3, UpdateMessageErrorSubcode.AttributeLengthError, "0305C000020100" },
        { "NEXT_HOP length 16", true, Origin + AsPath4 + "40031020010DB8000000000000000000000001", Prefix, AttributeErrorAction.TreatAsWithdraw, 3, UpdateMessageErrorSubcode.AttributeLengthError, "031020010DB8000000000000000000000001" },
        { "MULTI_EXIT_DISC length 3", true, Origin + AsPath4 + NextHop + "800403000001", Prefix, AttributeErrorAction.TreatAsWithdraw, 4, UpdateMessageErrorSubcode.AttributeLengthError, "0403000001" },
        { "MULTI_EXIT_DISC flagged well-known", true, Origin + AsPath4 + NextHop + "40040400000001", Prefix, AttributeErrorAction.TreatAsWithdraw, 4, UpdateMessageErrorSubcode.AttributeFlagsError, "040400000001" },
        { "LOCAL_PREF length 2", true, Origin + AsPath4 + NextHop + "4005020064", Prefix, AttributeErrorAction.TreatAsWithdraw, 5, UpdateMessageErrorSubcode.AttributeLengthError, "05020064" },
        { "ATOMIC_AGGREGATE length 1", true, Origin + AsPath4 + NextHop + "40060100", Prefix, AttributeErrorAction.AttributeDiscard, 6, UpdateMessageErrorSubcode.AttributeLengthError, "060100" },
        { "AGGREGATOR length 6 from a 4-octet peer", true, Origin + AsPath4 + NextHop + "C00706FDE9C0000201", Prefix, AttributeErrorAction.AttributeDiscard, 7, UpdateMessageErrorSubcode.AttributeLengthError, "0706FDE9C0000201" },
        { "AGGREGATOR length 8 from a 2-octet peer", false, Origin + AsPath2 + NextHop + "C0070800 00FDE9C0000201", Prefix, AttributeErrorAction.AttributeDiscard, 7, UpdateMessageErrorSubcode.AttributeLengthError, "070800 00FDE9C0000201" },
        { "COMMUNITIES length 5", true, Origin + AsPath4 + NextHop + "C00805FDE9000100", Prefix, AttributeErrorAction.TreatAsWithdraw, 8, UpdateMessageErrorSubcode.AttributeLengthError, "0805FDE9000100" },
        { "COMMUNITIES length 0", true, Origin + AsPath4 + NextHop + "C00800", Prefix, AttributeErrorAction.TreatAsWithdraw, 8, UpdateMessageErrorSubcode.AttributeLengthError, "0800" },
        { "ORIGINATOR_ID length 3", true, Origin + AsPath4 + NextHop + "800903C00002", Prefix, AttributeErrorAction.TreatAsWithdraw, 9, UpdateMessageErrorSubcode.AttributeLengthError, "0903C00002" },
        { "CLUSTER_LIST length 6", true, Origin + AsPath4 + NextHop + "800A06C00002010000", Prefix, AttributeErrorAction.TreatAsWithdraw, 10, UpdateMessageErrorSubcode.AttributeLengthError, "0A06C00002010000" },
        { "CLUSTER_LIST length 0", true, Origin + AsPath4 + NextHop + "800A00", Prefix, AttributeErrorAction.TreatAsWithdraw, 10, UpdateMessageErrorSubcode.AttributeLengthError, "0A00" },
        { "EXTENDED_COMMUNITIES length 7", true, Origin + AsPath4 + NextHop + "C0100700020000FDE900", Prefix, AttributeErrorAction.TreatAsWithdraw, 16, UpdateMessageErrorSubcode.AttributeLengthError, "100700020000FDE900" },
        { "IPv6 extended communities length 19", true, Origin + AsPath4 + NextHop + "C01913" + "00022001" + "0DB8000000000000000000000001" + "00", Prefix, AttributeErrorAction.TreatAsWithdraw, 25, UpdateMessageErrorSubcode.AttributeLengthError, "1913000220010DB800000000000000000000000100" },
        { "LARGE_COMMUNITY length 8", true, Origin + AsPath4 + NextHop + "C020080000FDE900000001", Prefix, AttributeErrorAction.TreatAsWithdraw, 32, UpdateMessageErrorSubcode.AttributeLengthError, "20080000FDE900000001" },
        { "LARGE_COMMUNITY length 0", true, Origin + AsPath4 + NextHop + "C02000", Prefix, AttributeErrorAction.TreatAsWithdraw, 32, UpdateMessageErrorSubcode.AttributeLengthError, "2000" },
        { "AS4_PATH from a 4-octet peer", true, Origin + AsPath4 + NextHop + "C01106020100 00FDE9", Prefix, AttributeErrorAction.AttributeDiscard, 17, UpdateMessageErrorSubcode.OptionalAttributeError, "1106020100 00FDE9" },
        { "AS4_PATH with a confederation segment", false, Origin + AsPath2 + NextHop + "C01106030100 00FDE9", Prefix, AttributeErrorAction.AttributeDiscard, 17, UpdateMessageErrorSubcode.OptionalAttributeError, "1106030100 00FDE9" },
        { "AS4_PATH zero-length segment", false, Origin + AsPath2 + NextHop + "C011020200", Prefix, AttributeErrorAction.AttributeDiscard, 17, UpdateMessageErrorSubcode.OptionalAttributeError, "11020200" },
        { "AS4_AGGREGATOR length 7", false, Origin + AsPath2 + NextHop + "C012070001000AC00002", Prefix, AttributeErrorAction.AttributeDiscard, 18, UpdateMessageErrorSubcode.AttributeLengthError, "12070001000AC00002" },
        { "repeated ORIGIN", true, Origin + AsPath4 + NextHop + "40010101", Prefix, AttributeErrorAction.AttributeDiscard, 1, UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "unrecognized well-known attribute", true, Origin + AsPath4 + NextHop + "40630100", Prefix, AttributeErrorAction.TreatAsWithdraw, 99, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute, "630100" },
        { "missing ORIGIN", true, AsPath4 + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 1, UpdateMessageErrorSubcode.MissingWellKnownAttribute, "01" },
        { "missing AS_PATH", true, Origin + NextHop, Prefix, AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MissingWellKnownAttribute, "02" },
        { "missing NEXT_HOP", true, Origin + AsPath4, Prefix, AttributeErrorAction.TreatAsWithdraw, 3, UpdateMessageErrorSubcode.MissingWellKnownAttribute, "03" },
        { "missing AS_PATH with MP_REACH", true, Origin + "800E1A00020110" + "20010DB8000000000000000000000001" + "00" + "2020010DB8", "", AttributeErrorAction.TreatAsWithdraw, 2, UpdateMessageErrorSubcode.MissingWellKnownAttribute, "02" },
        { "attribute overruns the block", true, Origin + AsPath4 + NextHop + "C00810FDE9", Prefix, AttributeErrorAction.TreatAsWithdraw, 8, UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "two octets left at the end of the block", true, Origin + AsPath4 + NextHop + "C008", Prefix, AttributeErrorAction.TreatAsWithdraw, 8, UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "MP_REACH IPv6 next-hop length 4", true, Origin + AsPath4 + "800E09000201040102030400", "", AttributeErrorAction.AfiSafiDisable, 14, UpdateMessageErrorSubcode.OptionalAttributeError, "0E09000201040102030400" },
        { "MP_REACH IPv4 next-hop length 5", true, Origin + AsPath4 + "800E0A00010105010203040500", "", AttributeErrorAction.AfiSafiDisable, 14, UpdateMessageErrorSubcode.OptionalAttributeError, "0E0A00010105010203040500" },
        { "MP_REACH next hop overruns", true, Origin + AsPath4 + "800E06000201100102", "", AttributeErrorAction.AfiSafiDisable, 14, UpdateMessageErrorSubcode.OptionalAttributeError, "0E06000201100102" },
        { "MP_REACH IPv6 prefix length 129", true, Origin + AsPath4 + "800E1600020110" + "20010DB8000000000000000000000001" + "00" + "81", "", AttributeErrorAction.AfiSafiDisable, 14, UpdateMessageErrorSubcode.OptionalAttributeError, "0E160002011020010DB800000000000000000000000100" + "81" },
        { "MP_REACH flagged transitive", true, Origin + AsPath4 + "C00E1A00020110" + "20010DB8000000000000000000000001" + "00" + "2020010DB8", "", AttributeErrorAction.AfiSafiDisable, 14, UpdateMessageErrorSubcode.AttributeFlagsError, "0E1A0002011020010DB8000000000000000000000001002020010DB8" },
        { "MP_UNREACH truncated IPv6 prefix", true, "800F06000201402001", "", AttributeErrorAction.AfiSafiDisable, 15, UpdateMessageErrorSubcode.OptionalAttributeError, "0F06000201402001" },
        { "MP_UNREACH flagged well-known", true, "400F03000201", "", AttributeErrorAction.AfiSafiDisable, 15, UpdateMessageErrorSubcode.AttributeFlagsError, "0F03000201" },
        { "no NLRI: attribute discard becomes treat-as-withdraw (RFC 7606 §5.2)", true, Origin + AsPath4 + NextHop + "40060100", "", AttributeErrorAction.TreatAsWithdraw, 6, UpdateMessageErrorSubcode.AttributeLengthError, "060100" },
    };

    [Theory]
    [MemberData(nameof(NonFatalRows))]
    public void Malformed_attribute_yields_the_rfc_7606_action_and_rfc_4271_notification(
        string name, bool fourOctetAs, string attributesHex, string nlriHex, AttributeErrorAction action, byte type, UpdateMessageErrorSubcode subcode, string dataHex)
    {
        var result = UpdateMessage.DecodeBody(Body(attributesHex, nlriHex), fourOctetAs ? Four : Two);
        Assert.True(result.IsSuccess, $"{name}: {result.Error}");
        var error = Assert.Single(result.Value!.AttributeErrors);
        Assert.Equal(action, error.Action);
        Assert.Equal(type, error.AttributeType);
        Assert.Equal(NotificationCode.UpdateMessageError, error.Error.Code);
        Assert.Equal((byte)subcode, error.Error.Subcode);
        Assert.Equal(Hex.Bytes(dataHex), error.Error.Data.AsSpan().ToArray());
        Assert.Equal(action == AttributeErrorAction.TreatAsWithdraw, result.Value.TreatAsWithdraw);
    }

    public static TheoryData<string, string, UpdateMessageErrorSubcode, string> FatalRows() => new()
    {
        // name, body, subcode, data
        { "body shorter than the length fields", "0000", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "Withdrawn Routes Length overruns", "00050000180A00", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "Total Path Attribute Length overruns", "0000001040010100", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "IPv4 NLRI prefix length 33", "0000" + "0000" + "210A00000000", UpdateMessageErrorSubcode.InvalidNetworkField, "" },
        { "IPv4 NLRI truncated", "0000" + "0000" + "180A00", UpdateMessageErrorSubcode.InvalidNetworkField, "" },
        { "withdrawn prefix length 40", "0003" + "280A00" + "0000", UpdateMessageErrorSubcode.InvalidNetworkField, "" },
        { "withdrawn prefix truncated", "0002" + "180A" + "0000", UpdateMessageErrorSubcode.InvalidNetworkField, "" },
        { "repeated MP_REACH", "0000" + "0030" + "800E1500020110" + "20010DB8000000000000000000000001" + "00" + "800E1500020110" + "20010DB8000000000000000000000001" + "00", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "repeated MP_UNREACH", "0000" + "000C" + "800F03000201" + "800F03000201", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
        { "MP_REACH without an AFI/SAFI", "0000" + "0005" + "800E020002", UpdateMessageErrorSubcode.OptionalAttributeError, "0E020002" },
        { "MP_UNREACH without an AFI/SAFI", "0000" + "0004" + "800F0100", UpdateMessageErrorSubcode.OptionalAttributeError, "0F0100" },
        { "MP_REACH overruns the block", "0000" + "0005" + "800E100002", UpdateMessageErrorSubcode.MalformedAttributeList, "" },
    };

    [Theory]
    [MemberData(nameof(FatalRows))]
    public void Malformed_update_that_cannot_be_parsed_further_is_a_session_reset(string name, string bodyHex, UpdateMessageErrorSubcode subcode, string dataHex)
    {
        var result = UpdateMessage.DecodeBody(Hex.Bytes(bodyHex), Four);
        Assert.False(result.IsSuccess, name);
        Assert.Equal(NotificationCode.UpdateMessageError, result.Error!.Code);
        Assert.Equal((byte)subcode, result.Error.Subcode);
        Assert.Equal(Hex.Bytes(dataHex), result.Error.Data.AsSpan().ToArray());
    }

    [Fact]
    public void Repeated_attribute_keeps_the_first_occurrence()
    {
        var update = UpdateMessage.DecodeBody(Body(Origin + AsPath4 + NextHop + "40010102"), Four).Value!;
        Assert.Equal(BgpStack.Bgp.Wire.Origin.Igp, update.Attributes.Origin);
        Assert.False(update.TreatAsWithdraw);
    }

    [Fact]
    public void Discarded_attribute_is_absent_and_the_rest_is_kept()
    {
        var update = UpdateMessage.DecodeBody(Body(Origin + AsPath4 + NextHop + "C00706FDE9C0000201" + "C00804FDE90001"), Four).Value!;
        Assert.Null(update.Attributes.Aggregator);
        Assert.Equal([Community.Create(65001, 1)], update.Attributes.Communities.AsSpan().ToArray());
        Assert.Equal(IpPrefix.Parse("10.0.0.0/24"), Assert.Single(update.Nlri).Prefix);
    }

    [Fact]
    public void Update_without_nlri_needs_no_mandatory_attributes()
    {
        var update = UpdateMessage.DecodeBody(Body("80040400000001", "", "180A0000"), Four).Value!;
        Assert.Empty(update.AttributeErrors);
        Assert.Equal(1u, update.Attributes.MultiExitDisc);
    }

    [Fact]
    public void Several_errors_are_all_reported_and_the_strongest_decides()
    {
        var update = UpdateMessage.DecodeBody(Body("40010103" + AsPath4 + NextHop + "40060100"), Four).Value!;
        Assert.Equal(2, update.AttributeErrors.Count);
        Assert.True(update.TreatAsWithdraw);
    }
}
