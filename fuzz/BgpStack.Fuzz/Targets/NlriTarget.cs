using System.Text;
using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz.Targets;

/// <summary>
/// <see cref="NlriReader"/> over an NLRI field, IPv4 and IPv6, with and without ADD-PATH path
/// identifiers. The reader must only move forward and agree with the whole-field reader; a field
/// read to its end must encode and read again to the same entries.
/// </summary>
public sealed class NlriTarget : FuzzTarget
{
    /// <inheritdoc/>
    public override string Name => "nlri";

    /// <inheritdoc/>
    public override string Execute(ReadOnlySpan<byte> input)
    {
        var signature = new StringBuilder();
        foreach (var (ipv6, addPath) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var entries = new List<Nlri>();
            var reader = new NlriReader(input, ipv6, addPath);
            var position = reader.Position;
            while (reader.TryRead(out var nlri))
            {
                FuzzInvariantException.Check(reader.Position > position, () => "NlriReader did not move forward");
                FuzzInvariantException.Check(nlri.Prefix.IsIPv6 == ipv6 && nlri.Prefix.Length <= nlri.Prefix.MaxLength, () => $"NlriReader returned {nlri}");
                FuzzInvariantException.Check(addPath || nlri.PathId == 0, () => $"a path identifier {nlri.PathId} without ADD-PATH");
                position = reader.Position;
                entries.Add(nlri);
            }

            FuzzInvariantException.Check(reader.Position <= input.Length, () => $"NlriReader stopped at {position}, past the end");
            var error = reader.Error;
            var whole = NlriWriter.ReadAll(input, ipv6, addPath, out var all);
            FuzzInvariantException.Check(whole == error, () => $"ReadAll says {whole}, the reader {error}");
            if (error == NlriError.None)
            {
                FuzzInvariantException.Check(reader.IsAtEnd || input.IsEmpty, () => "the reader stopped early without an error");
                FuzzInvariantException.Check(all.AsSpan().SequenceEqual(entries.ToArray()), () => "ReadAll and the reader disagree on the entries");
                RoundTrip(entries, ipv6, addPath);
            }

            signature.Append(error).Append(Math.Min(entries.Count, 3)).Append('|');
        }

        return signature.ToString();
    }

    private static void RoundTrip(List<Nlri> entries, bool ipv6, bool addPath)
    {
        var span = entries.ToArray().AsSpan();
        var buffer = new byte[NlriWriter.Size(span, addPath)];
        var writer = new SpanWriter(buffer);
        NlriWriter.Write(ref writer, span, addPath);
        var written = writer.Position;
        FuzzInvariantException.Check(written == buffer.Length, () => $"wrote {written} octets, Size says {buffer.Length}");
        var error = NlriWriter.ReadAll(buffer, ipv6, addPath, out var again);
        FuzzInvariantException.Check(error == NlriError.None && again.AsSpan().SequenceEqual(entries.ToArray()), () => $"round trip of {entries.Count} entries failed: {error}");
    }
}
