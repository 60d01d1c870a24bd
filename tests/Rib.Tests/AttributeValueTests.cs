namespace BgpStack.Rib.Tests;

public class AttributeValueTests
{
    [Fact]
    public void As_path_length_counts_a_set_as_one_and_confederation_segments_as_zero()
    {
        var path = new AsPath([
            new AsPathSegment(AsPathSegmentType.AsConfedSequence, [65010, 65011]),
            new AsPathSegment(AsPathSegmentType.AsSequence, [65001, 65002]),
            new AsPathSegment(AsPathSegmentType.AsSet, [1, 2, 3]),
        ]);
        Assert.Equal(3, path.Length);
        Assert.Equal(65001u, path.NeighborAs);
        Assert.Null(path.OriginAs);
        Assert.Equal("(65010 65011) 65001 65002 {1 2 3}", path.ToString());
    }

    [Fact]
    public void Prepend_extends_the_leading_sequence_and_splits_at_255()
    {
        var path = AsPath.FromSequence(65002).Prepend(65001, 255);
        Assert.Equal(256, path.Length);
        Assert.Equal(2, path.Segments.Count);
        Assert.Equal(255, path.Segments[0].Asns.Count);
        Assert.Equal(65002u, path.OriginAs);
    }

    [Theory]
    [InlineData("no-export", 0xFFFFFF01u)]
    [InlineData("graceful-shutdown", 0xFFFF0000u)]
    [InlineData("65001:100", 0xFDE90064u)]
    public void Communities_parse_and_print_well_known_names(string text, uint value)
    {
        Assert.True(Community.TryParse(text, out var community));
        Assert.Equal(value, community.Value);
        Assert.Equal(text, community.ToString());
    }

    [Theory]
    [InlineData("rt:65000:100")]
    [InlineData("soo:192.0.2.1:7")]
    [InlineData("rt:4200000000:7")]
    [InlineData("0x030c000000000001")]
    public void Extended_communities_round_trip_through_text(string text)
    {
        Assert.True(ExtendedCommunity.TryParse(text, out var community));
        Assert.Equal(text, community.ToString());
    }

    [Fact]
    public void Attribute_sets_with_equal_content_are_equal_and_hash_alike()
    {
        PathAttributes Make() => new()
        {
            Origin = Origin.Igp,
            AsPath = AsPath.FromSequence(65001, 65002),
            Communities = [Community.NoExport],
            LargeCommunities = [new LargeCommunity(65001, 1, 2)],
        };
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual(Make(), Make() with { MultiExitDisc = 0 });
    }

    [Fact]
    public void Propagation_sets_partial_on_unknown_transitive_and_drops_unknown_non_transitive()
    {
        var attributes = new PathAttributes
        {
            UnknownAttributes =
            [
                new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive, 99, new byte[] { 1 }),
                new RawAttribute(AttributeFlags.Optional, 100, new byte[] { 2 }),
            ],
        };
        var propagated = attributes.ForPropagation();
        var kept = Assert.Single(propagated.UnknownAttributes);
        Assert.Equal(99, kept.TypeCode);
        Assert.True(kept.Flags.HasFlag(AttributeFlags.Partial));
    }
}
