using BgpStack.Bgp.Wire.Mrt;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>Malformed content never throws: whatever the octets, decoding yields a record.</summary>
public class MrtDecodePropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static Gen<byte[]> Bytes(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    [Fact]
    public void Any_body_under_any_known_type_decodes_to_a_record_of_that_type()
    {
        var types = Gen.Elements(MrtType.TableDump, MrtType.TableDumpV2, MrtType.Bgp4mp, MrtType.Bgp4mpEt, MrtType.IsisEt, (MrtType)77);
        var gen = types.SelectMany(type => Gen.Choose(0, 13).SelectMany(subtype => Bytes(120).Select(body => (type, subtype, body))));
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var record = MrtRecord.Decode(MrtWriter.Record(1_700_000_000, sample.type, (ushort)sample.subtype, sample.body));
            Assert.Equal(sample.type, record.Type);
            Assert.Equal((ushort)sample.subtype, record.Subtype);
        }));
    }

    [Fact]
    public void Mutated_seed_records_never_throw_from_decode_or_the_reader()
    {
        var seeds = MrtSeeds.All.Select(s => s.Record).ToArray();
        var gen = Gen.Elements(seeds).SelectMany(seed =>
            Gen.ArrayOf(Gen.Choose(0, seed.Length - 1).SelectMany(at => Gen.Choose(0, 255).Select(value => (at, value))), 3)
                .SelectMany(flips => Gen.Choose(0, seed.Length).Select(cut =>
                {
                    var mutated = (byte[])seed.Clone();
                    foreach (var (at, value) in flips)
                    {
                        // Keep the record length honest half the time, so the body decoders are reached.
                        if (at >= MrtHeader.Size || value % 2 == 0)
                        {
                            mutated[at] = (byte)value;
                        }
                    }

                    return mutated[..cut];
                })));
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), mutated =>
        {
            Assert.NotNull(MrtRecord.Decode(mutated));
            using var reader = new MrtReader(new MemoryStream([.. mutated, .. mutated]));
            Assert.All(reader.ReadAll(), Assert.NotNull);
        }));
    }
}
