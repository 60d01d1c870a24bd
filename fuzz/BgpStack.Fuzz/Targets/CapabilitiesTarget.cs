using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz.Targets;

/// <summary>
/// <c>CapabilityCodec.DecodeParameter</c>: the value of one Capabilities optional parameter. What
/// decodes must encode and decode again to the same capabilities.
/// </summary>
public sealed class CapabilitiesTarget : FuzzTarget
{
    /// <inheritdoc/>
    public override string Name => "capabilities";

    /// <inheritdoc/>
    public override string Execute(ReadOnlySpan<byte> input)
    {
        var result = CapabilityCodec.DecodeParameter(input);
        if (!result.TryGetValue(out var capabilities, out var error))
        {
            return FuzzContexts.Label(error);
        }

        var length = 0;
        foreach (var capability in capabilities)
        {
            length += CapabilityCodec.EncodedLength(capability);
        }

        var buffer = new byte[length];
        var writer = new SpanWriter(buffer);
        foreach (var capability in capabilities)
        {
            CapabilityCodec.Encode(capability, ref writer);
        }

        var written = writer.Position;
        FuzzInvariantException.Check(written == length, () => $"encoded {written} octets, EncodedLength says {length}");
        var again = CapabilityCodec.DecodeParameter(buffer);
        FuzzInvariantException.Check(again.IsSuccess, () => $"our own encoding of {capabilities} does not decode: {again.Error}");
        FuzzInvariantException.Check(again.Value == capabilities, () => $"round trip changed {capabilities} into {again.Value}");

        return "ok" + FuzzContexts.Shape(capabilities);
    }
}
