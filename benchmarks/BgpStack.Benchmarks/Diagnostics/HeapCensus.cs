using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace BgpStack.Benchmarks.Diagnostics;

/// <summary>
/// The managed heap of a running .NET process by type, live and dead, with the GC's segments:
/// what a benchmark's RSS is made of. Attaches with ClrMD (ptrace, so root or the same user) and
/// suspends the process while it walks the heap. Run it on a DUT that a benchmark holds
/// (BGPSTACK_BENCH_HOLD_S) or at a moment of interest: <c>heap PID [TOP]</c>.
/// </summary>
internal static class HeapCensus
{
    /// <summary>Prints the census.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="top">How many types to list.</param>
    public static void Run(int pid, int top)
    {
        using var target = DataTarget.AttachToProcess(pid, suspend: true);
        using var runtime = target.ClrVersions[0].CreateRuntime();
        var heap = runtime.Heap;
        var live = MarkLive(runtime);

        long committed = 0;
        foreach (var segment in heap.Segments.OrderBy(s => s.Start))
        {
            committed += (long)segment.CommittedMemory.Length;
            var kind = segment.IsPinnedObjectSegment ? "pinned" : segment.IsLargeObjectSegment ? "large" : segment.IsEphemeralSegment ? "ephemeral" : "small";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  segment {segment.Start:x} {kind,-9} committed {segment.CommittedMemory.Length / 1024,8} KiB, objects {(segment.End - segment.Start) / 1024,8} KiB"));
        }

        var types = new Dictionary<string, (long Count, long Bytes, long LiveCount, long LiveBytes)>();
        long total = 0;
        long liveTotal = 0;
        foreach (var obj in heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.IsFree)
            {
                continue;
            }

            var size = (long)obj.Size;
            var isLive = live.Contains(obj.Address);
            total += size;
            liveTotal += isLive ? size : 0;
            var name = obj.Type?.Name ?? "?";
            types.TryGetValue(name, out var t);
            types[name] = (t.Count + 1, t.Bytes + size, t.LiveCount + (isLive ? 1 : 0), t.LiveBytes + (isLive ? size : 0));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC segments committed {committed / 1048576.0:F1} MiB; objects {total / 1048576.0:F1} MiB, of which reachable {liveTotal / 1048576.0:F1} MiB"));
        Console.WriteLine("      MiB     count  live MiB    live n  type");
        foreach (var (name, t) in types.OrderByDescending(kv => kv.Value.Bytes).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.Bytes / 1048576.0,9:F2} {t.Count,9} {t.LiveBytes / 1048576.0,9:F2} {t.LiveCount,9}  {name}"));
        }
    }

    // Reachable objects from strong handles (statics included), stack roots and the finalizer
    // queue. Stack roots of a thread that ClrMD cannot walk are skipped (its frames are few).
    private static HashSet<ulong> MarkLive(ClrRuntime runtime)
    {
        var live = new HashSet<ulong>();
        var pending = new Stack<ulong>();
        void Root(ulong address)
        {
            if (address != 0 && live.Add(address))
            {
                pending.Push(address);
            }
        }

        foreach (var handle in runtime.EnumerateHandles())
        {
            if (handle.IsStrong)
            {
                Root(handle.Object.Address);
            }
        }

        foreach (var thread in runtime.Threads)
        {
            try
            {
                foreach (var root in thread.EnumerateStackRoots())
                {
                    Root(root.Object.Address);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        foreach (var root in runtime.Heap.EnumerateFinalizerRoots())
        {
            Root(root.Object.Address);
        }

        while (pending.Count > 0)
        {
            var obj = runtime.Heap.GetObject(pending.Pop());
            if (!obj.IsValid)
            {
                continue;
            }

            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
            {
                Root(reference);
            }
        }

        return live;
    }
}
