using BgpStack.Daemon.Config;

namespace BgpStack.Daemon.Tests.Config;

/// <summary>Whatever the text, parsing ends in a configuration or a <see cref="ConfigException"/> with positions, never another exception.</summary>
public class ConfigRobustnessTests
{
    private static readonly string[] Fragments =
    [
        ":", " ", "\n", "-", "[", "]", "{", "}", ",", "\"", "'", "#", "&a", "*a", "!!int", "~", "0", "65536", "4294967296",
        "true", "no", "::", "/", "le", "ge", "24", "ipv4-unicast", "  - ", "peers:", "self", "\t", "?", "|", ">", "%", "@",
    ];

    [Fact]
    public void Mutated_golden_files_parse_or_fail_with_positions()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Config", "golden");
        var seeds = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var random = new Random(20261122);
        var parsed = 0;
        for (var i = 0; i < 400; i++)
        {
            var text = seeds[random.Next(seeds.Length)];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                text = random.Next(3) switch
                {
                    0 => text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at)),
                    1 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                    _ => text.Remove(at, 1).Insert(at, Fragments[random.Next(Fragments.Length)]),
                };
            }

            try
            {
                var config = DaemonConfigFile.Parse(text, "mutated.yaml");
                Assert.Equal(config, DaemonConfigFile.Parse(DaemonConfigFile.Print(config), "printed"));
                parsed++;
            }
            catch (Exception e) when (e is not ConfigException && e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message} for:\n{text}");
            }
            catch (ConfigException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.True(error.Line >= 1 && error.Column >= 1, $"no position in '{error}' for:\n{text}"));
            }
        }

        // Some mutations land in comments-free places that stay valid; most do not.
        Assert.InRange(parsed, 1, 399);
    }
}
