using System.CommandLine;
using System.Text.Json;
using BgpStack.Bgp.Wire;
using BgpStack.Ctl.Json;

namespace BgpStack.Ctl.Commands;

/// <summary><c>wire encode</c>: reads messages as JSON and prints the hex of each, one per line.</summary>
internal static class WireEncodeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    public static Command Create(CtlIo io)
    {
        var file = new Option<string?>("--file") { Description = "A JSON file (a message object or an array); stdin when absent" };
        var context = new ContextOptions();
        var command = new Command("encode", "Encode BGP messages given as JSON and print their hex");
        command.Add(file);
        context.AddTo(command);
        command.SetAction(result =>
        {
            if (!context.TryGetContext(result, out var codecContext, out var problem))
            {
                return io.Fail(problem!);
            }

            byte[] input;
            if (result.GetValue(file) is { } path)
            {
                if (!CtlIo.TryReadFile(path, out input, out problem))
                {
                    return io.Fail(problem!);
                }
            }
            else
            {
                input = System.Text.Encoding.UTF8.GetBytes(io.In.ReadToEnd());
            }

            IReadOnlyList<BgpMessage> messages;
            try
            {
                using var document = JsonDocument.Parse(input);
                messages = MessageJsonReader.ReadMessages(document.RootElement);
            }
            catch (JsonException ex)
            {
                return io.Fail($"invalid JSON at {ex.Path ?? "$"} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}");
            }
            catch (JsonInputException ex)
            {
                return io.Fail(ex.Message);
            }

            var lines = new List<string>(messages.Count);
            for (var i = 0; i < messages.Count; i++)
            {
                var where = messages.Count == 1 && !IsArray(input) ? "$" : $"$[{i}]";
                try
                {
                    lines.Add(Convert.ToHexStringLower(messages[i].ToBytes(codecContext)));
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or OverflowException)
                {
                    return io.Fail($"{where}: cannot encode: {ex.Message}");
                }
            }

            foreach (var line in lines)
            {
                io.Out.WriteLine(line);
            }

            return CtlApp.ExitOk;
        });
        return command;
    }

    private static bool IsArray(byte[] json)
    {
        foreach (var b in json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                return b == (byte)'[';
            }
        }

        return false;
    }
}
