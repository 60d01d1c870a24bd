using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace BgpStack.Benchmarks.Diagnostics;

/// <summary>
/// Reads an EventPipe trace of the runtime's JIT and GC events and prints the slowest method
/// compilations, every GC with its generation and reason, and sampled allocations by type. Record
/// one by starting the process with <c>DOTNET_EnableEventPipe=1</c>,
/// <c>DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x11:5</c> and
/// <c>DOTNET_EventPipeOutputPath=/tmp/trace-{pid}.nettrace</c> (the benchmarks pass their
/// environment to the DUT). Then: <c>trace FILE [UNTIL-MS]</c>, events after UNTIL-MS ignored.
/// </summary>
internal static class RuntimeTrace
{
    /// <summary>Prints the summary of a trace.</summary>
    /// <param name="path">The .nettrace file.</param>
    /// <param name="untilMs">Ignore events after this many milliseconds from the trace's start.</param>
    public static void Run(string path, double untilMs)
    {
        using var source = new EventPipeEventSource(path);
        var clr = new ClrTraceEventParser(source);
        var started = new Dictionary<(int Thread, long Method), (double At, string Name)>();
        var compiled = new List<(double Ms, string Text)>();
        var allocated = new Dictionary<string, long>();
        clr.MethodJittingStarted += e =>
        {
            if (e.TimeStampRelativeMSec <= untilMs)
            {
                started[(e.ThreadID, e.MethodID)] = (e.TimeStampRelativeMSec, $"{e.MethodNamespace}::{e.MethodName} (IL {e.MethodILSize})");
            }
        };
        clr.MethodLoadVerbose += e =>
        {
            if (started.Remove((e.ThreadID, e.MethodID), out var start))
            {
                compiled.Add((e.TimeStampRelativeMSec - start.At, string.Create(CultureInfo.InvariantCulture, $"{start.Name} {e.OptimizationTier} at {start.At:F0} ms")));
            }
        };
        clr.GCStart += e =>
        {
            if (e.TimeStampRelativeMSec <= untilMs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC {e.Count}: generation {e.Depth}, {e.Reason}, at {e.TimeStampRelativeMSec:F0} ms"));
            }
        };
        clr.GCAllocationTick += e =>
        {
            if (e.TimeStampRelativeMSec <= untilMs)
            {
                var type = e.TypeName ?? "?";
                allocated[type] = allocated.GetValueOrDefault(type) + e.AllocationAmount64;
            }
        };
        source.Process();

        Console.WriteLine("slowest compilations:");
        foreach (var (ms, text) in compiled.OrderByDescending(c => c.Ms).Take(10))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms,9:F1} ms  {text}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled allocations: {allocated.Values.Sum() / 1048576.0:F0} MiB"));
        foreach (var (type, bytes) in allocated.OrderByDescending(kv => kv.Value).Take(15))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0,9:F1} MiB  {type}"));
        }
    }
}
