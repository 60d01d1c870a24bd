using System.Diagnostics;

namespace BgpStack.Fuzz.Targets;

/// <summary>Runs one saved input through a target once, the way the fuzzer did, and says what went wrong, if anything.</summary>
public static class Replay
{
    /// <summary>The limit for one input on replay: generous, since the first run of a target also pays for JIT compilation.</summary>
    public static readonly TimeSpan SlowInputLimit = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="input"/> through <paramref name="target"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="input">The input.</param>
    public static ReplayOutcome Run(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = target.Execute(input);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return elapsed > SlowInputLimit
                ? new ReplayOutcome(outcome, new ReplayFinding($"slow input: {elapsed.TotalMilliseconds:0} ms", null))
                : new ReplayOutcome(outcome, null);
        }
#pragma warning disable CA1031 // any exception escaping a decoder is a finding to report, not to crash on
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ReplayOutcome("", new ReplayFinding("unhandled exception", exception));
        }
    }
}

/// <summary>The outcome of a replay: the target's outcome signature and the finding, if any.</summary>
/// <param name="Outcome">The outcome signature.</param>
/// <param name="Finding">What went wrong, or null.</param>
public sealed record ReplayOutcome(string Outcome, ReplayFinding? Finding);

/// <summary>A problem found on replay.</summary>
/// <param name="Kind">Exception or slow input.</param>
/// <param name="Exception">The exception, or null.</param>
public sealed record ReplayFinding(string Kind, Exception? Exception);
