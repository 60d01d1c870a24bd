using System.Diagnostics;
using System.Security.Cryptography;
using BgpStack.Fuzz.Targets;

namespace BgpStack.Fuzz;

/// <summary>
/// The in-process mutation fuzzer for one target: it mutates corpus entries, keeps those that
/// produce an outcome not seen before (the feedback signal, since there is no coverage
/// instrumentation), and stops at the first finding: an exception, an input slower than
/// <see cref="DefaultSlowInputLimit"/> (by default), or a hang caught by a watchdog on the calling thread.
/// </summary>
public sealed class Fuzzer
{
    /// <summary>An input taking longer than this is a finding.</summary>
    public static readonly TimeSpan DefaultSlowInputLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>A single input still running after this long is a hang.</summary>
    public static readonly TimeSpan DefaultHangLimit = TimeSpan.FromSeconds(10);

    private const int MaxCorpusSize = 20_000;
    private const int MaxInputLength = 8192;

    private readonly FuzzTarget target;
    private readonly string root;
    private readonly TextWriter output;
    private readonly TimeSpan slowInputLimit;
    private readonly TimeSpan hangLimit;
    private readonly List<byte[]> corpus = [];
    private readonly HashSet<string> outcomes = new(StringComparer.Ordinal);
    private byte[] current = [];
    private long currentStarted;
    private long executions;
    private Finding? finding;

    /// <summary>Creates a fuzzer for <paramref name="target"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="root">The repository root (corpus and crasher folders).</param>
    /// <param name="output">Where to print progress and findings.</param>
    /// <param name="slowInputLimit">The time one input may take (<see cref="DefaultSlowInputLimit"/> when null).</param>
    /// <param name="hangLimit">The time after which a running input is a hang (<see cref="DefaultHangLimit"/> when null).</param>
    public Fuzzer(FuzzTarget target, string root, TextWriter output, TimeSpan? slowInputLimit = null, TimeSpan? hangLimit = null)
    {
        this.target = target;
        this.root = root;
        this.output = output;
        this.slowInputLimit = slowInputLimit ?? DefaultSlowInputLimit;
        this.hangLimit = hangLimit ?? DefaultHangLimit;
    }

