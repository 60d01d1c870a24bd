using System.Net;
using BgpStack.Bgp.Speaker.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Policy;

public class PrefixRangeTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", false)]
    [InlineData("10.0.0.0/8", "11.0.0.0/8", false)]
    [InlineData("10.0.0.0/8 le 24", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8 le 24", "10.255.255.0/24", true)]
    [InlineData("10.0.0.0/8 le 24", "10.255.255.0/25", false)]
    [InlineData("10.0.0.0/8 le 24", "0.0.0.0/0", false)]
    [InlineData("10.0.0.0/8 ge 16", "10.0.0.0/15", false)]
    [InlineData("10.0.0.0/8 ge 16", "10.0.0.0/16", true)]
    [InlineData("10.0.0.0/8 ge 16", "10.1.2.3/32", true)]
    [InlineData("10.0.0.0/8 ge 16 le 24", "10.1.0.0/16", true)]
    [InlineData("10.0.0.0/8 ge 16 le 24", "10.1.2.0/24", true)]
    [InlineData("10.0.0.0/8 ge 16 le 24", "10.1.0.0/15", false)]
    [InlineData("10.0.0.0/8 ge 16 le 24", "10.1.2.0/25", false)]
    [InlineData("10.0.0.0/8 ge 16 le 24", "11.1.2.0/24", false)]
    [InlineData("10.0.0.0/8{16,24}", "10.1.2.0/24", true)]
    [InlineData("10.0.0.0/8{16,24}", "10.1.2.0/25", false)]
    [InlineData("0.0.0.0/0 le 32", "192.0.2.1/32", true)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", true)]
    [InlineData("0.0.0.0/0", "10.0.0.0/8", false)]
    [InlineData("2001:db8::/32 ge 48 le 64", "2001:db8:1::/48", true)]
    [InlineData("2001:db8::/32 ge 48 le 64", "2001:db8:1:2::/64", true)]
    [InlineData("2001:db8::/32 ge 48 le 64", "2001:db8:1::/47", false)]
    [InlineData("2001:db8::/32 ge 48 le 64", "2001:db8:1:2::/65", false)]
    [InlineData("2001:db8::/32 ge 48 le 64", "2001:db9::/48", false)]
    [InlineData("2001:db8::/32 le 128", "10.0.0.0/8", false)]
    [InlineData("10.0.0.0/8 le 32", "2001:db8::/32", false)]
    public void Matches_at_the_length_boundaries(string range, string route, bool expected) =>
        Assert.Equal(expected, PrefixRange.Parse(range).Matches(P(route)));

    [Theory]
    [InlineData("10.0.0.0/8", 8, 8, "10.0.0.0/8")]
    [InlineData("10.0.0.0/8 le 24", 8, 24, "10.0.0.0/8 le 24")]
    [InlineData("10.0.0.0/8 ge 16", 16, 32, "10.0.0.0/8 ge 16")]
    [InlineData("10.0.0.0/8 ge 16 le 24", 16, 24, "10.0.0.0/8 ge 16 le 24")]
    [InlineData("10.0.0.0/8{16,24}", 16, 24, "10.0.0.0/8 ge 16 le 24")]
    [InlineData("  10.0.0.0/8   le 24 ", 8, 24, "10.0.0.0/8 le 24")]
    [InlineData("10.0.0.0/8 le 8", 8, 8, "10.0.0.0/8")]
    [InlineData("2001:db8::/32 ge 48", 48, 128, "2001:db8::/32 ge 48")]
    public void Parses_the_frr_and_bird_forms_and_prints_the_frr_form(string text, int min, int max, string printed)
    {
        var range = PrefixRange.Parse(text);
        Assert.Equal(min, range.MinLength);
        Assert.Equal(max, range.MaxLength);
        Assert.Equal(printed, range.ToString());
        Assert.Equal(range, PrefixRange.Parse(range.ToString()));
    }

    [Theory]
    [InlineData("10.0.0.1/8", "host bits set; did you mean 10.0.0.0/8?")]
    [InlineData("10.0.0.0/33", "not an IP prefix")]
    [InlineData("10.0.0.0", "not an IP prefix")]
    [InlineData("10.0.0.0/16 le 8", "16 <= ge <= le <= 32")]
    [InlineData("10.0.0.0/16 ge 8", "16 <= ge <= le <= 32")]
    [InlineData("10.0.0.0/8 ge 24 le 16", "8 <= ge <= le <= 32")]
    [InlineData("10.0.0.0/8 le 33", "8 <= ge <= le <= 32")]
    [InlineData("2001:db8::/32 le 129", "not a prefix length")]
    [InlineData("10.0.0.0/8 le 24 ge 16", "expected 'ge N' before 'le M'")]
    [InlineData("10.0.0.0/8 ge 16 ge 17", "expected 'ge N' before 'le M'")]
    [InlineData("10.0.0.0/8 eq 16", "expected 'ge N' before 'le M'")]
    [InlineData("10.0.0.0/8 le", "expected 'P', 'P le N'")]
    [InlineData("10.0.0.0/8 le x", "'x' is not a prefix length")]
    [InlineData("10.0.0.0/8{16}", "expected P{min,max}")]
    public void Rejects_malformed_ranges_saying_why(string text, string expected)
    {
        Assert.False(PrefixRange.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PrefixRange.Parse(text));
    }

    [Fact]
    public void Constructor_rejects_lengths_out_of_order()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrefixRange(P("10.0.0.0/16"), 8, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrefixRange(P("10.0.0.0/16"), 24, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrefixRange(P("10.0.0.0/16"), 16, 33));
    }

    [Fact]
    public void Matches_agrees_with_a_naive_model_on_random_ipv4_prefixes()
    {
        var gen =
            from coverBits in Gen.Choose(0, int.MaxValue)
            from coverLength in Gen.Choose(0, 32)
            from min in Gen.Choose(coverLength, 32)
            from max in Gen.Choose(min, 32)
            from routeLength in Gen.Choose(0, 32)
            from flip in Gen.Choose(-1, 31)
            select (coverBits, coverLength, min, max, routeLength, flip);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var cover = IpPrefix.FromIPv4((uint)sample.coverBits << 1, sample.coverLength);
            var routeBits = cover.Ipv4Bits ^ (sample.flip < 0 ? 0u : 1u << sample.flip);
            var route = IpPrefix.FromIPv4(routeBits, sample.routeLength);
            var range = new PrefixRange(cover, sample.min, sample.max);
            var inside = new IPNetwork(cover.Address, cover.Length).Contains(route.Address);
            var expected = inside && route.Length >= sample.min && route.Length <= sample.max;
            Assert.Equal(expected, range.Matches(route));
        }));
    }
}
