using BgpStack.Rib;
using FsCheck;
using FsCheck.Fluent;
using static BgpStack.Netlink.Tests.Fib.FibHarness;

namespace BgpStack.Netlink.Tests.Fib;

public sealed class FibWriterPropertyTests
{
    private static readonly string[] Prefixes = ["10.1.0.0/24", "10.1.1.0/24", "10.2.0.0/16", "10.3.0.0/24", "2001:db8:100::/48"];
    private static readonly string[] Gateways4 = ["198.18.0.11", "198.18.0.12", "198.18.0.13", "198.18.0.14"];
    private static readonly string[] Gateways6 = ["2001:db8::11", "2001:db8::12", "2001:db8::13", "2001:db8::14"];
    private static readonly string[] Aggregates = ["10.200.0.0/26", "10.200.1.0/26"];

    /// <summary>One RIB change: kind 0 announce (or replace) a peer's path, 1 withdraw it, 2 originate an aggregate, 3 withdraw it.</summary>
    private readonly record struct Step(int Kind, int Peer, int Prefix, int Gateway);

    private static Gen<Step> Steps =>
        from kind in Gen.Frequency((4, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from peer in Gen.Choose(1, 3)
        from prefix in Gen.Choose(0, Prefixes.Length - 1)
        from gateway in Gen.Choose(0, Gateways4.Length - 1)
        select new Step(kind, peer, prefix, gateway);

    [Fact]
    public async Task Random_rib_change_sequences_leave_the_kernel_table_equal_to_the_model()
    {
        await using var fib = await StartAsync();

        // The model carries over from case to case, as the kernel table does.
        var paths = new Dictionary<(int Peer, int Prefix), int>();
        var aggregates = new HashSet<int>();
        var cases = 0;
        var property = Prop.ForAll(Gen.ListOf(Steps).ToArbitrary(), steps =>
        {
            cases++;
            Task.Run(() => RunCaseAsync(fib, steps, paths, aggregates)).GetAwaiter().GetResult();
            var expected = Expected(paths, aggregates);
            var held = fib.KernelRoutes();
            Assert.Equal(expected, held);
            Assert.Equal(expected.Count, fib.Writer.InstalledCount);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12).WithEndSize(40), property);

        Assert.True(cases >= 12);
        Assert.Empty(fib.Errors);
    }

    private static async Task RunCaseAsync(FibHarness fib, IEnumerable<Step> steps, Dictionary<(int, int), int> paths, HashSet<int> aggregates)
    {
        var i = 0;
        foreach (var step in steps)
        {
            var prefix = Prefixes[step.Prefix];
            var gateways = prefix.Contains(':', StringComparison.Ordinal) ? Gateways6 : Gateways4;
            RibUpdate update;
            switch (step.Kind)
            {
                case 0:
                    update = Announce(Peer(step.Peer), gateways[step.Gateway], prefix);
                    paths[(step.Peer, step.Prefix)] = step.Gateway;
                    break;
                case 1:
                    update = Withdraw(Peer(step.Peer), prefix);
                    _ = paths.Remove((step.Peer, step.Prefix));
                    break;
                case 2:
                    update = Announce(Local, null, Aggregates[step.Gateway % Aggregates.Length]);
                    _ = aggregates.Add(step.Gateway % Aggregates.Length);
                    break;
                default:
                    update = Withdraw(Local, Aggregates[step.Gateway % Aggregates.Length]);
                    _ = aggregates.Remove(step.Gateway % Aggregates.Length);
                    break;
            }

            await fib.Loop.PostAsync(update);

            // Settle now and then, so some changes reach the writer one by one and others coalesced.
            if (++i % 7 == 0)
            {
                await fib.SettleAsync();
            }
        }

        await fib.SettleAsync();
    }

    // Every peer's path is eBGP with the same AS_PATH, so all of a prefix's paths form its ECMP set.
    private static SortedSet<string> Expected(Dictionary<(int Peer, int Prefix), int> paths, HashSet<int> aggregates)
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in paths.GroupBy(p => p.Key.Prefix))
        {
            var prefix = Prefixes[group.Key];
            var gateways = prefix.Contains(':', StringComparison.Ordinal) ? Gateways6 : Gateways4;
            _ = expected.Add(Unicast(prefix, [.. group.Select(p => gateways[p.Value]).Distinct()]));
        }

        foreach (var aggregate in aggregates)
        {
            _ = expected.Add(Blackhole(Aggregates[aggregate]));
        }

        return expected;
    }
}
