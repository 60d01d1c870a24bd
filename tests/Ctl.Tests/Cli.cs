using BgpStack.Bgp.Tests.Wire;
namespace BgpStack.Ctl.Tests;

/// <summary>Runs <c>bgpstackctl</c> in-process over string streams.</summary>
internal static class Cli
{
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

    /// <summary>A whole message in hex: marker, length, type, body (built by the codec tests' <see cref="Hex.Message"/>).</summary>
    public static string Message(byte type, string bodyHex) => Convert.ToHexStringLower(Hex.Message(type, bodyHex));
}
