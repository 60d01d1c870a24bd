using BgpStack.Bgp.Transport;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Transport;

public class MessageReaderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Whole_messages_come_back_in_one_batch_with_their_types()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        byte[][] sent = [Frames.Keepalive(), Frames.Update(100, 7), Frames.Message(3, 21), Frames.Message(5, 23)];
        await pipe.Writer.WriteAsync(sent.SelectMany(m => m).ToArray());

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(sent, Frames.ToList(batch));
        Assert.Equal([BgpMessageType.Keepalive, BgpMessageType.Update, BgpMessageType.Notification, BgpMessageType.RouteRefresh],
            Enumerable.Range(0, batch.Count).Select(batch.TypeAt));
        Assert.Equal(sent.Sum(m => m.Length), batch.Length);
        Assert.False(batch.Completed);
        Assert.Null(batch.FramingError);
    }

    [Fact]
    public async Task Max_messages_caps_a_batch_and_the_next_read_returns_the_rest_without_waiting()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var sent = Enumerable.Range(0, 7).Select(i => Frames.Update(23 + i, (byte)i)).ToArray();
        await pipe.Writer.WriteAsync(sent.SelectMany(m => m).ToArray());

        using var first = await reader.ReadAsync(3, CancellationToken.None).AsTask().WaitAsync(Bound);
        using var second = await reader.ReadAsync(3, CancellationToken.None).AsTask().WaitAsync(Bound);
        using var third = await reader.ReadAsync(3, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(sent[..3], Frames.ToList(first));
        Assert.Equal(sent[3..6], Frames.ToList(second));
        Assert.Equal(sent[6..], Frames.ToList(third));
    }

    [Fact]
    public async Task A_partial_message_is_not_returned_until_it_is_whole()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var message = Frames.Update(300, 9);
        await pipe.Writer.WriteAsync(message.AsMemory(0, 150));

        var pending = reader.ReadAsync(10, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        await pipe.Writer.WriteAsync(message.AsMemory(150));
        using var batch = await pending.WaitAsync(Bound);
        Assert.Equal([message], Frames.ToList(batch));
    }

    [Fact]
    public async Task Marker_not_all_ones_is_framing_error_1_1_after_the_good_messages()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var good = Frames.Keepalive();
        var bad = Frames.Keepalive();
        bad[3] = 0x00;
        await pipe.Writer.WriteAsync(good.Concat(bad).ToArray());

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal([good], Frames.ToList(batch));
        Assert.NotNull(batch.FramingError);
        Assert.Equal(NotificationCode.MessageHeaderError, batch.FramingError.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, batch.FramingError.Subcode);
        Assert.Empty(batch.FramingError.Data);
        Assert.False(batch.Completed);
    }

    [Theory]
    [InlineData(2, 4097)]  // UPDATE longer than 4096 without extended messages
    [InlineData(2, 18)]    // shorter than a header
    [InlineData(4, 20)]    // KEEPALIVE must be exactly 19
    [InlineData(1, 28)]    // OPEN below 29
    public async Task Bad_length_is_framing_error_1_2_with_the_length_field_as_data(byte type, int length)
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var header = Frames.Message(type, 19);
        header[16] = (byte)(length >> 8);
        header[17] = (byte)length;
        await pipe.Writer.WriteAsync(header);

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(0, batch.Count);
        Assert.Equal(NotificationCode.MessageHeaderError, batch.FramingError!.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, batch.FramingError.Subcode);
        Assert.Equal(new[] { (byte)(length >> 8), (byte)length }, batch.FramingError.Data.AsSpan().ToArray());
    }

    [Fact]
    public async Task Unknown_type_is_framing_error_1_3_with_the_type_as_data_and_it_sticks()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Frames.Message(9, 19));

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
        using var again = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageType, batch.FramingError!.Subcode);
        Assert.Equal(new byte[] { 9 }, batch.FramingError.Data.AsSpan().ToArray());
        Assert.Equal(batch.FramingError, again.FramingError);
    }

    [Fact]
    public async Task A_header_error_is_found_before_the_body_arrives()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var header = Frames.Message(2, 19);
        header[16] = 0x20; // 8192 octets announced
        header[17] = 0x00;
        await pipe.Writer.WriteAsync(header);

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, batch.FramingError!.Subcode);
    }

    [Fact]
    public async Task Extended_message_context_admits_65535_octet_updates()
    {
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        var reader = new MessageReader(pipe.Reader) { Context = CodecContext.Default with { ExtendedMessage = true } };
        var big = Frames.Update(65535, 3);
        await pipe.Writer.WriteAsync(big);

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal([big], Frames.ToList(batch));
    }

    [Fact]
    public async Task End_of_stream_comes_with_the_last_messages_and_drops_a_partial_tail()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        var last = Frames.Update(40, 1);
        await pipe.Writer.WriteAsync(last.Concat(Frames.Update(50).Take(30)).ToArray());
        await pipe.Writer.CompleteAsync();

        using var batch = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);
        using var after = await reader.ReadAsync(10, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal([last], Frames.ToList(batch));
        Assert.True(batch.Completed);
        Assert.True(after.Completed);
        Assert.Equal(0, after.Count);
    }

    [Fact]
    public async Task End_of_stream_waits_behind_the_cap()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Frames.Keepalive().Concat(Frames.Keepalive()).ToArray());
        await pipe.Writer.CompleteAsync();

        using var first = await reader.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Bound);
        using var second = await reader.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(1, first.Count);
        Assert.False(first.Completed);
        Assert.Equal(1, second.Count);
        Assert.True(second.Completed);
    }

    [Fact]
    public async Task A_disposed_batch_refuses_access_and_disposing_twice_is_harmless()
    {
        var pipe = Frames.SmallSegmentPipe();
        var reader = new MessageReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Frames.Keepalive());
        var batch = await reader.ReadAsync(1, CancellationToken.None).AsTask().WaitAsync(Bound);

        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch[1]);
        Assert.Equal(19, batch.Length);
    }
}
