namespace BgpStack.Bgp.Wire;

/// <summary>Capability codec (RFC 5492 and the capability RFCs). Being written: see issue 2.</summary>
internal static class CapabilityCodec
{
    /// <summary>Decodes the value of one Capabilities optional parameter: a sequence of (code, length, value).</summary>
    public static DecodeResult<EquatableArray<Capability>> DecodeParameter(ReadOnlySpan<byte> value) =>
        throw new NotSupportedException("capability codec pending");
}
