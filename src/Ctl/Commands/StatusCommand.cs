using System.CommandLine;
using BgpStack.Control;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Commands;

/// <summary><c>status</c>: the peer table of a running bgpstackd, like <c>calicoctl node status</c>.</summary>
internal static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    public static Command Create(CtlIo io, Option<string?> socket)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON, with per-peer prefix counts" };
        var command = new Command("status", "Show bgpstackd's BGP peers and their sessions");
        command.Add(json);
        command.SetAction(result => ControlCommand.Run(
            io,
            result,
            socket,
            new ControlRequest { Command = ControlCommands.Status },
            ControlJsonContext.Default.ControlResponseStatusResult,
            result.GetValue(json),
            ControlJsonContext.Default.StatusResult,
            (writer, status) => StatusText.Write(writer, status, DateTimeOffset.UtcNow)));
        return command;
    }
}
