using System.Text;
using BgpStack.Control;

namespace BgpStack.Daemon.Tests.Control;

public sealed class LineReaderTests
{
    private static List<string?> Lines(LineReader reader)
    {
        var lines = new List<string?>();
        while (reader.TryTakeLine(out var line, out var tooLong))
        {
            lines.Add(tooLong ? null : Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    [Fact]
    public void Lines_split_across_reads_come_out_whole()
    {
        var reader = new LineReader(100);
        reader.Append("{\"comm"u8);
        Assert.Empty(Lines(reader));
        reader.Append("and\":1}\n{}\n{\"x"u8);
        Assert.Equal(["{\"command\":1}", "{}"], Lines(reader));
        reader.Append("\":2}\n"u8);
        Assert.Equal(["{\"x\":2}"], Lines(reader));
    }

    [Fact]
    public void A_line_over_the_limit_is_dropped_as_it_arrives_and_reported_once()
    {
        var reader = new LineReader(8);
        reader.Append("0123456"u8);
        reader.Append("789abcdef"u8);
        reader.Append(new byte[100_000]);
        Assert.Empty(Lines(reader));
        reader.Append("tail\nok\n"u8);
        Assert.Equal([null, "ok"], Lines(reader));
    }

    [Fact]
    public void A_line_exactly_at_the_limit_is_kept()
    {
        var reader = new LineReader(4);
        reader.Append("abcd\nabcde\n"u8);
        Assert.Equal(["abcd", null], Lines(reader));
    }
}
