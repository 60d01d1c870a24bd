using System.CommandLine;
using BgpStack.Control;

namespace BgpStack.Ctl.Commands;

/// <summary><c>reload</c>: has bgpstackd re-read its configuration file (as SIGHUP does) and says what changed.</summary>
internal static class ReloadCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    public static Command Create(CtlIo io, Option<string?> socket)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON" };
        var command = new Command("reload", "Have bgpstackd re-read its configuration file; sessions whose settings did not change stay up");
        command.Add(json);
        command.SetAction(result => ControlCommand.Run(
            io,
            result,
            socket,
            new ControlRequest { Command = ControlCommands.Reload },
            ControlJsonContext.Default.ControlResponseReloadResult,
            result.GetValue(json),
            ControlJsonContext.Default.ReloadResult,
            Write));
        return command;
    }

    /// <summary>Writes what a reload changed.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="reload">The daemon's answer.</param>
    public static void Write(TextWriter writer, ReloadResult reload)
    {
        writer.WriteLine($"Reloaded {reload.ConfigFile}.");
        var any = false;
        foreach (var (what, peers) in new[] { ("added", reload.Added), ("removed", reload.Removed), ("reset", reload.Reset), ("updated in place", reload.Updated) })
        {
            if (!peers.IsDefaultOrEmpty)
            {
                writer.WriteLine($"Peers {what}: {string.Join(", ", peers)}");
                any = true;
            }
        }

        if (!any)
        {
            writer.WriteLine("No peer changed.");
        }
    }
}
