using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BgpStack.Daemon.Config;

/// <summary>Reads and writes the daemon's YAML configuration file.</summary>
internal static class DaemonConfigFile
{
    /// <summary>Reads and checks the configuration file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigException">The file cannot be read, is not YAML, or breaks a rule; the message says where (<c>file:line:col: what</c>).</exception>
    public static DaemonConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            throw new ConfigException([new ConfigError(path, 0, 0, $"cannot read the configuration: {e.Message}")], e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and checks configuration text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">The name used in error messages (usually the file path).</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigException">The text is not YAML or breaks a rule; the message lists every problem as <c>file:line:col: what</c>.</exception>
    public static DaemonConfig Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ConfigException([new ConfigError(sourceName, (int)e.Start.Line, (int)e.Start.Column, YamlMessage(e))], e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on some malformed input (a plain scalar it cannot scan, an
            // event where no node may start); the event being read is the nearest position known.
            var mark = parser.Current?.Start ?? Mark.Empty;
            throw new ConfigException([new ConfigError(sourceName, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "not valid YAML here")], e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ConfigException([new ConfigError(sourceName, 1, 1, "the configuration is empty; it needs at least router-id and local-as")]);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new ConfigException([new ConfigError(sourceName, (int)second.Line, (int)second.Column, "only one YAML document is allowed; remove the second '---'")]);
        }

        var reader = new ConfigReader(sourceName);
        var config = new ConfigParser(reader).Parse(stream.Documents[0].RootNode);
        if (reader.HasErrors || config is null)
        {
            throw new ConfigException(reader.Errors);
        }

        return config;
    }

    /// <summary>Writes <paramref name="config"/> as YAML that <see cref="Parse"/> reads back to an equal configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The YAML text, in the canonical layout (keys in schema order, defaults left out).</returns>
    public static string Print(DaemonConfig config) => ConfigPrinter.Print(config);

    private static string YamlMessage(YamlException e)
    {
        var message = e.Message;
        const string duplicate = "Duplicate key ";
        return message.StartsWith(duplicate, StringComparison.Ordinal)
            ? $"duplicate key '{message[duplicate.Length..]}'"
            : "not valid YAML: " + message;
    }
}
