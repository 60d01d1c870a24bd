namespace BgpStack.Bgp.Wire;

/// <summary>OPEN body codec (RFC 4271 §4.2, RFC 5492, RFC 9072). Being written: see issue 2.</summary>
internal static class OpenCodec
{
    public static DecodeResult<OpenMessage> Decode(ReadOnlySpan<byte> body) => throw new NotSupportedException("OPEN codec pending");

    public static void Encode(OpenMessage message, ref SpanWriter writer) => throw new NotSupportedException("OPEN codec pending");
}
