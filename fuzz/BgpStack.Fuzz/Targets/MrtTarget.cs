using System.Globalization;
using System.Text;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Fuzz.Targets;

/// <summary>
/// <see cref="MrtRecord.Decode"/> on the input as one record, and <see cref="MrtReader"/> on it as
/// a whole file read from a <see cref="MemoryStream"/>. Neither may throw on malformed content.
/// </summary>
public sealed class MrtTarget : FuzzTarget
{
    /// <summary>More records than any input of fuzz size can hold; a reader that returns more is looping.</summary>
    private const int MaxRecords = 100_000;

    /// <inheritdoc/>
    public override string Name => "mrt";

    /// <inheritdoc/>
    public override string Execute(ReadOnlySpan<byte> input)
    {
        var single = Describe(MrtRecord.Decode(input));
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        using var reader = new MrtReader(new MemoryStream(input.ToArray(), writable: false));
        var count = 0;
        var length = input.Length;
        while (reader.TryReadNext(out var record))
        {
            FuzzInvariantException.Check(++count <= MaxRecords, () => $"MrtReader returned more than {MaxRecords} records from {length} octets");
            if (count <= 16)
            {
                kinds.Add((record is MalformedMrtRecord ? "bad" : record.GetType().Name) + Kind(record));
            }
        }

        return $"{single}|{string.Join(',', kinds)}|n{Math.Min(count, 3)}";
    }

    private static string Describe(MrtRecord record) => record switch
    {
        MalformedMrtRecord malformed => $"bad{Kind(malformed)}:{ReasonShape(malformed.Reason)}",
        UnknownMrtRecord unknown => $"unknown{Kind(unknown)}",
        _ => $"{record.GetType().Name}{Kind(record)}",
    };

    /// <summary>Type and subtype, with values no decoder handles folded into one, so they do not swamp the outcome space.</summary>
    private static string Kind(MrtRecord record) =>
        (Enum.IsDefined(record.Type) ? ((ushort)record.Type).ToString(CultureInfo.InvariantCulture) : "x") + "." +
        (record.Subtype < 16 ? record.Subtype.ToString(CultureInfo.InvariantCulture) : "x");

    /// <summary>The reason without its numbers, so that "3 octets short" and "4 octets short" count as one outcome.</summary>
    private static string ReasonShape(string reason)
    {
        var builder = new StringBuilder(reason.Length);
        foreach (var c in reason)
        {
            if (!char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
