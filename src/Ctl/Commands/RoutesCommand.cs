using System.CommandLine;
using System.Net;
using BgpStack.Control;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Commands;

/// <summary><c>routes [PREFIX]</c>: the Loc-RIB of a running bgpstackd (or a prefix and its more-specifics) with the best-path reason and the multipath set.</summary>
internal static class RoutesCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="io">The standard streams.</param>
    /// <param name="socket">The <c>--socket</c> option.</param>
    public static Command Create(CtlIo io, Option<string?> socket)
    {
        var prefix = new Argument<string?>("PREFIX") { Description = "Only this prefix and the more-specific ones (an address means its host prefix)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON" };
        var command = new Command("routes", "Show bgpstackd's Loc-RIB: every path, the best, the multipath set and why");
        command.Add(prefix);
        command.Add(json);
        command.SetAction(result =>
        {
            string? text = null;
            if (result.GetValue(prefix) is { } given)
            {
                if (!TryNormalize(given, out var normalized))
                {
                    return io.Fail($"not a prefix or address: '{given}'");
                }

                text = normalized;
            }

            return ControlCommand.Run(
                io,
                result,
                socket,
                new ControlRequest { Command = ControlCommands.Routes, Prefix = text },
                ControlJsonContext.Default.ControlResponseRoutesResult,
                result.GetValue(json),
                ControlJsonContext.Default.RoutesResult,
                (writer, routes) => RoutesText.Write(writer, routes, text));
        });
        return command;
    }

    /// <summary>Reads a prefix, or an address as its host prefix, in the form the daemon expects.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="prefix">The prefix's canonical text.</param>
    /// <returns>True when <paramref name="text"/> is a prefix or an address.</returns>
    public static bool TryNormalize(string text, out string prefix)
    {
        if (IpPrefix.TryParse(text, out var parsed))
        {
            prefix = parsed.ToString();
            return true;
        }

        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
        {
            prefix = IpPrefix.Create(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32).ToString();
            return true;
        }

        prefix = string.Empty;
        return false;
    }
}
