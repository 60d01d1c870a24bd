using System.Globalization;
using BenchmarkDotNet.Running;
using BgpStack.Benchmarks.Rib;

if (args.Length > 0 && args[0] == "rib-memory")
{
    // A console mode, not a BenchmarkDotNet job: memory must be measured in a process of its own.
    RibMemoryRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BgpStack.Benchmarks.CodecWorkloads).Assembly).Run(args);
