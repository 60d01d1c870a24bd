using System.CommandLine;
using BgpStack.Ctl.Commands;

namespace BgpStack.Ctl;

/// <summary>
/// The <c>bgpstackctl</c> application: the command tree and its invocation over given streams, so
/// that <c>Program</c> passes the console and tests pass string readers and writers.
/// </summary>
public static class CtlApp
{
    /// <summary>Success.</summary>
    public const int ExitOk = 0;

    /// <summary>A message or record was malformed, or an UPDATE carried RFC 7606 attribute errors.</summary>
    public const int ExitMalformed = 1;

    /// <summary>bgpstackd could not be reached at its control socket, or refused the request.</summary>
    public const int ExitDaemon = 1;

    /// <summary>Bad usage or unreadable input: bad hex, invalid JSON, a file that cannot be read.</summary>
    public const int ExitUsage = 2;

    /// <summary>Runs the command line <paramref name="args"/>.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdin">Standard input.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>The exit code: <see cref="ExitOk"/>, <see cref="ExitMalformed"/>, <see cref="ExitDaemon"/> or <see cref="ExitUsage"/>.</returns>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var io = new CtlIo(stdin, stdout, stderr);
        var wire = new Command("wire", "Offline BGP message tools");
        wire.Add(WireDecodeCommand.Create(io));
        wire.Add(WireEncodeCommand.Create(io));
        var root = new RootCommand("bgpstackctl: BgpStack control and offline BGP tools");
        root.Add(wire);
        var mrt = new Command("mrt", "Offline MRT (RFC 6396) tools");
        mrt.Add(MrtDumpCommand.Create(io));
        root.Add(mrt);
        var socket = ControlCommand.CreateSocketOption();
        root.Add(socket);
        root.Add(StatusCommand.Create(io, socket));
        root.Add(RoutesCommand.Create(io, socket));
        root.Add(FibCommand.Create(io, socket));
        root.Add(ReloadCommand.Create(io, socket));
        root.Add(GracefulRestartCommand.Create(io, socket));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"bgpstackctl: {error.Message}");
            }

            return ExitUsage;
        }

        try
        {
            var exit = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            stdout.Flush();
            return exit;
        }
        catch (IOException ex)
        {
            // Commands catch their input errors; what reaches here is the output going away (a closed pipe).
            stderr.WriteLine($"bgpstackctl: cannot write the output: {ex.Message}");
            return ExitUsage;
        }
#pragma warning disable CA1031 // the CLI boundary: a bug must read as one line, never as a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"bgpstackctl: internal error: {ex.GetType().Name}: {ex.Message}");
            return ExitUsage;
        }
    }
}
