using System.Diagnostics;
using System.Text.Json;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// Runs Wireshark's <c>tshark</c> over a pcap and returns, per frame, the BGP dissection as a
/// tree of fields. Missing tshark is a test failure with a message saying how to install it,
/// never a silent pass.
/// </summary>
internal static class Tshark
{
    private static readonly string[] Candidates = ["/usr/bin/tshark", "/usr/local/bin/tshark"];

    /// <summary>The path of the tshark executable; throws a clear error when it is not installed.</summary>
    public static string Executable
    {
        get
        {
            foreach (var candidate in Candidates)
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, "tshark");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException(
                "tshark (Wireshark) is not installed, so the independent-decoder agreement tests cannot run. " +
                "Install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tshark");
        }
    }

    /// <summary>
    /// Writes <paramref name="messages"/> to a pcap, dissects it once and returns one dissection per
    /// message, in order. <paramref name="fourOctetAs"/> fixes Wireshark's AS number length instead
    /// of letting it guess.
    /// </summary>
    public static IReadOnlyList<Dissection> Dissect(IReadOnlyList<byte[]> messages, bool fourOctetAs = true)
    {
        var directory = Directory.CreateTempSubdirectory("bgpstack-tshark-");
        try
        {
            var pcap = Path.Combine(directory.FullName, "messages.pcap");
            PcapWriter.Write(pcap, messages);
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "-n", "-r", pcap, "-T", "json", "-x",
                "-d", "tcp.port==179,bgp",
                "-o", "bgp.desegment:TRUE",
                "-o", "tcp.desegment_tcp_streams:TRUE",
                "-o", "bgp.asn_len:" + (fourOctetAs ? "4 octet" : "2 octet"),
            })
            {
                start.ArgumentList.Add(argument);
            }

            // Keep tshark away from the user's profile, so preferences come only from the command line.
            start.Environment["WIRESHARK_CONFIG_DIR"] = directory.FullName;
            start.Environment["HOME"] = directory.FullName;

            using var process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(true);
                throw new TimeoutException("tshark did not finish within 120 s");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"tshark exited with {process.ExitCode}: {stderr.Result}");
            }

            using var document = JsonDocument.Parse(stdout);
            var frames = new List<Dissection>();
            foreach (var packet in document.RootElement.EnumerateArray())
            {
                frames.Add(Dissection.FromFrame(packet.GetProperty("_source").GetProperty("layers")));
            }

            if (frames.Count != messages.Count)
            {
                throw new InvalidOperationException($"tshark read {frames.Count} frames, {messages.Count} were written");
            }

            return frames;
        }
        finally
        {
            directory.Delete(true);
        }
    }
}
