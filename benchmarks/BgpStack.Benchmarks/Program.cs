using System.Globalization;
using BenchmarkDotNet.Running;
using BgpStack.Benchmarks.Rib;

if (args.Length > 0 && args[0] == "rib-memory")
{
    // A console mode, not a BenchmarkDotNet job: memory must be measured in a process of its own.
    RibMemoryRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    return;
}

if (args.Length > 0 && args[0] == "fib")
{
    // Side by side with iproute2 in network namespaces of its own (root needed): fib [routes] [rounds].
    if (!OperatingSystem.IsLinux())
    {
        throw new PlatformNotSupportedException("the FIB benchmark needs Linux network namespaces");
    }

    await BgpStack.Benchmarks.Fib.FibSideBySide.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BgpStack.Benchmarks.CodecWorkloads).Assembly).Run(args);
