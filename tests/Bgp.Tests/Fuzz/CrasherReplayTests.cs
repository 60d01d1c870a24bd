using BgpStack.Fuzz;
using BgpStack.Fuzz.Targets;

namespace BgpStack.Bgp.Tests.Fuzz;

/// <summary>
/// Every committed crasher and corpus file, replayed through every fuzz target (the same target
/// code the fuzzer runs, linked from fuzz/BgpStack.Fuzz/Targets): no exception, no broken round
/// trip, no slow input. A crasher stays in the repository as a regression input once fixed.
/// </summary>
public class CrasherReplayTests
{
    private static readonly string Root = FuzzPaths.RepositoryRoot(AppContext.BaseDirectory);

    /// <summary>
    /// Crashers committed for a decoder whose fix has not landed yet, by path and target; their
    /// replay is left out until the owner fixes the decoder, then the entry is deleted here.
    /// </summary>
    private static readonly HashSet<(string File, string Target)> AwaitingFix = [];

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "crashers", "corpus" })
        {
            foreach (var file in FuzzPaths.Files(Path.Combine(Root, "fuzz", folder)))
            {
                var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
                foreach (var target in FuzzTargets.All)
                {
                    if (!AwaitingFix.Contains((relative, target.Name)))
                    {
                        data.Add(relative, target.Name);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Replaying_a_saved_input_finds_nothing(string file, string target)
    {
        var input = File.ReadAllBytes(Path.Combine(Root, file));
        var outcome = Replay.Run(FuzzTargets.Find(target)!, input);
        Assert.True(outcome.Finding is null, $"{file} through {target}: {outcome.Finding?.Kind}\n{Convert.ToHexString(input)}\n{outcome.Finding?.Exception}");
        Assert.False(string.IsNullOrEmpty(outcome.Outcome));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in FuzzTargets.All)
        {
            Assert.NotEmpty(FuzzPaths.Files(FuzzPaths.Corpus(Root, target.Name)));
        }
    }

    [Fact]
    public void The_fuzzer_is_deterministic_for_a_seed()
    {
        var first = new Mutator(new Random(7), 4096);
        var second = new Mutator(new Random(7), 4096);
        var input = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304");
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(first.Mutate(input, input), second.Mutate(input, input));
        }
    }

    [Fact]
    public void A_finding_is_written_under_fuzz_crashers_by_content_hash_and_printed_in_hex()
    {
        var root = Directory.CreateTempSubdirectory("bgpstack-fuzz-").FullName;
        try
        {
            var output = new StringWriter();
            Fuzzer.Report(new MessageTarget(), root, new Finding([0xDE, 0xAD], "unhandled exception", new InvalidOperationException("boom")), output);
            var file = Assert.Single(Directory.GetFiles(Path.Combine(root, "fuzz", "crashers", "message")));
            Assert.Equal("a5fc1bd2d1fa4a1e0ac0bda0b0ac2f9bbd6a9bf4.bin".Length, Path.GetFileName(file).Length);
            Assert.Equal(new byte[] { 0xDE, 0xAD }, File.ReadAllBytes(file));
            Assert.Contains("DEAD", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("boom", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}

public class FuzzerWatchdogTests
{
    /// <summary>A target that sleeps for a time chosen from its input's first octet.</summary>
    private sealed class SleepingTarget(Func<byte, int> milliseconds) : FuzzTarget
    {
        public override string Name => "sleeping";

        public override string Execute(ReadOnlySpan<byte> input)
        {
            Thread.Sleep(input.IsEmpty ? 0 : milliseconds(input[0]));
            return "ok";
        }
    }

    /// <summary>A target that throws on an input starting with 0xFF.</summary>
    private sealed class ThrowingTarget : FuzzTarget
    {
        public override string Name => "throwing";

        public override string Execute(ReadOnlySpan<byte> input) =>
            !input.IsEmpty && input[0] == 0xFF ? throw new InvalidOperationException("decoder bug") : "ok";
    }

    private static (int ExitCode, string Output, string[] Crashers) Fuzz(FuzzTarget target, byte[] seed, TimeSpan slow, TimeSpan hang)
    {
        var root = Directory.CreateTempSubdirectory("bgpstack-fuzz-").FullName;
        try
        {
            Directory.CreateDirectory(FuzzPaths.Corpus(root, target.Name));
            File.WriteAllBytes(Path.Combine(FuzzPaths.Corpus(root, target.Name), "seed.bin"), seed);
            var output = new StringWriter();
            var exitCode = new Fuzzer(target, root, output, slow, hang).Run(TimeSpan.FromSeconds(3), 1);
            return (exitCode, output.ToString(), [.. FuzzPaths.Files(FuzzPaths.Crashers(root, target.Name)).Select(f => Convert.ToHexString(File.ReadAllBytes(f)))]);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void An_exception_is_a_finding_with_the_input_saved()
    {
        var (exitCode, output, crashers) = Fuzz(new ThrowingTarget(), [0xFF, 0x01], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(1, exitCode);
        Assert.Equal(["FF01"], crashers);
        Assert.Contains("decoder bug", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hanging_input_is_caught_by_the_watchdog()
    {
        // The seed sleeps 2.5 s; the watchdog gives up after 0.5 s and reports the input.
        var (exitCode, output, crashers) = Fuzz(new SleepingTarget(b => b == 25 ? 2500 : 0), [25], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, exitCode);
        Assert.Equal(["19"], crashers);
        Assert.Contains("hang", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_that_stays_slow_is_a_finding()
    {
        // The seed is quick; any mutation of its first octet takes 200 ms, every time.
        var (exitCode, output, crashers) = Fuzz(new SleepingTarget(b => b == 0 ? 0 : 200), [0], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        Assert.Equal(1, exitCode);
        Assert.Contains("slow input", output, StringComparison.Ordinal);
        Assert.NotEqual(0, Convert.FromHexString(Assert.Single(crashers))[0]);
    }
}
