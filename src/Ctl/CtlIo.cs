using System.Text.Encodings.Web;
using System.Text.Json;

namespace BgpStack.Ctl;

/// <summary>The standard streams a command uses, so that tests run the CLI in-process.</summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CtlIo(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Reports a problem with the input or the options on stderr and returns the usage exit code.</summary>
    /// <param name="problem">What is wrong.</param>
    public int Fail(string problem)
    {
        Error.WriteLine($"bgpstackctl: {problem}");
        return CtlApp.ExitUsage;
    }

    /// <summary>Reads a whole file, or says why it cannot be read.</summary>
    /// <param name="path">The path.</param>
    /// <param name="content">The file's octets.</param>
    /// <param name="problem">Why it cannot be read.</param>
    /// <returns>True when the file was read.</returns>
    public static bool TryReadFile(string path, out byte[] content, out string? problem)
    {
        content = [];
        problem = null;
        try
        {
            content = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"cannot read {path}: {ex.Message}";
            return false;
        }
    }

    /// <summary>The JSON writer settings of every command: readable, non-ASCII text unescaped.</summary>
    /// <param name="indented">Indent the output.</param>
    public static JsonWriterOptions JsonOptions(bool indented) => new()
    {
        Indented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // the output goes to a terminal or a file, never into HTML
    };
}
