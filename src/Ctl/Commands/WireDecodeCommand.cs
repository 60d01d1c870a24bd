using System.CommandLine;
using System.Text.Json;
using BgpStack.Bgp.Wire;
using BgpStack.Ctl.Json;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Commands;

/// <summary><c>wire decode</c>: decodes BGP messages given as hex or as a binary file and prints them as text or JSON.</summary>
internal static class WireDecodeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    public static Command Create(CtlIo io)
    {
        var hex = new Argument<string[]>("HEX") { Description = "Messages in hex (spaces and colons allowed); read from stdin when absent", Arity = ArgumentArity.ZeroOrMore };
        var file = new Option<string?>("--file") { Description = "A file of raw binary messages back to back" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of messages" };
        var context = new ContextOptions();
        var command = new Command("decode", "Decode BGP messages and print them");
        command.Add(hex);
        command.Add(file);
        command.Add(json);
        context.AddTo(command);
        command.SetAction(result =>
        {
            if (!context.TryGetContext(result, out var codecContext, out var problem))
            {
                return io.Fail(problem!);
            }

            var hexArgs = result.GetValue(hex) ?? [];
            byte[] input;
            if (result.GetValue(file) is { } path)
            {
                if (hexArgs.Length > 0)
                {
                    return io.Fail("give either HEX or --file, not both");
                }

                if (!CtlIo.TryReadFile(path, out input, out problem))
                {
                    return io.Fail(problem!);
                }
            }
            else if (!HexInput.TryParse(hexArgs.Length > 0 ? string.Join(' ', hexArgs) : io.In.ReadToEnd(), out input, out problem))
            {
                return io.Fail($"bad hex: {problem}");
            }

            var decoded = DecodedMessage.DecodeAll(input, codecContext);
            if (result.GetValue(json))
            {
                WriteJson(io.Out, decoded, codecContext);
            }
            else
            {
                for (var i = 0; i < decoded.Count; i++)
                {
                    if (i > 0)
                    {
                        io.Out.WriteLine();
                    }

                    MessageText.WriteDecoded(io.Out, decoded[i]);
                }
            }

            return decoded.Any(d => d.HasErrors) ? CtlApp.ExitMalformed : CtlApp.ExitOk;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<DecodedMessage> decoded, CodecContext context)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, CtlIo.JsonOptions(indented: true)))
        {
            writer.WriteStartArray();
            foreach (var message in decoded)
            {
                MessageJsonWriter.WriteDecoded(writer, message, context);
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
    }
}
