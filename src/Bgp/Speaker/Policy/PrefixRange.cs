using System.Globalization;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>
/// One entry of a prefix list: a covering prefix and the range of lengths a route may have inside
/// it, like FRR's <c>10.0.0.0/8 ge 16 le 24</c> or BIRD's <c>10.0.0.0/8{16,24}</c>.
/// </summary>
public readonly record struct PrefixRange
{
    /// <summary>Creates a range; the lengths must satisfy prefix length ≤ <paramref name="minLength"/> ≤ <paramref name="maxLength"/> ≤ 32 or 128.</summary>
    /// <param name="prefix">The covering prefix.</param>
    /// <param name="minLength">The shortest matching length.</param>
    /// <param name="maxLength">The longest matching length.</param>
    /// <exception cref="ArgumentOutOfRangeException">The lengths are outside that order.</exception>
    public PrefixRange(IpPrefix prefix, int minLength, int maxLength)
    {
        if (minLength < prefix.Length || minLength > maxLength || maxLength > prefix.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(minLength),
                $"the lengths of {prefix} must satisfy {prefix.Length} <= ge ({minLength}) <= le ({maxLength}) <= {prefix.MaxLength}");
        }

        Prefix = prefix;
        MinLength = minLength;
        MaxLength = maxLength;
    }

    /// <summary>The covering prefix.</summary>
    public IpPrefix Prefix { get; }

    /// <summary>The shortest length a matching route may have.</summary>
    public int MinLength { get; }

    /// <summary>The longest length a matching route may have.</summary>
    public int MaxLength { get; }

    /// <summary>A range matching exactly <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    public static PrefixRange Exact(IpPrefix prefix) => new(prefix, prefix.Length, prefix.Length);

    /// <summary>True when <paramref name="route"/> lies inside <see cref="Prefix"/> with a length in the range.</summary>
    /// <param name="route">The route's prefix.</param>
    public bool Matches(IpPrefix route)
    {
        if (route.IsIPv6 != Prefix.IsIPv6 || route.Length < MinLength || route.Length > MaxLength)
        {
            return false;
        }

        // The route's first Prefix.Length bits must equal the covering prefix's.
        return route.IsIPv6
            ? IpPrefix.FromIPv6(route.Ipv6Bits, Prefix.Length) == Prefix
            : IpPrefix.FromIPv4(route.Ipv4Bits, Prefix.Length) == Prefix;
    }

    /// <summary>
    /// Parses <c>P</c>, <c>P le N</c>, <c>P ge N</c>, <c>P ge N le M</c> (FRR) or <c>P{N,M}</c> (BIRD),
    /// where P is a prefix without host bits.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="range">The range.</param>
    /// <param name="error">What is wrong, when the text is not a range.</param>
    /// <returns>True when the text is a range.</returns>
    public static bool TryParse(string text, out PrefixRange range, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var trimmed = text.Trim();
        string prefixText;
        int? ge = null, le = null;
        var brace = trimmed.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            prefixText = trimmed[..brace].TrimEnd();
            var inner = trimmed[(brace + 1)..];
            var comma = inner.IndexOf(',', StringComparison.Ordinal);
            if (!inner.EndsWith('}') || comma < 0
                || !TryLength(inner[..comma], out var low) || !TryLength(inner[(comma + 1)..^1], out var high))
            {
                error = $"'{text}' is not a prefix range: expected P{{min,max}} like 10.0.0.0/8{{16,24}}";
                return false;
            }

            (ge, le) = (low, high);
        }
        else
        {
            var words = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is not (1 or 3 or 5))
            {
                error = $"'{text}' is not a prefix range: expected 'P', 'P le N', 'P ge N' or 'P ge N le M'";
                return false;
            }

            prefixText = words[0];
            for (var i = 1; i < words.Length; i += 2)
            {
                if (!TryLength(words[i + 1], out var value))
                {
                    error = $"'{text}': '{words[i + 1]}' is not a prefix length";
                    return false;
                }

                switch (words[i])
                {
                    case "ge" when ge is null && le is null:
                        ge = value;
                        break;
                    case "le" when le is null:
                        le = value;
                        break;
                    default:
                        error = $"'{text}': expected 'ge N' before 'le M', each at most once, not '{words[i]}'";
                        return false;
                }
            }
        }

        if (!IpPrefix.TryParse(prefixText, out var prefix) || prefixText.Contains(' ', StringComparison.Ordinal))
        {
            error = $"'{prefixText}' is not an IP prefix";
            return false;
        }

        if (!HasNoHostBits(prefixText, prefix))
        {
            error = $"'{prefixText}' has host bits set; did you mean {prefix}?";
            return false;
        }

        var min = ge ?? prefix.Length;
        var max = le ?? (ge is null ? prefix.Length : prefix.MaxLength);
        if (min < prefix.Length || min > max || max > prefix.MaxLength)
        {
            error = $"'{text}': the lengths must satisfy {prefix.Length} <= ge <= le <= {prefix.MaxLength}";
            return false;
        }

        range = new PrefixRange(prefix, min, max);
        error = null;
        return true;
    }

    /// <summary>Parses the text <see cref="TryParse"/> accepts.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">The text is not a prefix range.</exception>
    public static PrefixRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    /// <summary>The FRR form: <c>10.0.0.0/8</c>, <c>10.0.0.0/8 le 24</c>, <c>10.0.0.0/8 ge 16</c> or <c>10.0.0.0/8 ge 16 le 24</c>.</summary>
    public override string ToString()
    {
        if (MinLength == Prefix.Length && MaxLength == Prefix.Length)
        {
            return Prefix.ToString();
        }

        if (MinLength == Prefix.Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Prefix} le {MaxLength}");
        }

        return MaxLength == Prefix.MaxLength
            ? string.Create(CultureInfo.InvariantCulture, $"{Prefix} ge {MinLength}")
            : string.Create(CultureInfo.InvariantCulture, $"{Prefix} ge {MinLength} le {MaxLength}");
    }

    private static bool TryLength(string text, out int length) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out length) && length <= 128;

    private static bool HasNoHostBits(string text, IpPrefix prefix)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return System.Net.IPAddress.Parse(text[..slash]).Equals(prefix.Address);
    }
}
