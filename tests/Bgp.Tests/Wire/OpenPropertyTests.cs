using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Wire;

public class OpenPropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Decode_of_encode_is_the_open()
    {
        Check.One(Quick, Prop.ForAll(OpenGenerators.Open().ToArbitrary(), open =>
        {
            var bytes = open.ToBytes(CodecContext.Default);
            var decoded = BgpMessage.Decode(bytes, CodecContext.Default);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(open, decoded.Value);
            Assert.Equal(open.Layout, ((OpenMessage)decoded.Value!).Layout);
            Assert.Equal(open.ExtendedOptionalParameters, ((OpenMessage)decoded.Value!).ExtendedOptionalParameters);
        }));
    }

    [Fact]
    public void Encode_of_decode_is_the_same_octets()
    {
        Check.One(Quick, Prop.ForAll(OpenGenerators.Open().ToArbitrary(), open =>
        {
            var bytes = open.ToBytes(CodecContext.Default);
            var again = BgpMessage.Decode(bytes, CodecContext.Default).Value!.ToBytes(CodecContext.Default);
            Assert.Equal(bytes, again);
        }));
    }

    [Fact]
    public void Large_capabilities_round_trip_through_the_extended_format()
    {
        var gen = OpenGenerators.Open(OpenGenerators.CapabilityFullRange(), 10).Where(open => open.ToBytesFits());
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), open =>
        {
            var decoded = BgpMessage.Decode(open.ToBytes(CodecContext.Default), CodecContext.Default);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(open, decoded.Value);
        }));
    }

    [Fact]
    public void Large_capability_generator_often_needs_the_extended_format()
    {
        var samples = Gen.Sample(OpenGenerators.Open(OpenGenerators.CapabilityFullRange(), 10), 100, 200);
        var needing = samples.Count(open => OpenGenerators.NeedsExtendedParameters(open.Capabilities, open.Layout == OptionalParameterLayout.SingleParameter));
        Assert.InRange(needing, 20, 200);
    }

    [Fact]
    public void Every_capability_round_trips_alone()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(OpenGenerators.CapabilityFullRange().ToArbitrary(), capability =>
        {
            var bytes = OpenValidation.EncodeCapability(capability);
            Assert.Equal(bytes.Length - 2, bytes[1]);
            var decoded = CapabilityCodec.DecodeParameter(bytes);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(EquatableArray.Create(capability), decoded.Value);
        }));
    }

    [Fact]
    public void Unknown_codes_are_never_interpreted()
    {
        Check.One(Quick, Prop.ForAll(OpenGenerators.Unknown().ToArbitrary(), capability =>
        {
            var decoded = CapabilityCodec.DecodeParameter(OpenValidation.EncodeCapability(capability));
            Assert.IsType<UnknownCapability>(Assert.Single(decoded.Value));
        }));
    }

    [Fact]
    public void Damaged_opens_decode_to_a_value_or_an_error_without_throwing()
    {
        var gen =
            from open in OpenGenerators.Open()
            from cut in Gen.Choose(0, 100)
            from position in Gen.Choose(0, 4095)
            from flip in Gen.Choose(1, 255)
            select (open, cut, position, flip);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var body = sample.open.ToBytes(CodecContext.Default)[19..];
            body[sample.position % body.Length] ^= (byte)sample.flip;
            var damaged = body.AsSpan(0, Math.Max(0, body.Length - sample.cut));
            var result = OpenMessage.DecodeBody(damaged);
            Assert.True(result.IsSuccess || result.Error is not null);
            if (result.IsSuccess)
            {
                // Whatever decodes, re-encodes and decodes to the same model.
                Assert.Equal(result.Value, BgpMessage.Decode(result.Value!.ToBytes(CodecContext.Default), CodecContext.Default).Value);
            }
        }));
    }
}

internal static class OpenTestExtensions
{
    public static bool ToBytesFits(this OpenMessage open)
    {
        try
        {
            open.ToBytes(CodecContext.Default);
            return true;
        }
        catch (MessageTooLargeException)
        {
            return false;
        }
    }
}