    /// <summary>Fuzzes for <paramref name="duration"/>; returns 0 when nothing was found, 1 otherwise.</summary>
    /// <param name="duration">How long to fuzz.</param>
    /// <param name="seed">The seed of the mutation engine.</param>
    public int Run(TimeSpan duration, int seed)
    {
        foreach (var file in FuzzPaths.Files(FuzzPaths.Corpus(root, target.Name)))
        {
            corpus.Add(File.ReadAllBytes(file));
        }

        var seeds = corpus.Count;
        if (corpus.Count == 0)
        {
            corpus.Add([]);
        }

        var clock = Stopwatch.StartNew();
        var worker = new Thread(() => Loop(duration, seed), 16 * 1024 * 1024) { IsBackground = true, Name = "fuzz " + target.Name };
        Volatile.Write(ref currentStarted, Stopwatch.GetTimestamp());
        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(200)))
        {
            var started = Volatile.Read(ref currentStarted);
            if (Stopwatch.GetElapsedTime(started) > hangLimit)
            {
                // The worker cannot be stopped; report the input it is stuck on and let the process exit.
                Interlocked.CompareExchange(ref finding, new Finding(Volatile.Read(ref current), $"hang: one input still running after {hangLimit.TotalSeconds:0.#} s", null), null);
                break;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var count = Interlocked.Read(ref executions);
        output.WriteLine($"{target.Name}: {count} executions in {seconds:0.0} s ({count / Math.Max(seconds, 0.001):0} exec/s), corpus {Corpus()} ({seeds} seeds), {Outcomes()} distinct outcomes");
        var found = Volatile.Read(ref finding);
        if (found is null)
        {
            return 0;
        }

        Report(target, root, found, output);
        return 1;
    }

    private int Corpus()
    {
        lock (corpus)
        {
            return corpus.Count;
        }
    }

    private int Outcomes()
    {
        lock (corpus)
        {
            return outcomes.Count;
        }
    }

    private void Loop(TimeSpan duration, int seed)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random, MaxInputLength);
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        // The seeds first: a crashing seed is a finding, and running them warms up the JIT before timing counts.
        List<byte[]> seeds;
        lock (corpus)
        {
            seeds = [.. corpus];
        }

        foreach (var input in seeds)
        {
            if (!TryExecute(input, timed: false, out var outcome))
            {
                return;
            }

            lock (corpus)
            {
                outcomes.Add(outcome);
            }
        }

        while (Stopwatch.GetTimestamp() < deadline)
        {
            byte[] parent, other;
            lock (corpus)
            {
                parent = corpus[random.Next(corpus.Count)];
                other = corpus[random.Next(corpus.Count)];
            }

            var input = mutator.Mutate(parent, other);
            if (!TryExecute(input, timed: true, out var outcome))
            {
                return;
            }

            lock (corpus)
            {
                if (outcomes.Add(outcome) && corpus.Count < MaxCorpusSize)
                {
                    corpus.Add(input);
                }
            }
        }
    }

    private bool TryExecute(byte[] input, bool timed, out string outcome)
    {
        outcome = "";
        for (var attempt = 0; ; attempt++)
        {
            Volatile.Write(ref current, input);
            var started = Stopwatch.GetTimestamp();
            Volatile.Write(ref currentStarted, started);
            try
            {
                outcome = target.Execute(input);
            }
#pragma warning disable CA1031 // any exception escaping a decoder is exactly what the fuzzer looks for
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref finding, new Finding(input, "unhandled exception", exception), null);
                return false;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Interlocked.Increment(ref executions);
            Volatile.Write(ref currentStarted, Stopwatch.GetTimestamp());
            if (!timed || elapsed <= slowInputLimit)
            {
                return true;
            }

            // A garbage collection or a busy neighbour can stall one run; a slow input stays slow every time.
            if (attempt == 2)
            {
                Interlocked.CompareExchange(ref finding, new Finding(input, $"slow input: {elapsed.TotalMilliseconds:0} ms (limit {slowInputLimit.TotalMilliseconds:0} ms) on three runs", null), null);
                return false;
            }
        }
    }

    /// <summary>Writes a finding to fuzz/crashers/&lt;target&gt;/&lt;sha1&gt;.bin and prints it in hex.</summary>
    /// <param name="target">The target.</param>
    /// <param name="root">The repository root.</param>
    /// <param name="finding">The finding.</param>
    /// <param name="output">Where to print.</param>
    public static void Report(FuzzTarget target, string root, Finding finding, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(output);
        var directory = FuzzPaths.Crashers(root, target.Name);
        Directory.CreateDirectory(directory);
#pragma warning disable CA5350 // SHA-1 names files by content, the way libFuzzer names crashers; nothing relies on it for security
        var path = Path.Combine(directory, Convert.ToHexStringLower(SHA1.HashData(finding.Input)) + ".bin");
#pragma warning restore CA5350
        File.WriteAllBytes(path, finding.Input);
        output.WriteLine($"FINDING in target {target.Name}: {finding.Kind}");
        output.WriteLine($"input ({finding.Input.Length} octets) written to {path}");
        output.WriteLine(Convert.ToHexString(finding.Input));
        if (finding.Exception is not null)
        {
            output.WriteLine(finding.Exception.ToString());
        }
    }
}

/// <summary>What the fuzzer found: the input, what went wrong, and the exception if there was one.</summary>
/// <param name="Input">The input octets.</param>
/// <param name="Kind">Exception, slow input or hang.</param>
/// <param name="Exception">The exception, or null.</param>
public sealed record Finding(byte[] Input, string Kind, Exception? Exception);
