namespace BgpStack.Fuzz;

/// <summary>
/// Produces new inputs from corpus entries: generic byte-level mutations (bit flips, interesting
/// values, insert/delete/duplicate runs, splicing) and BGP-aware ones that rewrite the fields a
/// decoder trusts: 1- and 2-octet lengths, attribute flags and prefix lengths. Deterministic for a
/// given <see cref="Random"/> seed.
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x10, 0x20, 0x40];
    private static readonly byte[] AttributeFlagValues = [0x00, 0x10, 0x40, 0x50, 0x60, 0x80, 0x90, 0xC0, 0xD0, 0xE0, 0xF0, 0xFF];
    private static readonly byte[] PrefixLengths = [0, 1, 7, 8, 9, 15, 16, 17, 24, 25, 31, 32, 33, 48, 64, 120, 127, 128, 129, 255];

    private readonly Random random;
    private readonly int maxLength;

    /// <summary>Creates a mutator.</summary>
    /// <param name="random">The source of randomness (seeded for reproducible runs).</param>
    /// <param name="maxLength">The longest input to produce.</param>
    public Mutator(Random random, int maxLength)
    {
        this.random = random;
        this.maxLength = maxLength;
    }

    /// <summary>Returns a mutated copy of <paramref name="input"/>; <paramref name="other"/> is used for splicing.</summary>
    /// <param name="input">The corpus entry to start from.</param>
    /// <param name="other">A second corpus entry.</param>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        var rounds = 1 + random.Next(random.Next(2) == 0 ? 2 : 8);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, other);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        if (data.Count == 0)
        {
            data.Add((byte)random.Next(256));
            return;
        }

        var at = random.Next(data.Count);
        switch (random.Next(12))
        {
            case 0: // flip one bit
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // replace with an interesting value
                data[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2: // replace with a random value
                data[at] = (byte)random.Next(256);
                break;
            case 3: // add or subtract a little
                data[at] = (byte)(data[at] + random.Next(-4, 5));
                break;
            case 4: // insert a run
                var run = new byte[1 + random.Next(Math.Min(16, 1 + maxLength / 64))];
                if (random.Next(2) == 0)
                {
                    random.NextBytes(run);
                }
                else
                {
                    Array.Fill(run, InterestingBytes[random.Next(InterestingBytes.Length)]);
                }

                data.InsertRange(at, run);
                break;
            case 5: // delete a run
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            case 6: // duplicate a run
                var length = Math.Min(data.Count - at, 1 + random.Next(32));
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                break;
            case 7: // splice: our head, the other input's tail
                if (other.Length > 0)
                {
                    var from = random.Next(other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                }

                break;
            case 8: // a 1-octet length field: the remaining length, off by a little
                data[at] = (byte)Math.Clamp(data.Count - at - 1 + random.Next(-2, 3), 0, 255);
                break;
            case 9: // a 2-octet length field, same idea, or the BGP header length
                var position = random.Next(4) == 0 && data.Count >= 19 ? 16 : Math.Min(at, data.Count - 2);
                if (position >= 0 && data.Count >= 2)
                {
                    var remaining = position == 16 ? data.Count : data.Count - position - 2;
                    var value = random.Next(3) switch
                    {
                        0 => remaining + random.Next(-2, 3),
                        1 => random.Next(2) == 0 ? 0 : 0xFFFF,
                        _ => random.Next(0x10000),
                    };
                    value = Math.Clamp(value, 0, 0xFFFF);
                    data[position] = (byte)(value >> 8);
                    data[position + 1] = (byte)value;
                }

                break;
            case 10: // attribute flags
                data[at] = AttributeFlagValues[random.Next(AttributeFlagValues.Length)];
                break;
            default: // prefix length
                data[at] = PrefixLengths[random.Next(PrefixLengths.Length)];
                break;
        }
    }
}
