using System.Net;
using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Wire;

public class NlriReaderTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>A deliberately plain model of RFC 4271 §4.3 / RFC 7911 §3 NLRI parsing.</summary>
    private static (List<Nlri> Items, NlriError Error) Naive(byte[] field, bool ipv6, bool addPath)
    {
        var items = new List<Nlri>();
        var max = ipv6 ? 128 : 32;
        var p = 0;
        while (p < field.Length)
        {
            uint id = 0;
            if (addPath)
            {
                if (field.Length - p < 5)
                {
                    return (items, NlriError.Truncated);
                }

                id = (uint)((field[p] << 24) | (field[p + 1] << 16) | (field[p + 2] << 8) | field[p + 3]);
                p += 4;
            }

            var length = field[p++];
            if (length > max)
            {
                return (items, NlriError.PrefixTooLong);
            }

            var octets = (length + 7) / 8;
            if (p + octets > field.Length)
            {
                return (items, NlriError.Truncated);
            }

            var address = new byte[ipv6 ? 16 : 4];
            Array.Copy(field, p, address, 0, octets);
            p += octets;
            items.Add(new Nlri(IpPrefix.Create(new IPAddress(address), length), id));
        }

        return (items, NlriError.None);
    }

    private static (List<Nlri> Items, NlriError Error) Read(byte[] field, bool ipv6, bool addPath)
    {
        var items = new List<Nlri>();
        var reader = new NlriReader(field, ipv6, addPath);
        while (reader.TryRead(out var nlri))
        {
            items.Add(nlri);
        }

        return (items, reader.Error);
    }

    [Fact]
    public void Reader_agrees_with_a_naive_parser_on_arbitrary_octets()
    {
        var gen = from ipv6 in Gen.Elements(true, false)
                  from addPath in Gen.Elements(true, false)
                  from bytes in UpdateGenerators.Bytes(60)
                  select (ipv6, addPath, bytes);
        Check.One(Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var expected = Naive(c.bytes, c.ipv6, c.addPath);
            var actual = Read(c.bytes, c.ipv6, c.addPath);
            Assert.Equal(expected.Error, actual.Error);
            Assert.Equal(expected.Items, actual.Items);
            Assert.Equal(expected.Error, NlriWriter.Count(c.bytes, c.ipv6, c.addPath, out var count));
            if (expected.Error == NlriError.None)
            {
                Assert.Equal(expected.Items.Count, count);
            }
        }));
    }

    [Fact]
    public void Written_nlri_read_back_identical()
    {
        var gen = from ipv6 in Gen.Elements(true, false)
                  from addPath in Gen.Elements(true, false)
                  from list in UpdateGenerators.NlriList(ipv6, addPath, 40)
                  select (ipv6, addPath, list);
        Check.One(Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var buffer = new byte[NlriWriter.Size(c.list.AsSpan(), c.addPath)];
            var writer = new SpanWriter(buffer);
            NlriWriter.Write(ref writer, c.list.AsSpan(), c.addPath);
            Assert.Equal(buffer.Length, writer.Position);
            var (items, error) = Read(buffer, c.ipv6, c.addPath);
            Assert.Equal(NlriError.None, error);
            Assert.Equal(c.list.AsSpan().ToArray(), items);
            Assert.Equal(items, Naive(buffer, c.ipv6, c.addPath).Items);
        }));
    }

    [Theory]
    [InlineData("210A000000", false, false, NlriError.PrefixTooLong)]
    [InlineData("180A00", false, false, NlriError.Truncated)]
    [InlineData("81" + "00000000000000000000000000000000", true, false, NlriError.PrefixTooLong)]
    [InlineData("4020010DB8", true, false, NlriError.Truncated)]
    [InlineData("000000", false, true, NlriError.Truncated)]
    [InlineData("00000001", false, true, NlriError.Truncated)]
    public void Malformed_fields_stop_with_the_reason(string hex, bool ipv6, bool addPath, NlriError error)
    {
        Assert.Equal(error, Read(Hex.Bytes(hex), ipv6, addPath).Error);
    }

    [Fact]
    public void Host_bits_beyond_the_prefix_length_are_cleared_and_the_reader_reports_its_end()
    {
        var reader = new NlriReader(Hex.Bytes("17 0A0001 00"), ipv6: false, addPath: false);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(IpPrefix.Parse("10.0.0.0/23"), first.Prefix);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(IpPrefix.Parse("0.0.0.0/0"), second.Prefix);
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.IsAtEnd);
        Assert.Equal(5, reader.Position);
    }
}
