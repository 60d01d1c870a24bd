using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>
/// A regular expression over an AS path rendered as text the way <see cref="AsPath.ToString"/>
/// shows it: AS numbers separated by single spaces, nearest AS first, an AS_SET in braces
/// (<c>65001 65002 {65003 65004}</c>); a route without AS_PATH or with an empty one renders as the
/// empty string. Compiled once with <see cref="RegexOptions.NonBacktracking"/>, so matching takes
/// time linear in the path whatever the pattern.
/// </summary>
public sealed class AsPathPattern : IEquatable<AsPathPattern>
{
    // Paths up to this many characters render on the stack; longer ones use a pooled buffer.
    private const int StackChars = 512;

    private readonly Regex regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <param name="pattern">A .NET regular expression without backreferences or lookarounds (which linear-time matching does not support).</param>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression, or uses a construct linear-time matching does not support.</exception>
    public AsPathPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"AS path pattern '{pattern}' uses a construct linear-time matching does not support: {e.Message}", nameof(pattern), e);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"AS path pattern '{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e);
        }

        Pattern = pattern;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when the rendered path matches the pattern.</summary>
    /// <param name="path">The AS path; null is matched as the empty string.</param>
    public bool IsMatch(AsPath? path)
    {
        if (path is null || path.IsEmpty)
        {
            return regex.IsMatch(ReadOnlySpan<char>.Empty);
        }

        var needed = MaxRenderedLength(path);
        char[]? rented = null;
        var buffer = needed <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(needed));
        try
        {
            var written = Render(path, buffer);
            return regex.IsMatch(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(AsPathPattern? other) => other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AsPathPattern);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Pattern);

    /// <summary>The pattern.</summary>
    public override string ToString() => Pattern;

    private static int MaxRenderedLength(AsPath path)
    {
        var length = 0;
        foreach (var segment in path.Segments)
        {
            // Up to 10 digits and a separator per AS, two brackets and a separator per segment.
            length += (segment.Asns.Count * 11) + 3;
        }

        return length;
    }

    private static int Render(AsPath path, Span<char> destination)
    {
        var position = 0;
        foreach (var segment in path.Segments)
        {
            if (position > 0)
            {
                destination[position++] = ' ';
            }

            var (open, close) = segment.Type switch
            {
                AsPathSegmentType.AsSet => ('{', '}'),
                AsPathSegmentType.AsConfedSequence => ('(', ')'),
                AsPathSegmentType.AsConfedSet => ('[', ']'),
                _ => ('\0', '\0'),
            };
            if (open != '\0')
            {
                destination[position++] = open;
            }

            var first = true;
            foreach (var asn in segment.Asns)
            {
                if (!first)
                {
                    destination[position++] = ' ';
                }

                first = false;
                asn.TryFormat(destination[position..], out var digits, default, CultureInfo.InvariantCulture);
                position += digits;
            }

            if (close != '\0')
            {
                destination[position++] = close;
            }
        }

        return position;
    }
}
