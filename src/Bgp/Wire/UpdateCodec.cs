namespace BgpStack.Bgp.Wire;

/// <summary>UPDATE body codec. Being written: see issue 2.</summary>
internal static class UpdateCodec
{
    public static DecodeResult<UpdateMessage> Decode(ReadOnlySpan<byte> body, CodecContext context) => throw new NotSupportedException("UPDATE codec pending");

    public static void Encode(UpdateMessage message, ref SpanWriter writer, CodecContext context) => throw new NotSupportedException("UPDATE codec pending");
}
