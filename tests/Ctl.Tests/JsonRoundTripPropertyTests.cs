using System.Text.Json;
using BgpStack.Bgp.Tests.Generators;
using BgpStack.Bgp.Wire;
using BgpStack.Ctl.Json;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Ctl.Tests;

public sealed class JsonRoundTripPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<BgpMessage> SmallMessage = Gen.OneOf(
        Gen.Constant<BgpMessage>(KeepaliveMessage.Instance),
        from code in Gen.Choose(1, 255)
        from subcode in Gen.Choose(0, 255)
        from data in UpdateGenerators.Bytes(64)
        select (BgpMessage)new NotificationMessage((NotificationCode)code, (byte)subcode, data),
        from text in Gen.Elements("maintenance", "upgrade ✓", "日本", "x")
        from subcode in Gen.Elements(CeaseSubcode.AdministrativeShutdown, CeaseSubcode.AdministrativeReset)
        select (BgpMessage)NotificationMessage.Shutdown(subcode, text),
        from family in OpenGenerators.Family()
        from subtype in Gen.Choose(0, 255)
        select (BgpMessage)new RouteRefreshMessage(family, (RouteRefreshSubtype)subtype));

    /// <summary>
    /// Decodes <paramref name="bytes"/>, writes the JSON the CLI prints, reads it back and encodes
    /// it: the octets must be the same, and the model read must be the model decoded.
    /// </summary>
    private static void AssertRoundTrip(byte[] bytes, CodecContext context)
    {
        var decoded = DecodedMessage.DecodeAll(bytes, context);
        var single = Assert.Single(decoded);
        Assert.True(single.Error is null, single.Error?.ToString());

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            MessageJsonWriter.WriteDecoded(writer, single, context);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        var read = MessageJsonReader.ReadMessage(document.RootElement, "$");
        Assert.Equal(single.Message, read);
        Assert.Equal(bytes, read.ToBytes(context));
    }

    [Fact]
    public void Json_of_decoded_update_encodes_back_to_the_same_octets_in_every_context()
    {
        Check.One(Config, Prop.ForAll(UpdateGenerators.ContextAndUpdate.ToArbitrary(), pair =>
            AssertRoundTrip(pair.Update.ToBytes(pair.Context), pair.Context)));
    }

    [Fact]
    public void Json_of_decoded_open_encodes_back_to_the_same_octets()
    {
        Check.One(Config, Prop.ForAll(OpenGenerators.Open().ToArbitrary(), open =>
            AssertRoundTrip(open.ToBytes(CodecContext.Default), CodecContext.Default)));
    }

    [Fact]
    public void Json_of_decoded_notification_route_refresh_and_keepalive_encodes_back_to_the_same_octets()
    {
        Check.One(Config, Prop.ForAll(SmallMessage.ToArbitrary(), message =>
            AssertRoundTrip(message.ToBytes(CodecContext.Default), CodecContext.Default)));
    }
}
