using BgpStack.Bgp.Speaker.Policy;

namespace BgpStack.Bgp.Tests.Policy;

public class AsPathPatternTests
{
    [Theory]
    [InlineData("^65002( |$)", new uint[] { 65002, 65100 }, true)]
    [InlineData("^65002( |$)", new uint[] { 65002 }, true)]
    [InlineData("^65002( |$)", new uint[] { 650021 }, false)]
    [InlineData("^65002( |$)", new uint[] { 65100, 65002 }, false)]
    [InlineData("(^| )64512$", new uint[] { 65002, 64512 }, true)]
    [InlineData("(^| )64512$", new uint[] { 65002, 164512 }, false)]
    [InlineData("^$", new uint[] { }, true)]
    [InlineData("^$", new uint[] { 65001 }, false)]
    [InlineData("^65001 65002 65003$", new uint[] { 65001, 65002, 65003 }, true)]
    [InlineData("^4200000000$", new uint[] { 4200000000 }, true)]
    [InlineData("_", new uint[] { 1 }, false)]
    public void Matches_the_path_rendered_as_space_separated_numbers(string pattern, uint[] path, bool expected) =>
        Assert.Equal(expected, new AsPathPattern(pattern).IsMatch(AsPath.FromSequence(path)));

    [Fact]
    public void A_missing_as_path_matches_as_the_empty_string()
    {
        Assert.True(new AsPathPattern("^$").IsMatch(null));
        Assert.False(new AsPathPattern("65001").IsMatch(null));
    }

    [Fact]
    public void An_as_set_renders_in_braces_as_show_output_does()
    {
        var path = new AsPath(EquatableArray.Create(
            new AsPathSegment(AsPathSegmentType.AsSequence, EquatableArray.Create(65001u, 65002u)),
            new AsPathSegment(AsPathSegmentType.AsSet, EquatableArray.Create(65003u, 65004u))));
        Assert.True(new AsPathPattern("^65001 65002 \\{65003 65004\\}$").IsMatch(path));
        Assert.Equal("65001 65002 {65003 65004}", path.ToString());
    }

    [Fact]
    public void A_path_longer_than_the_stack_buffer_is_matched_whole()
    {
        var asns = Enumerable.Range(0, 600).Select(i => (uint)(4_000_000_000 + i)).ToArray();
        var path = AsPath.FromSequence(asns);
        Assert.True(new AsPathPattern("^4000000000 .* 4000000599$").IsMatch(path));
        Assert.False(new AsPathPattern("4000000600").IsMatch(path));
    }

    [Theory]
    [InlineData("(", "not a valid regular expression")]
    [InlineData("(65001) \\1", "linear-time matching does not support")]
    [InlineData("(?=65001)", "linear-time matching does not support")]
    public void Rejects_invalid_and_backtracking_patterns(string pattern, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new AsPathPattern(pattern));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patterns_compare_by_text()
    {
        Assert.Equal(new AsPathPattern("^1$"), new AsPathPattern("^1$"));
        Assert.NotEqual(new AsPathPattern("^1$"), new AsPathPattern("^2$"));
        Assert.Equal(new AsPathPattern("^1$").GetHashCode(), new AsPathPattern("^1$").GetHashCode());
    }
}
