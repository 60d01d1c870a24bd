using System.CommandLine;
using System.Text.Json;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using BgpStack.Ctl.Json;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Commands;

/// <summary><c>mrt dump</c>: streams every record of an MRT file (plain, gzip or bzip2) and prints it.</summary>
internal static class MrtDumpCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    public static Command Create(CtlIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The MRT file (plain, .gz or .bz2: the content decides)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per record (JSON Lines)" };
        var command = new Command("dump", "Print every record of an MRT file");
        command.Add(file);
        command.Add(json);
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var asJson = result.GetValue(json);
            var malformed = false;
            PeerIndexTableRecord? peers = null;
            var first = true;
            MrtReader reader;
            try
            {
                reader = MrtReader.Open(path);
            }
            catch (Exception ex) when (IsReadError(ex))
            {
                return io.Fail($"cannot read {path}: {ex.Message}");
            }

            using (reader)
            {
                using var buffer = new MemoryStream();
                using var writer = new Utf8JsonWriter(buffer, CtlIo.JsonOptions(indented: false));

                // Records are printed as they are read, so a full table streams in constant memory.
                while (true)
                {
                    MrtRecord? record;
                    try
                    {
                        if (!reader.TryReadNext(out record))
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (IsReadError(ex))
                    {
                        return io.Fail($"cannot read {path}: {ex.Message}");
                    }

                    malformed |= IsMalformed(record);
                    if (asJson)
                    {
                        MrtJsonWriter.WriteRecord(writer, record, peers);
                        writer.Flush();
                        io.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                        buffer.SetLength(0);
                        writer.Reset();
                    }
                    else
                    {
                        if (!first)
                        {
                            io.Out.WriteLine();
                        }

                        MrtText.WriteRecord(io.Out, record, peers);
                    }

                    first = false;
                    if (record is PeerIndexTableRecord table)
                    {
                        peers = table;
                    }
                }
            }

            return malformed ? CtlApp.ExitMalformed : CtlApp.ExitOk;
        });
        return command;
    }

    private static bool IsReadError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException
            or ICSharpCode.SharpZipLib.SharpZipBaseException;

    private static bool IsMalformed(MrtRecord record) => record switch
    {
        MalformedMrtRecord => true,
        Bgp4mpMessageRecord message => message.MessageError is not null || message.Message is UpdateMessage { AttributeErrors.IsEmpty: false },
        RibRecord rib => rib.Entries.Any(e => e.Error is not null || !e.AttributeErrors.IsEmpty),
        _ => false,
    };
}
