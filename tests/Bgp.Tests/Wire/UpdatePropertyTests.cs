using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Wire;

public class UpdatePropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static UpdateMessage RoundTrip(UpdateMessage message, CodecContext context)
    {
        var bytes = message.ToBytes(context);
        var decoded = BgpMessage.Decode(bytes, context);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return (UpdateMessage)decoded.Value!;
    }

    [Fact]
    public void Decode_of_encode_is_identity_for_random_updates_in_2_and_4_octet_contexts_with_and_without_add_path()
    {
        Check.One(Config, Prop.ForAll(UpdateGenerators.ContextAndUpdate.ToArbitrary(), pair =>
        {
            var decoded = RoundTrip(pair.Update, pair.Context);
            Assert.Equal(pair.Update, decoded);
            Assert.Empty(decoded.AttributeErrors);
        }));
    }

    [Fact]
    public void Encoding_is_canonical_re_encoding_the_decoded_message_gives_the_same_octets()
    {
        Check.One(Config, Prop.ForAll(UpdateGenerators.ContextAndUpdate.ToArbitrary(), pair =>
        {
            var bytes = pair.Update.ToBytes(pair.Context);
            var decoded = (UpdateMessage)BgpMessage.Decode(bytes, pair.Context).Value!;
            Assert.Equal(bytes, decoded.ToBytes(pair.Context));
        }));
    }

    [Fact]
    public void Each_path_attribute_set_round_trips_alone()
    {
        foreach (var four in new[] { true, false })
        {
            var context = new CodecContext { FourOctetAs = four };
            Check.One(Config, Prop.ForAll(UpdateGenerators.PathAttributes(four).ToArbitrary(), attributes =>
            {
                var message = new UpdateMessage { Attributes = attributes };
                var decoded = RoundTrip(message, context);
                Assert.Equal(attributes, decoded.Attributes);
            }));
        }
    }

    [Fact]
    public void Mp_reach_and_mp_unreach_round_trip_for_every_family_kind()
    {
        var context = new CodecContext { AddPath = AddPathFamilies.Ipv6Unicast };
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty };
        Check.One(Config, Prop.ForAll(Gen.Zip(UpdateGenerators.MpReach(context), UpdateGenerators.MpUnreach(context)).ToArbitrary(), pair =>
        {
            var message = new UpdateMessage { Attributes = attributes, MpReach = pair.Item1, MpUnreach = pair.Item2 };
            Assert.Equal(message, RoundTrip(message, context));
        }));
    }
}
