using System.Globalization;
using System.Text.Json;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// One node of a tshark JSON dissection: a field name and either a value or child nodes, in the
/// order tshark printed them. Repeated keys (tshark prints a repeated field once per occurrence)
/// and arrays both become repeated children.
/// </summary>
internal sealed class Dissection
{
    private Dissection(string name, string? value, IReadOnlyList<Dissection> children)
    {
        Name = name;
        Value = value;
        Children = children;
    }

    /// <summary>The field name, such as <c>bgp.update.path_attribute</c>.</summary>
    public string Name { get; }

    /// <summary>The displayed value of a leaf; null for a subtree.</summary>
    public string? Value { get; }

    /// <summary>The child nodes in order.</summary>
    public IReadOnlyList<Dissection> Children { get; }

    /// <summary>
    /// Problems Wireshark reported anywhere in the frame: malformed packets, expert items at warning
    /// level or above, and TCP analysis flags (lost or out-of-order segments).
    /// </summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    /// <summary>Builds the BGP node of a frame and collects the frame's problems.</summary>
    public static Dissection FromFrame(JsonElement layers)
    {
        var frame = Build("layers", layers);
        var problems = new List<string>();
        CollectProblems(frame, problems);
        var bgp = frame.Children.Where(c => c.Name == "bgp").ToList();
        if (bgp.Count != 1)
        {
            problems.Add($"expected one BGP message in the frame, tshark found {bgp.Count}");
            return new Dissection("bgp", null, []) { Problems = problems };
        }

        return new Dissection("bgp", null, bgp[0].Children) { Problems = problems };
    }

    /// <summary>Every descendant node named <paramref name="name"/>, in document order.</summary>
    public IEnumerable<Dissection> All(string name)
    {
        foreach (var child in Children)
        {
            if (child.Name == name)
            {
                yield return child;
            }

            foreach (var inner in child.All(name))
            {
                yield return inner;
            }
        }
    }

    /// <summary>The values of every descendant leaf named <paramref name="name"/>, in document order.</summary>
    public IReadOnlyList<string> Values(string name) => All(name).Where(n => n.Value is not null).Select(n => n.Value!).ToList();

    /// <summary>The value of the one descendant leaf named <paramref name="name"/>.</summary>
    public string Single(string name)
    {
        var values = Values(name);
        return values.Count == 1
            ? values[0]
            : throw new Xunit.Sdk.XunitException($"expected one '{name}' in the dissection, found {values.Count}: {this}");
    }

    /// <summary>The value of the one descendant leaf named <paramref name="name"/> as a number (decimal or 0x hex).</summary>
    public ulong Number(string name) => ParseNumber(Single(name));

    /// <summary>The raw octets of the one descendant named <paramref name="name"/> (from tshark's <c>-x</c> output).</summary>
    public byte[] Raw(string name)
    {
        var node = All(name + "_raw").Where(n => n.Value is null).ToList();
        return node.Count == 1 && node[0].Children.Count > 0 && node[0].Children[0].Value is { } hex
            ? Convert.FromHexString(hex)
            : throw new Xunit.Sdk.XunitException($"expected one '{name}_raw' in the dissection, found {node.Count}");
    }

    /// <summary>Parses a number as tshark prints it: decimal, or hexadecimal with 0x.</summary>
    public static ulong ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A compact text of the subtree, for failure messages.</summary>
    public override string ToString() =>
        Value is not null ? $"{Name}={Value}" : $"{Name}{{{string.Join(", ", Children.Where(c => !c.Name.EndsWith("_raw", StringComparison.Ordinal)))}}}";

    private static Dissection Build(string name, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var children = new List<Dissection>();
                foreach (var property in element.EnumerateObject())
                {
                    AddAll(children, property.Name, property.Value);
                }

                return new Dissection(name, null, children);
            case JsonValueKind.Array:
                return new Dissection(name, null, element.EnumerateArray().Select(e => Build(name, e)).ToList());
            case JsonValueKind.Null:
                return new Dissection(name, "", []);
            default:
                return new Dissection(name, element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(), []);
        }
    }

    private static void AddAll(List<Dissection> into, string name, JsonElement value)
    {
        // An array under a plain field name is a field repeated; under a _raw name it is one
        // (hex, offset, length, mask, type) tuple.
        if (value.ValueKind == JsonValueKind.Array && !name.EndsWith("_raw", StringComparison.Ordinal))
        {
            foreach (var item in value.EnumerateArray())
            {
                AddAll(into, name, item);
            }

            return;
        }

        into.Add(Build(name, value));
    }

    private static void CollectProblems(Dissection node, List<string> problems)
    {
        foreach (var child in node.Children)
        {
            if (child.Name == "_ws.malformed" || child.Name.StartsWith("_ws.malformed.", StringComparison.Ordinal))
            {
                problems.Add("Wireshark marks the packet malformed: " + child);
            }
            else if (child.Name == "_ws.expert")
            {
                var severity = child.Values("_ws.expert.severity").Select(ParseNumber).DefaultIfEmpty(0UL).Max();
                if (severity >= ExpertWarning)
                {
                    problems.Add("Wireshark expert item: " + child);
                }
            }
            else if (child.Name == "tcp.analysis.flags")
            {
                problems.Add("Wireshark TCP analysis flags the segment: " + child);
            }

            CollectProblems(child, problems);
        }
    }

    /// <summary>PI_WARN in Wireshark's expert severities (PI_ERROR is 0x00800000).</summary>
    private const ulong ExpertWarning = 0x00600000;
}
