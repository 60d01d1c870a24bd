using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Wire;

public class FramingTests
{
    [Fact]
    public void Fewer_than_19_octets_needs_more_data()
    {
        var status = BgpHeader.TryRead(new byte[18], CodecContext.Default, out _, out var error);
        Assert.Equal(FramingStatus.NeedMoreData, status);
        Assert.Null(error);
    }

    [Fact]
    public void Marker_not_all_ones_is_connection_not_synchronized_1_1()
    {
        var message = Hex.Message(4, "");
        message[7] = 0xFE;
        var status = BgpHeader.TryRead(message, CodecContext.Default, out _, out var error);
        Assert.Equal(FramingStatus.Invalid, status);
        Assert.Equal(NotificationCode.MessageHeaderError, error!.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, error.Subcode);
        Assert.Empty(error.Data);
    }

    [Theory]
    [InlineData(18, 2)]      // shorter than a header
    [InlineData(4097, 2)]    // longer than 4096 without extended messages
    [InlineData(65535, 2)]
    public void Length_out_of_range_is_bad_message_length_1_2_with_the_length_as_data(int length, int type)
    {
        var message = Hex.Message((byte)type, "");
        message[16] = (byte)(length >> 8);
        message[17] = (byte)length;
        var status = BgpHeader.TryRead(message, CodecContext.Default, out _, out var error);
        Assert.Equal(FramingStatus.Invalid, status);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, error!.Subcode);
        Assert.Equal(new[] { (byte)(length >> 8), (byte)length }, error.Data.AsSpan().ToArray());
    }

    [Fact]
    public void Extended_message_allows_65535_for_update_but_not_for_open_or_keepalive()
    {
        var extended = CodecContext.Default with { ExtendedMessage = true };
        var update = Hex.Message(2, "");
        update[16] = 0xFF;
        update[17] = 0xFF;
        Assert.Equal(FramingStatus.Valid, BgpHeader.TryRead(update, extended, out var header, out _));
        Assert.Equal(65535, header.Length);

        var open = (byte[])update.Clone();
        open[18] = 1;
        Assert.Equal(FramingStatus.Invalid, BgpHeader.TryRead(open, extended, out _, out var error));
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, error!.Subcode);
    }

    [Theory]
    [InlineData(1, 28)] // OPEN below 29
    [InlineData(2, 22)] // UPDATE below 23
    [InlineData(3, 20)] // NOTIFICATION below 21
    [InlineData(4, 20)] // KEEPALIVE not 19
    public void Length_below_the_minimum_of_the_type_is_bad_message_length(int type, int length)
    {
        var message = Hex.Message((byte)type, new string('0', (length - 19) * 2));
        var status = BgpHeader.TryRead(message, CodecContext.Default, out _, out var error);
        Assert.Equal(FramingStatus.Invalid, status);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, error!.Subcode);
        Assert.Equal(new byte[] { 0, (byte)length }, error.Data.AsSpan().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(255)]
    public void Unknown_type_is_bad_message_type_1_3_with_the_type_as_data(int type)
    {
        var message = Hex.Message((byte)type, "");
        var status = BgpHeader.TryRead(message, CodecContext.Default, out _, out var error);
        Assert.Equal(FramingStatus.Invalid, status);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageType, error!.Subcode);
        Assert.Equal(new[] { (byte)type }, error.Data.AsSpan().ToArray());
    }

    [Fact]
    public void Keepalive_round_trips()
    {
        var bytes = KeepaliveMessage.Instance.ToBytes(CodecContext.Default);
        Assert.Equal(Hex.Message(4, ""), bytes);
        var decoded = BgpMessage.Decode(bytes, CodecContext.Default);
        Assert.Same(KeepaliveMessage.Instance, decoded.Value);
    }

    [Fact]
    public void Try_decode_next_walks_a_stream_of_messages_and_waits_for_partial_ones()
    {
        var one = KeepaliveMessage.Instance.ToBytes(CodecContext.Default);
        var stream = one.Concat(one).Concat(one.AsSpan(0, 10).ToArray()).ToArray();
        var span = stream.AsSpan();
        var count = 0;
        while (BgpMessage.TryDecodeNext(span, CodecContext.Default, out var result, out var consumed))
        {
            Assert.True(result.IsSuccess);
            span = span[consumed..];
            count++;
        }

        Assert.Equal(2, count);
        Assert.Equal(10, span.Length);
    }
}
