using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>RFC 6793 §4.2.3 reconstruction from a 2-octet speaker, and §4.2.2 encoding toward one.</summary>
public class As4Tests
{
    private static readonly CodecContext Two = new() { FourOctetAs = false };

    private static PathAttributes Decode(string attributesHex)
    {
        var result = UpdateMessage.DecodeBody(UpdateMalformedTests.Body("40010100" + "400304C0000201" + attributesHex), Two);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Empty(result.Value!.AttributeErrors);
        return result.Value.Attributes;
    }

    private static AsPathSegment Seq(params uint[] asns) => new(AsPathSegmentType.AsSequence, asns);

    private static AsPathSegment Set(params uint[] asns) => new(AsPathSegmentType.AsSet, asns);

    [Fact]
    public void Leading_ases_of_as_path_are_followed_by_as4_path()
    {
        // AS_PATH 100 200 AS_TRANS AS_TRANS; AS4_PATH 300000 400000.
        var attributes = Decode("40020A0204 0064 00C8 5BA0 5BA0" + "C0110A0202 000493E0 00061A80");
        Assert.Equal(AsPath.FromSequence(100, 200, 300000, 400000), attributes.AsPath);
    }

    [Fact]
    public void As_path_shorter_than_as4_path_means_as4_path_is_ignored()
    {
        var attributes = Decode("4002040201 5BA0" + "C0110A0202 000493E0 00061A80");
        Assert.Equal(AsPath.FromSequence(23456), attributes.AsPath);
    }

    [Fact]
    public void Aggregator_not_as_trans_means_as4_aggregator_and_as4_path_are_ignored()
    {
        var attributes = Decode("4002060202 0064 5BA0" + "C00706 0064 C0000201" + "C0110602010 00493E0".Replace(" ", "", StringComparison.Ordinal) + "C01208 000493E0 C0000201");
        Assert.Equal(AsPath.FromSequence(100, 23456), attributes.AsPath);
        Assert.Equal(new Aggregator(100, RouterId.Parse("192.0.2.1")), attributes.Aggregator);
    }

    [Fact]
    public void Aggregator_as_trans_takes_as4_aggregator_and_merges_as4_path()
    {
        var attributes = Decode("4002060202 0064 5BA0" + "C00706 5BA0 C0000201" + "C011060201 000493E0" + "C01208 000493E0 C0000201");
        Assert.Equal(AsPath.FromSequence(100, 300000), attributes.AsPath);
        Assert.Equal(new Aggregator(300000, RouterId.Parse("192.0.2.1")), attributes.Aggregator);
    }

    [Fact]
    public void As_set_counts_as_one()
    {
        // AS_PATH (seq 100 AS_TRANS)(set AS_TRANS 200) = 3; AS4_PATH (seq 300000)(set 400000 200) = 2.
        var attributes = Decode("40020C0202 0064 5BA0 0102 5BA0 00C8" + "C011100201 000493E0 0102 00061A80 000000C8");
        Assert.Equal(new AsPath(EquatableArray.Create(Seq(100, 300000), Set(400000, 200))), attributes.AsPath);
    }

    [Fact]
    public void Confederation_segments_of_as_path_are_kept()
    {
        var attributes = Decode("4002080301 FDF2 0201 5BA0" + "C011060201 000493E0");
        Assert.Equal(
            new AsPath(EquatableArray.Create(new AsPathSegment(AsPathSegmentType.AsConfedSequence, new uint[] { 65010 }), Seq(300000))),
            attributes.AsPath);
    }

    [Fact]
    public void Encoding_toward_a_2_octet_speaker_uses_as_trans_and_adds_as4_path_and_as4_aggregator()
    {
        var message = new UpdateMessage
        {
            Attributes = new PathAttributes
            {
                AsPath = AsPath.FromSequence(65001, 300000),
                Aggregator = new Aggregator(300000, RouterId.Parse("192.0.2.1")),
            },
        };
        var expected = Hex.Message(2, "0000" + "002A"
            + "4002060202 FDE9 5BA0"
            + "C00706 5BA0 C0000201"
            + "C0110A0202 0000FDE9 000493E0"
            + "C01208 000493E0 C0000201");
        Assert.Equal(expected, message.ToBytes(Two));
        Assert.Equal(message, BgpMessage.Decode(expected, Two).Value);
    }

    [Fact]
    public void Encoding_toward_a_2_octet_speaker_without_large_ases_adds_nothing()
    {
        var message = new UpdateMessage { Attributes = new PathAttributes { AsPath = AsPath.FromSequence(65001, 23456) } };
        Assert.Equal(Hex.Message(2, "0000" + "0009" + "4002060202 FDE9 5BA0"), message.ToBytes(Two));
    }

    [Fact]
    public void Encoding_toward_a_4_octet_speaker_never_adds_as4_attributes()
    {
        var message = new UpdateMessage { Attributes = new PathAttributes { AsPath = AsPath.FromSequence(300000), NextHop = IPAddress.Parse("192.0.2.1") } };
        Assert.Equal(Hex.Message(2, "0000" + "0010" + "400206020100 0493E0" + "400304C0000201"), message.ToBytes(CodecContext.Default));
    }
}
