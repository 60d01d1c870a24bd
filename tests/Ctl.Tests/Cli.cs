namespace BgpStack.Ctl.Tests;

/// <summary>Runs <c>bgpstackctl</c> in-process over string streams.</summary>
internal static class Cli
{
    /// <summary>The marker every message starts with, in hex.</summary>
    public const string Marker = "ffffffffffffffffffffffffffffffff";

    /// <summary>Runs the CLI with <paramref name="args"/> and <paramref name="stdin"/>.</summary>
    public static (int Exit, string Out, string Error) Pipe(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CtlApp.Run(args, input, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs the CLI with empty stdin.</summary>
    public static (int Exit, string Out, string Error) Run(params string[] args) => Pipe(string.Empty, args);

    /// <summary>A whole message in hex: marker, length, type, body.</summary>
    public static string Message(byte type, string bodyHex)
    {
        var body = Convert.FromHexString(string.Concat(bodyHex.Where(c => !char.IsWhiteSpace(c))));
        return Marker + (19 + body.Length).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + type.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + Convert.ToHexStringLower(body);
    }
}
