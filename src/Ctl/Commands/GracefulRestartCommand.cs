using System.CommandLine;
using System.Globalization;
using BgpStack.Control;

namespace BgpStack.Ctl.Commands;

/// <summary>
/// <c>graceful-restart</c>: stops bgpstackd for a restart, like <c>birdc graceful restart</c>: every
/// session closes without a NOTIFICATION, so peers that help with graceful restart (RFC 4724) keep
/// our routes until bgpstackd is started again and has sent them anew.
/// </summary>
internal static class GracefulRestartCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    public static Command Create(CtlIo io, Option<string?> socket)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON" };
        var command = new Command("graceful-restart", "Stop bgpstackd for a restart: sessions close without a NOTIFICATION so peers keep our routes");
        command.Add(json);
        command.SetAction(result => ControlCommand.Run(
            io,
            result,
            socket,
            new ControlRequest { Command = ControlCommands.GracefulRestart },
            ControlJsonContext.Default.ControlResponseStopResult,
            result.GetValue(json),
            ControlJsonContext.Default.StopResult,
            (writer, stop) => writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"bgpstackd is stopping for a graceful restart; peers keep our routes for up to {stop.RestartTime} s. Start it again within that time."))));
        return command;
    }
}
