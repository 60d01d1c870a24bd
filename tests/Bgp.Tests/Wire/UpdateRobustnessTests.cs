using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Wire;

/// <summary>Peer input never throws, and whatever decodes cleanly re-encodes to something that decodes the same.</summary>
public class UpdateRobustnessTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1000);

    private static readonly Gen<byte[]> Mutated =
        from pair in UpdateGenerators.ContextAndUpdate
        let bytes = pair.Update.ToBytes(pair.Context)[19..]
        from flips in Gen.Choose(1, 4)
        from positions in Gen.ArrayOf(Gen.Choose(0, Math.Max(0, bytes.Length - 1)), flips)
        from values in Gen.ArrayOf(UpdateGenerators.Byte, flips)
        from cut in Gen.Choose(0, bytes.Length)
        select Mutate(bytes, positions, values, cut);

    private static byte[] Mutate(byte[] bytes, int[] positions, byte[] values, int cut)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < positions.Length && copy.Length > 0; i++)
        {
            copy[positions[i]] = values[i];
        }

        return cut % 3 == 0 ? copy[..cut] : copy;
    }

    private static void DecodeEverywhere(byte[] body)
    {
        foreach (var context in new[]
        {
            CodecContext.Default,
            new CodecContext { FourOctetAs = false },
            new CodecContext { AddPath = AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast },
        })
        {
            var result = UpdateMessage.DecodeBody(body, context);
            if (result.IsSuccess && result.Value!.AttributeErrors.IsEmpty)
            {
                var wide = context with { ExtendedMessage = true };
                var again = UpdateMessage.DecodeBody(result.Value.ToBytes(wide).AsSpan(19), context);
                Assert.True(again.IsSuccess, again.Error?.ToString());
                Assert.Equal(result.Value, again.Value);
            }

            _ = PathAttributeCodec.Decode(body, context, mrtRibEntry: false);
            _ = PathAttributeCodec.Decode(body, context, mrtRibEntry: true);
        }
    }

    [Fact]
    public void Random_octets_never_throw()
    {
        Check.One(Config, Prop.ForAll(UpdateGenerators.Bytes(200).ToArbitrary(), DecodeEverywhere));
    }

    [Fact]
    public void Mutated_valid_updates_never_throw_and_clean_decodes_are_stable()
    {
        Check.One(Config, Prop.ForAll(Mutated.ToArbitrary(), DecodeEverywhere));
    }
}
