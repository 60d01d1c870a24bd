using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BgpStack.Rib;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BgpStack.Daemon.Config;

/// <summary>
/// Reads typed values out of YAML nodes and collects every problem with its line and column, so
/// one pass reports all errors in a file instead of the first.
/// </summary>
internal sealed class ConfigReader
{
    private static readonly string[] NullWords = ["", "~", "null", "Null", "NULL"];

    private readonly List<ConfigError> errors = [];

    /// <summary>Creates a reader for text called <paramref name="source"/> in messages.</summary>
    /// <param name="source">The file name.</param>
    public ConfigReader(string source) => Source = source;

    /// <summary>The file name used in messages.</summary>
    public string Source { get; }

    /// <summary>The problems found so far, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors =>
        [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    /// <summary>True when any problem was found.</summary>
    public bool HasErrors => errors.Count > 0;

    /// <summary>Records a problem at <paramref name="mark"/>.</summary>
    /// <param name="mark">Where.</param>
    /// <param name="message">What is wrong.</param>
    public void Error(Mark mark, string message) =>
        errors.Add(new ConfigError(Source, (int)mark.Line, (int)mark.Column, message));

    /// <summary>Records a problem at the start of <paramref name="node"/>.</summary>
    /// <param name="node">Where.</param>
    /// <param name="message">What is wrong.</param>
    public void Error(YamlNode node, string message) => Error(node.Start, message);

    /// <summary>True for a scalar written as nothing, <c>~</c> or <c>null</c> without quotes.</summary>
    /// <param name="node">The node.</param>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar && NullWords.Contains(scalar.Value ?? "");

    /// <summary>
    /// Opens a mapping whose keys must be among <paramref name="known"/>; an unknown key is an
    /// error naming the nearest known key.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="what">What the mapping is, for messages (<c>peer</c>, <c>ecmp</c>).</param>
    /// <param name="known">The keys allowed.</param>
    /// <returns>The mapping, or null (an error was recorded) when the node is not a mapping.</returns>
    public ConfigMapping? Mapping(YamlNode node, string what, IReadOnlyList<string> known)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping of keys to values, not {Describe(node)}");
            return null;
        }

        var entries = new Dictionary<string, (YamlScalarNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                Error(keyNode, $"keys in {what} must be plain words, not {Describe(keyNode)}");
                continue;
            }

            if (!known.Contains(key))
            {
                var nearest = Suggest(key, known);
                Error(keyNode, nearest is null
                    ? $"unknown key '{key}' in {what}; known keys: {string.Join(", ", known)}"
                    : $"unknown key '{key}' in {what}; did you mean '{nearest}'?");
                continue;
            }

