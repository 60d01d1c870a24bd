using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(BgpStack.Benchmarks.CodecWorkloads).Assembly).Run(args);
