namespace BgpStack.Rib;

/// <summary>
/// A resumable walk over the prefixes of a table in <see cref="IpPrefix"/> order, a bounded chunk
/// at a time, for a table that may change between chunks and whose enumerators do not survive a
/// change: the walk keeps a stack of address ranges still to visit, and splits a range too big
/// for the chunk into its own prefix and its two halves.
/// </summary>
internal sealed class PrefixWalk
{
    private readonly Stack<IpPrefix> ranges = new();
    private readonly List<IpPrefix> scratch = [];

    /// <summary>Starts a walk over <paramref name="scope"/> and its more-specifics, or over both whole families.</summary>
    public PrefixWalk(IpPrefix? scope = null)
    {
        if (scope is { } range)
        {
            ranges.Push(range);
        }
        else
        {
            ranges.Push(IpPrefix.FromIPv6(UInt128.Zero, 0));
            ranges.Push(IpPrefix.FromIPv4(0, 0));
        }
    }

    /// <summary>True when every range is walked.</summary>
    public bool IsDone => ranges.Count == 0;

    /// <summary>Visits up to about <paramref name="budget"/> prefixes.</summary>
    /// <param name="budget">How many prefixes to look at in this chunk.</param>
    /// <param name="collect">Adds the table's prefixes within a range (the range itself included), in order, stopping after the given count.</param>
    /// <param name="canContinue">Checked before each range; false pauses the walk.</param>
    /// <param name="visit">Called for each prefix, in order.</param>
    /// <returns>True when the walk is done.</returns>
    public bool Advance(int budget, Action<IpPrefix, int, List<IpPrefix>> collect, Func<bool> canContinue, Action<IpPrefix> visit)
    {
        while (budget > 0 && ranges.Count > 0 && canContinue())
        {
            var range = ranges.Pop();
            scratch.Clear();
            collect(range, budget + 1, scratch);
            if (scratch.Count <= budget || range.Length == range.MaxLength)
            {
                foreach (var prefix in scratch)
                {
                    visit(prefix);
                }

                budget -= Math.Max(scratch.Count, 1);
                continue;
            }

            if (scratch[0] == range)
            {
                visit(range);
            }

            budget--;
            var (left, right) = Halves(range);
            ranges.Push(right);
            ranges.Push(left);
        }

        return IsDone;
    }

    /// <summary>The two halves of a range, one bit longer.</summary>
    public static (IpPrefix Left, IpPrefix Right) Halves(IpPrefix range)
    {
        var length = range.Length + 1;
        if (range.IsIPv6)
        {
            return (IpPrefix.FromIPv6(range.Ipv6Bits, length), IpPrefix.FromIPv6(range.Ipv6Bits | (UInt128.One << (128 - length)), length));
        }

        return (IpPrefix.FromIPv4(range.Ipv4Bits, length), IpPrefix.FromIPv4(range.Ipv4Bits | (1u << (32 - length)), length));
    }
}
