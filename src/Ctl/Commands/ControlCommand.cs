using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BgpStack.Control;
using BgpStack.Ctl.Control;

namespace BgpStack.Ctl.Commands;

/// <summary>What the commands that talk to bgpstackd share: the <c>--socket</c> option and the request round trip.</summary>
internal static class ControlCommand
{
    /// <summary>
    /// The <c>--socket PATH</c> option, recursive so it may stand before or after the command
    /// (<c>bgpstackctl --socket PATH status</c> and <c>bgpstackctl status --socket PATH</c>).
    /// </summary>
    public static Option<string?> CreateSocketOption() => new("--socket")
    {
        Description = $"The control socket of bgpstackd (default: ${ControlClient.SocketVariable}, else {ControlClient.DefaultSocketPath})",
        Recursive = true,
    };

    /// <summary>Sends <paramref name="request"/> to the daemon named by the parse result and writes its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="io">The standard streams.</param>
    /// <param name="result">The parse result.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    /// <param name="request">The request.</param>
    /// <param name="typeInfo">The response's serializer.</param>
    /// <param name="asJson">Print the result as JSON instead of text.</param>
    /// <param name="resultTypeInfo">The result's serializer, for <paramref name="asJson"/>.</param>
    /// <param name="writeText">Writes the result as text.</param>
    /// <returns>The exit code.</returns>
    public static int Run<T>(
        CtlIo io,
        ParseResult result,
        Option<string?> socket,
        ControlRequest request,
        JsonTypeInfo<ControlResponse<T>> typeInfo,
        bool asJson,
        JsonTypeInfo<T> resultTypeInfo,
        Action<TextWriter, T> writeText)
        where T : class
    {
        var path = ControlClient.ResolveSocketPath(result.GetValue(socket), Environment.GetEnvironmentVariable(ControlClient.SocketVariable));
        T answer;
        try
        {
            answer = ControlClient.Send(path, request, typeInfo);
        }
        catch (ControlClientException ex)
        {
            io.Error.WriteLine($"bgpstackctl: {ex.Message}");
            return CtlApp.ExitDaemon;
        }

        if (asJson)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, CtlIo.JsonOptions(indented: true)))
            {
                JsonSerializer.Serialize(writer, answer, resultTypeInfo);
            }

            io.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        else
        {
            writeText(io.Out, answer);
        }

        return CtlApp.ExitOk;
    }
}