            entries[key] = (scalarKey, value);
        }

        return new ConfigMapping(this, mapping, what, entries);
    }

    /// <summary>The items of a sequence; with <paramref name="allowScalar"/> a single scalar counts as a sequence of one.</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key it belongs to, for messages.</param>
    /// <param name="allowScalar">Whether one value may stand for a list of one.</param>
    /// <returns>The items, or null (an error was recorded).</returns>
    public IReadOnlyList<YamlNode>? Sequence(YamlNode node, string key, bool allowScalar = false)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                return [.. sequence.Children];
            case YamlScalarNode when allowScalar && !IsNull(node):
                return [node];
            default:
                Error(node, IsNull(node) ? $"{key}: has no value" : $"{key}: expected a list, not {Describe(node)}");
                return null;
        }
    }

    /// <summary>A scalar's text.</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key it belongs to, for messages.</param>
    /// <returns>The text, or null (an error was recorded).</returns>
    public string? Text(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
        {
            return value;
        }

        Error(node, IsNull(node) ? $"{key}: has no value" : $"{key}: expected a single value, not {Describe(node)}");
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    public bool? Bool(YamlNode node, string key)
    {
        var text = Text(node, key);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(node, $"{key}: expected true or false, not '{text}'");
                return null;
        }
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    /// <param name="min">The smallest allowed.</param>
    /// <param name="max">The largest allowed.</param>
    /// <param name="unit">A unit for the message (<c>seconds</c>), or null.</param>
    public long? Integer(YamlNode node, string key, long min, long max, string? unit = null)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        var suffix = unit is null ? "" : " " + unit;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(node, string.Create(CultureInfo.InvariantCulture, $"{key}: expected a whole number from {min} to {max}{suffix}, not '{text}'"));
            return null;
        }

        return value;
    }

    /// <summary>An AS number (asplain, 1 to 4294967295, not AS_TRANS 23456).</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    public uint? Asn(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        if (!TryAsn(text, out var asn, out var problem))
        {
            Error(node, $"{key}: {problem}");
            return null;
        }

        return asn;
    }

    /// <summary>Parses an AS number; explains what is wrong otherwise.</summary>
    /// <param name="text">The text.</param>
    /// <param name="asn">The AS number.</param>
    /// <param name="problem">What is wrong.</param>
    public static bool TryAsn(string text, out uint asn, out string problem)
    {
        problem = "";
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out asn) || asn == 0)
        {
            problem = $"'{text}' is not an AS number (1 to 4294967295, written as a plain number)";
            return false;
        }

        if (asn == 23456)
        {
            // RFC 6793 §4.2.1: AS_TRANS only stands in for a 4-octet AS toward an old speaker.
            problem = "23456 is AS_TRANS (RFC 6793), which no speaker may use as its AS";
            return false;
        }

        return true;
    }

    /// <summary>An IPv4 or IPv6 address (not the unspecified address, not multicast).</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    public IPAddress? Address(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address) || text.Contains('/', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            Error(node, $"{key}: '{text}' is not an IP address");
            return null;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address) || address.Equals(IPAddress.Broadcast))
        {
            Error(node, $"{key}: {text} cannot be a peer or next-hop address");
            return null;
        }

        return address;
    }

    /// <summary>An IPv4 address in dotted-quad form used as a BGP identifier (not 0.0.0.0).</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    public RouterId? RouterIdentifier(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
        {
            Error(node, $"{key}: '{text}' is not an IPv4 address in dotted-quad form (a BGP identifier is 32 bits)");
            return null;
        }

        var id = RouterId.FromIPAddress(address);
        if (id.Value == 0)
        {
            // RFC 6286 §2.1: the BGP identifier is a non-zero 32-bit number.
            Error(node, $"{key}: 0.0.0.0 is not a valid BGP identifier (RFC 6286)");
            return null;
        }

        return id;
    }

    /// <summary>A prefix written without host bits.</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    public IpPrefix? Prefix(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpPrefix.TryParse(text, out var prefix))
        {
            Error(node, $"{key}: '{text}' is not an IP prefix (address/length)");
            return null;
        }

        if (!IPAddress.Parse(text[..slash]).Equals(prefix.Address))
        {
            Error(node, $"{key}: {text} has host bits set; did you mean {prefix}?");
            return null;
        }

        return prefix;
    }

    /// <summary>A duration in whole seconds in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    /// <param name="min">The smallest allowed.</param>
    /// <param name="max">The largest allowed.</param>
    public TimeSpan? Seconds(YamlNode node, string key, int min, int max) =>
        Integer(node, key, min, max, "seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>One of a fixed set of words.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="node">The node.</param>
    /// <param name="key">The key, for messages.</param>
    /// <param name="choices">The words and their values.</param>
    public T? Choice<T>(YamlNode node, string key, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }

        Error(node, $"{key}: expected one of {string.Join(", ", choices.Keys)}, not '{text}'");
        return null;
    }

    /// <summary>The known word nearest to <paramref name="word"/> by edit distance, when near enough to be a likely typo.</summary>
    /// <param name="word">The word written.</param>
    /// <param name="known">The words allowed.</param>
    public static string? Suggest(string word, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance(word, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    /// <summary>What kind of node this is, for messages.</summary>
    /// <param name="node">The node.</param>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "this",
    };

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    // Levenshtein distance, case-insensitive, with '_' and '-' treated alike so hold_time finds hold-time.
    private static int EditDistance(string a, string b)
    {
        a = a.Replace('_', '-').ToUpperInvariant();
        b = b.Replace('_', '-').ToUpperInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
