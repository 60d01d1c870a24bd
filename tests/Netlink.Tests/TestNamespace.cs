using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace BgpStack.Netlink.Tests;

/// <summary>
/// A network namespace made for one test (<c>bgpstack-t-RANDOM</c>) and deleted on dispose. All
/// checks through iproute2 run with <c>ip -n NAME</c>, so nothing touches the root namespace.
/// Without root or without <c>ip</c> it fails loudly rather than skipping.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private TestNamespace(string name) => Name = name;

    /// <summary>The namespace name.</summary>
    public string Name { get; }

    /// <summary>Creates a namespace with loopback up.</summary>
    public static TestNamespace Create()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("Kernel tests need root (CAP_NET_ADMIN) to create network namespaces; run them as root.");
        }

        var name = "bgpstack-t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Run("ip", "netns", "add", name);
        var ns = new TestNamespace(name);
        try
        {
            ns.Ip("link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>ip -n NAME args</c> and returns stdout; throws on failure.</summary>
    /// <param name="args">The arguments.</param>
    public string Ip(params string[] args) => Run("ip", ["-n", Name, .. args]);

    /// <summary>Runs <c>ip -n NAME -json args</c> and parses the output (an empty array for no output).</summary>
    /// <param name="args">The arguments.</param>
    public JsonElement IpJson(params string[] args)
    {
        var text = Run("ip", ["-n", Name, "-json", .. args]).Trim();
        using var document = JsonDocument.Parse(text.Length == 0 ? "[]" : text);
        return document.RootElement.Clone();
    }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>) and returns its exit code; a missing program fails loudly.</summary>
    /// <param name="args">The command.</param>
    public int Exec(params string[] args)
    {
        var code = RunCode("ip", ["netns", "exec", Name, .. args], out var output);
        return output.StdErr.Contains("exec of", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Kernel tests need '{args[0]}' installed: {output.StdErr.Trim()}")
            : code;
    }

    /// <summary>Runs a program, returns stdout, throws with stderr when it fails.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    public static string Run(string file, params string[] args)
    {
        var code = RunCode(file, args, out var output);
        return code == 0 ? output.StdOut : throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' exited {code}: {output.StdErr}");
    }

    /// <summary>Runs a program and returns its exit code and output.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="output">stdout and stderr.</param>
    public static int RunCode(string file, string[] args, out (string StdOut, string StdErr) output)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Kernel tests need '{file}' (iproute2) on PATH: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(20_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish in 20 s.");
            }

            output = (stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
            return process.ExitCode;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => RunCode("ip", ["netns", "del", Name], out _);
}
