using System.Text;

namespace BgpStack.Rib;

/// <summary>One AS_PATH segment.</summary>
/// <param name="Type">The segment type.</param>
/// <param name="Asns">The AS numbers, at most 255.</param>
public readonly record struct AsPathSegment(AsPathSegmentType Type, EquatableArray<uint> Asns)
{
    /// <summary>Text: ASes separated by spaces, a set in braces, a confederation sequence in parentheses, a confederation set in brackets.</summary>
    public override string ToString()
    {
        var inner = string.Join(' ', Asns);
        return Type switch
        {
            AsPathSegmentType.AsSet => "{" + inner + "}",
            AsPathSegmentType.AsConfedSequence => "(" + inner + ")",
            AsPathSegmentType.AsConfedSet => "[" + inner + "]",
            _ => inner,
        };
    }
}

/// <summary>An AS path: the segments of AS_PATH (with AS4_PATH merged in for a 2-octet peer, RFC 6793).</summary>
/// <param name="Segments">The segments, first (nearest AS) first.</param>
public sealed record AsPath(EquatableArray<AsPathSegment> Segments)
{
    /// <summary>The largest number of ASes in one segment.</summary>
    public const int MaxSegmentLength = 255;

    /// <summary>The empty path (a route originated inside the AS).</summary>
    public static AsPath Empty { get; } = new(EquatableArray<AsPathSegment>.Empty);

    /// <summary>A path of one AS_SEQUENCE (split into segments of at most 255).</summary>
    /// <param name="asns">The ASes, nearest first.</param>
    public static AsPath FromSequence(params ReadOnlySpan<uint> asns)
    {
        var segments = new List<AsPathSegment>();
        for (var i = 0; i < asns.Length; i += MaxSegmentLength)
        {
            var count = Math.Min(MaxSegmentLength, asns.Length - i);
            segments.Add(new AsPathSegment(AsPathSegmentType.AsSequence, EquatableArray.Create(asns.Slice(i, count))));
        }

        return new AsPath(segments.ToEquatableArray());
    }

    /// <summary>True when there are no segments.</summary>
    public bool IsEmpty => Segments.IsEmpty;

    /// <summary>
    /// The path length used by best-path selection (RFC 4271 §9.1.2.2): each AS in a sequence counts
    /// one, a whole AS_SET counts one, confederation segments count nothing (RFC 5065 §5.3).
    /// </summary>
    public int Length
    {
        get
        {
            var length = 0;
            foreach (var segment in Segments)
            {
                length += segment.Type switch
                {
                    AsPathSegmentType.AsSequence => segment.Asns.Count,
                    AsPathSegmentType.AsSet => 1,
                    _ => 0,
                };
            }

            return length;
        }
    }

    /// <summary>The AS that originated the route: the last AS of a trailing AS_SEQUENCE, or null.</summary>
    public uint? OriginAs
    {
        get
        {
            if (Segments.IsEmpty)
            {
                return null;
            }

            var last = Segments[Segments.Count - 1];
            return last.Type == AsPathSegmentType.AsSequence && !last.Asns.IsEmpty ? last.Asns[last.Asns.Count - 1] : null;
        }
    }

    /// <summary>The first AS of the path (the neighbouring AS), skipping confederation segments; or null.</summary>
    public uint? NeighborAs
    {
        get
        {
            foreach (var segment in Segments)
            {
                if (segment.Type == AsPathSegmentType.AsSequence && !segment.Asns.IsEmpty)
                {
                    return segment.Asns[0];
                }

                if (segment.Type == AsPathSegmentType.AsSet)
                {
                    return null;
                }
            }

            return null;
        }
    }

    /// <summary>How many times <paramref name="asn"/> occurs in the path (any segment type).</summary>
    /// <param name="asn">The AS number.</param>
    public int CountOf(uint asn)
    {
        var count = 0;
        foreach (var segment in Segments)
        {
            foreach (var a in segment.Asns)
            {
                if (a == asn)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>True when any AS number is above 65535 (needs AS_TRANS toward a 2-octet peer).</summary>
    public bool HasFourOctetAsn
    {
        get
        {
            foreach (var segment in Segments)
            {
                foreach (var a in segment.Asns)
                {
                    if (a > ushort.MaxValue)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>The path with <paramref name="asn"/> prepended <paramref name="count"/> times to the leading AS_SEQUENCE (RFC 4271 §5.1.2).</summary>
    /// <param name="asn">The AS to prepend.</param>
    /// <param name="count">How many times.</param>
    public AsPath Prepend(uint asn, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return this;
        }

        var segments = Segments.AsImmutableArray().ToBuilder();
        var added = Enumerable.Repeat(asn, count).ToList();
        if (segments.Count > 0 && segments[0].Type == AsPathSegmentType.AsSequence)
        {
            added.AddRange(segments[0].Asns);
            segments.RemoveAt(0);
        }

        var prefix = FromSequence([.. added]).Segments.AsImmutableArray();
        segments.InsertRange(0, prefix);
        return new AsPath(segments.ToImmutable());
    }

    /// <summary>Text such as <c>65001 65002 {65003 65004}</c>; empty for the empty path.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var segment in Segments)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(segment.ToString());
        }

        return builder.ToString();
    }
}
