using YamlDotNet.RepresentationModel;

namespace BgpStack.Daemon.Config;

/// <summary>A YAML mapping whose keys were checked against the allowed ones, with lookups that report missing keys.</summary>
internal sealed class ConfigMapping
{
    private readonly ConfigReader reader;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries;

    /// <summary>Wraps a checked mapping.</summary>
    /// <param name="reader">Where problems are recorded.</param>
    /// <param name="node">The mapping.</param>
    /// <param name="what">What the mapping is, for messages.</param>
    /// <param name="entries">Its known entries.</param>
    public ConfigMapping(ConfigReader reader, YamlMappingNode node, string what, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries)
    {
        this.reader = reader;
        Node = node;
        What = what;
        this.entries = entries;
    }

    /// <summary>The mapping node.</summary>
    public YamlMappingNode Node { get; }

    /// <summary>What the mapping is, for messages.</summary>
    public string What { get; }

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    /// <param name="key">The key.</param>
    public YamlNode? this[string key] => entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>The key node of <paramref name="key"/>, or null when absent.</summary>
    /// <param name="key">The key.</param>
    public YamlScalarNode? KeyNode(string key) => entries.TryGetValue(key, out var entry) ? entry.Key : null;

    /// <summary>The value of a key that must be present; records an error at the mapping when it is not.</summary>
    /// <param name="key">The key.</param>
    public YamlNode? Required(string key)
    {
        if (entries.TryGetValue(key, out var entry))
        {
            return entry.Value;
        }

        reader.Error(Node, $"{What} is missing the required key '{key}'");
        return null;
    }
}
