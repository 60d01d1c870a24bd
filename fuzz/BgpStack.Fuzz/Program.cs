using System.Globalization;
using BgpStack.Fuzz;
using BgpStack.Fuzz.Targets;

// BgpStack.Fuzz: run --target NAME|all --seconds N [--seed S] | replay DIR|FILE [--target NAME] | seed
var output = Console.Out;
if (args.Length == 0)
{
    return Usage();
}

var root = FuzzPaths.RepositoryRoot();
switch (args[0])
{
    case "run":
        var targetName = Option("--target") ?? "all";
        var seconds = double.Parse(Option("--seconds") ?? "30", CultureInfo.InvariantCulture);
        var seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);
        var targets = Targets(targetName);
        if (targets is null)
        {
            return Usage();
        }

        var failed = 0;
        foreach (var target in targets)
        {
            output.WriteLine($"fuzzing {target.Name} for {seconds} s with seed {seed}");
            if (new Fuzzer(target, root, output).Run(TimeSpan.FromSeconds(seconds), seed) != 0)
            {
                return 1; // a hung worker cannot be stopped, so the first finding ends the run
            }
        }

        return failed;
    case "replay" when args.Length >= 2:
        var replayTargets = Targets(Option("--target") ?? "all");
        if (replayTargets is null)
        {
            return Usage();
        }

        var files = File.Exists(args[1]) ? [args[1]] : FuzzPaths.Files(args[1]);
        var findings = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            foreach (var target in replayTargets)
            {
                var outcome = Replay.Run(target, input);
                if (outcome.Finding is { } finding)
                {
                    findings++;
                    output.WriteLine($"{file}: {target.Name}: {finding.Kind}");
                    output.WriteLine(Convert.ToHexString(input));
                    output.WriteLine(finding.Exception?.ToString());
                }
            }
        }

        output.WriteLine($"replayed {files.Count} files through {replayTargets.Count} targets: {findings} findings");
        return findings == 0 ? 0 : 1;
    case "seed":
        output.WriteLine($"wrote {Seeds.Write(root)} new seed files under {Path.Combine(root, "fuzz", "corpus")}");
        return 0;
    default:
        return Usage();
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

IReadOnlyList<FuzzTarget>? Targets(string name)
{
    if (name == "all")
    {
        return FuzzTargets.All;
    }

    return FuzzTargets.Find(name) is { } target ? [target] : null;
}

int Usage()
{
    Console.Error.WriteLine("usage: BgpStack.Fuzz run --target NAME|all --seconds N [--seed S]");
    Console.Error.WriteLine("       BgpStack.Fuzz replay DIR|FILE [--target NAME|all]");
    Console.Error.WriteLine("       BgpStack.Fuzz seed");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)));
    return 2;
}
