using System.ComponentModel;
using System.Diagnostics;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>The result of a finished command.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StdOut">Everything written to stdout.</param>
/// <param name="StdErr">Everything written to stderr.</param>
public sealed record CmdResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs short-lived commands (iproute2, the peers' CLIs) with a bounded wait. A missing program
/// fails loudly with the name of what is missing; nothing here ever skips.
/// </summary>
public static class Cmd
{
    /// <summary>The longest any single CLI call may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a program and returns its exit code and output.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    public static CmdResult Try(string file, params string[] args) => Try(DefaultTimeout, file, args);

    /// <summary>Runs a program with an explicit time limit and returns its exit code and output.</summary>
    /// <param name="timeout">How long it may run before it is killed and a <see cref="TimeoutException"/> thrown.</param>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    public static CmdResult Try(TimeSpan timeout, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Integration tests need '{file}' on PATH (see test.sh, which installs it): {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
                throw new TimeoutException($"'{Describe(file, args)}' did not finish in {timeout.TotalSeconds:F0} s.");
            }

            process.WaitForExit();
            return new CmdResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    /// <summary>Runs a program, returns stdout, throws with stderr when it exits non-zero.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    public static string Run(string file, params string[] args)
    {
        var result = Try(file, args);
        return result.ExitCode == 0
            ? result.StdOut
            : throw new InvalidOperationException($"'{Describe(file, args)}' exited {result.ExitCode}: {result.StdErr}{result.StdOut}");
    }

    /// <summary>A command line for messages.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    public static string Describe(string file, IEnumerable<string> args) => string.Join(' ', [file, .. args]);
}
