using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>
/// A long-running program started inside a network namespace (<c>ip netns exec NS prog ...</c>)
/// with stdout and stderr going straight to files, so a chatty daemon never blocks on a pipe.
/// <c>sh</c> and <c>ip netns exec</c> both exec, so <see cref="Pid"/> is the program's own PID
/// (its <c>/proc/PID/status</c> gives the program's peak RSS).
/// </summary>
public sealed class NamespaceProcess : IDisposable
{
    private readonly Process process;
    private bool disposed;

    private NamespaceProcess(Process process, string name, string stdoutPath, string stderrPath, string commandLine)
    {
        this.process = process;
        Name = name;
        StdoutPath = stdoutPath;
        StderrPath = stderrPath;
        CommandLine = commandLine;
        Started = Stopwatch.GetTimestamp();
        Pid = process.Id;
    }

    /// <summary>A label for messages and log file names.</summary>
    public string Name { get; }

    /// <summary>The file receiving stdout.</summary>
    public string StdoutPath { get; }

    /// <summary>The file receiving stderr.</summary>
    public string StderrPath { get; }

    /// <summary>The command as started.</summary>
    public string CommandLine { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken right after the process started.</summary>
    public long Started { get; }

    /// <summary>The program's PID.</summary>
    public int Pid { get; }

    /// <summary>True once the program has exited.</summary>
    public bool HasExited => disposed || process.HasExited;

    /// <summary>The exit code, or null while running.</summary>
    public int? ExitCode => !disposed && process.HasExited ? process.ExitCode : null;

    /// <summary>Starts <paramref name="file"/> inside <paramref name="namespaceName"/>.</summary>
    /// <param name="namespaceName">The network namespace.</param>
    /// <param name="logDirectory">Where the stdout/stderr files go.</param>
    /// <param name="name">A label, also the log file stem.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    public static NamespaceProcess Start(string namespaceName, string logDirectory, string name, IReadOnlyDictionary<string, string>? environment, string file, params string[] args)
    {
        var stdout = Path.Combine(logDirectory, name + ".stdout");
        var stderr = Path.Combine(logDirectory, name + ".stderr");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$BGPSTACK_OUT\" 2>>\"$BGPSTACK_ERR\"");
        start.ArgumentList.Add("sh");
        foreach (var arg in (string[])["ip", "netns", "exec", namespaceName, file, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BGPSTACK_OUT"] = stdout;
        start.Environment["BGPSTACK_ERR"] = stderr;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start /bin/sh for '{file}': {e.Message}", e);
        }

        process.StandardInput.Close();
        return new NamespaceProcess(process, name, stdout, stderr, Cmd.Describe($"ip netns exec {namespaceName} {file}", args));
    }

    /// <summary>Sends SIGTERM and waits up to <paramref name="timeout"/>; then SIGKILL.</summary>
    /// <param name="timeout">How long the program may take to shut down.</param>
    /// <returns>True when it exited on SIGTERM.</returns>
    public bool Stop(TimeSpan timeout)
    {
        if (HasExited)
        {
            return true;
        }

        Cmd.Try("kill", "-TERM", Pid.ToString(CultureInfo.InvariantCulture));
        if (process.WaitForExit(timeout))
        {
            return true;
        }

        Kill();
        return false;
    }

    /// <summary>Kills the program at once (SIGKILL) and reaps it.</summary>
    public void Kill()
    {
        if (!disposed && !process.HasExited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }

            process.WaitForExit(10_000);
        }
    }

    /// <summary>Reads a <c>/proc/PID/status</c> field in kB (VmHWM = peak RSS, VmRSS = current); null once exited.</summary>
    /// <param name="field">The field name, e.g. <c>VmHWM</c>.</param>
    public long? ReadStatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The CPU time the program has used so far, in user and in kernel mode (from <c>/proc/PID/stat</c>); null once exited.</summary>
    public (TimeSpan User, TimeSpan System)? ReadCpuTimes()
    {
        try
        {
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            static TimeSpan Ticks(string value) => TimeSpan.FromSeconds(long.Parse(value, CultureInfo.InvariantCulture) / (double)ClockTicksPerSecond);

            // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
            return (Ticks(fields[11]), Ticks(fields[12]));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>USER_HZ, the unit of <c>/proc/PID/stat</c>'s times: 100 on every Linux architecture the project runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>The last <paramref name="maxChars"/> characters of stdout and stderr and the exit state, for failure messages.</summary>
    /// <param name="maxChars">How much of each stream to show.</param>
    public string Describe(int maxChars = 4000)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- {Name}: {CommandLine} (pid {Pid}, {(HasExited ? $"exited {ExitCode}" : "running")})\n");
        text.Append(CultureInfo.InvariantCulture, $"--- {Name} stdout ({StdoutPath}):\n{Tail(StdoutPath, maxChars)}\n");
        text.Append(CultureInfo.InvariantCulture, $"--- {Name} stderr ({StderrPath}):\n{Tail(StderrPath, maxChars)}\n");
        return text.ToString();
    }

    /// <summary>The last <paramref name="maxChars"/> characters of a file, or a note that it is missing.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxChars">How many characters.</param>
    public static string Tail(string path, int maxChars)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.Length <= maxChars ? text : "..." + text[^maxChars..];
        }
        catch (IOException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        Kill();
        disposed = true;
        process.Dispose();
    }
}
