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

if (args.Length > 1 && args[0] == "heap")
{
    // The managed heap of a running process by type (attach with ClrMD): heap PID [TOP].
    BgpStack.Benchmarks.Diagnostics.HeapCensus.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 25);
    return;
}

if (args.Length > 1 && args[0] == "trace")
{
    // JIT, GC and allocation summary of an EventPipe trace: trace FILE [UNTIL-MS].
    BgpStack.Benchmarks.Diagnostics.RuntimeTrace.Run(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : double.MaxValue);
    return;
}

if (args.Length > 0 && args[0] is "ingest" or "ingest-kernel" or "fanout")
{
    // Side by side with BIRD 2 and GoBGP in network namespaces of their own (root needed):
    // ingest [routes] [rounds] [duts]    e.g. ingest 1000000 3 bird,gobgp,bgpstackd
    // ingest-kernel [routes] [rounds] [duts]   e.g. ingest-kernel 1000000 3 bird,bgpstackd (into table main)
    // fanout [routes] [rounds] [rrs]     e.g. fanout 100000 3 bird,bgpstackd   (20 BIRD clients)
    if (!OperatingSystem.IsLinux())
    {
        throw new PlatformNotSupportedException("the macro benchmarks need Linux network namespaces");
    }

    BgpStack.Benchmarks.Macro.MacroBenchmarks.PrintVersions();
    var kernel = args[0] == "ingest-kernel";
    var ingest = args[0] == "ingest" || kernel;
    var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : ingest ? 1_000_000 : 100_000;
    var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    var devices = BgpStack.Benchmarks.Macro.MacroBenchmarks.Devices(args.Length > 3 ? args[3] : ingest && !kernel ? "bird,gobgp,bgpstackd" : "bird,bgpstackd");
    if (ingest)
    {
        BgpStack.Benchmarks.Macro.MacroBenchmarks.Ingest(count, rounds, devices, kernel);
    }
    else
    {
        BgpStack.Benchmarks.Macro.MacroBenchmarks.Fanout(count, 20, rounds, devices);
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BgpStack.Benchmarks.CodecWorkloads).Assembly).Run(args);
