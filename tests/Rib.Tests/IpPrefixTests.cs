using System.Net;

namespace BgpStack.Rib.Tests;

public class IpPrefixTests
{
    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.0.2.1/32", "192.0.2.1/32")]
    [InlineData("2001:db8:1:2::1/32", "2001:db8::/32")]
    [InlineData("::/0", "::/0")]
    [InlineData("2001:db8::1/128", "2001:db8::1/128")]
    public void Parse_clears_host_bits(string text, string expected)
    {
        Assert.Equal(expected, IpPrefix.Parse(text).ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("not-a-prefix/8")]
    public void Invalid_text_does_not_parse(string text)
    {
        Assert.False(IpPrefix.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IpPrefix.Parse(text));
    }

    [Fact]
    public void Converts_to_and_from_IPNetwork()
    {
        var network = IPNetwork.Parse("198.18.0.0/15");
        var prefix = IpPrefix.FromIPNetwork(network);
        Assert.Equal(network, prefix.ToIPNetwork());
        Assert.Equal(15, prefix.Length);
        Assert.False(prefix.IsIPv6);
    }

    [Fact]
    public void Orders_ipv4_before_ipv6_then_by_address_then_by_length()
    {
        var sorted = new[] { "2001:db8::/32", "10.0.0.0/16", "10.0.0.0/8", "9.0.0.0/8" }
            .Select(IpPrefix.Parse).Order().Select(p => p.ToString());
        Assert.Equal(["9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "2001:db8::/32"], sorted);
    }

    [Fact]
    public void Wire_octets_are_the_significant_address_octets()
    {
        var prefix = IpPrefix.Parse("10.1.128.0/17");
        Assert.Equal(3, prefix.WireOctets);
        var octets = new byte[3];
        prefix.WriteAddressOctets(octets);
        Assert.Equal(new byte[] { 10, 1, 128 }, octets);
    }

    [Fact]
    public void Equal_prefixes_of_different_families_differ()
    {
        Assert.NotEqual(IpPrefix.FromIPv4(0, 0), IpPrefix.FromIPv6(0, 0));
    }
}
