using BgpStack.Control;
using BgpStack.Ctl.Text;

namespace BgpStack.Ctl.Tests.Control;

public sealed class RoutesTextTests
{
    private static string Render(RoutesResult routes, string? prefix = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        RoutesText.Write(writer, routes, prefix);
        return writer.ToString();
    }

    [Fact]
    public void Routes_mark_best_multipath_and_stale_paths_and_say_why_the_best_won()
    {
        const string expected = """
            Flags: * best, = multipath, S stale

            10.244.1.0/24  3 paths, best by lower router ID
              *  198.18.0.2 (ebgp AS65002) via 198.18.0.2
                   as-path 65002, origin igp, med 10, communities 65001:100
              =  198.18.0.3 (ebgp AS65003) via 198.18.0.3
                   as-path 65003, origin igp, med 10
               S 198.18.0.4 (ebgp AS65004) via 198.18.0.4  (lost to 198.18.0.2 on shorter AS_PATH)
                   as-path 65004 65100, origin igp

            2001:db8:1::/48  1 path, best by being the only path
              *  static
                   as-path (empty), origin igp, local-pref 200, large-communities 65001:1:2

            10.9.0.0/16  1 path, none eligible
                 198.18.0.5 (ibgp AS65001) via 203.0.113.9 path-id 7  (ineligible: unreachable next hop)
                   as-path 65010, origin incomplete, local-pref 100, originator-id 198.18.0.7, cluster-list 198.18.0.1 198.18.0.8

            """;
        Assert.Equal(expected, Render(ControlSamples.Routes()));
    }

    [Fact]
    public void An_empty_answer_says_there_is_no_route()
    {
        Assert.Equal("No routes.\n", Render(new RoutesResult()));
        Assert.Equal("No route for 10.0.0.0/8.\n", Render(new RoutesResult(), "10.0.0.0/8"));
    }

    [Fact]
    public void Every_decision_step_reads_as_words()
    {
        foreach (var reason in Enum.GetNames<BgpStack.Rib.Decision.DecisionReason>())
        {
            var kebab = string.Concat(reason.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            Assert.NotEqual(kebab, RoutesText.Describe(kebab));
        }
    }
}
