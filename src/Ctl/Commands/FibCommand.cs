using System.CommandLine;
using BgpStack.Control;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Commands;

/// <summary><c>fib</c>: bgpstackd's routes as the kernel holds them, and any difference from the RIB's selected routes.</summary>
internal static class FibCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    public static Command Create(CtlIo io, Option<string?> socket)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON" };
        var command = new Command("fib", "Show bgpstackd's routes in the kernel table and how they differ from the RIB");
        command.Add(json);
        command.SetAction(result => ControlCommand.Run(
            io,
            result,
            socket,
            new ControlRequest { Command = ControlCommands.Fib },
            ControlJsonContext.Default.ControlResponseFibResult,
            result.GetValue(json),
            ControlJsonContext.Default.FibResult,
            FibText.Write));
        return command;
    }
}
