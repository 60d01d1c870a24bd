using BgpStack.Bgp.Transport;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Transport;

public class MessageReaderPropertyTests
{
    private static readonly Gen<byte[]> AnyMessage = Gen.OneOf(
        Gen.Constant(Frames.Keepalive()),
        Gen.Choose(23, 600).SelectMany(length => Gen.Choose(0, 255).Select(fill => Frames.Update(length, (byte)fill))),
        Gen.Choose(29, 200).Select(length => Frames.Message(1, length, 0xAA)),
        Gen.Choose(21, 80).Select(length => Frames.Message(3, length, 0x55)),
        Gen.Constant(Frames.Message(5, 23)));

    private static readonly Gen<(byte[][] Messages, int[] Cuts, int Cap)> Streams =
        from messages in Gen.ArrayOf(AnyMessage).Where(m => m.Length > 0)
        let total = messages.Sum(m => m.Length)
        from cuts in Gen.ArrayOf(Gen.Choose(1, total))
        from cap in Gen.Choose(1, 8)
        select (messages, cuts.Distinct().Order().ToArray(), cap);

    [Fact]
    public void A_stream_of_valid_messages_cut_anywhere_reads_back_identical()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Streams.ToArbitrary(), stream =>
        {
            var (messages, cuts, cap) = stream;
            var octets = messages.SelectMany(m => m).ToArray();
            var pipe = Frames.SmallSegmentPipe();
            var reader = new MessageReader(pipe.Reader);

            var writer = Task.Run(async () =>
            {
                var start = 0;
                foreach (var cut in cuts.Append(octets.Length))
                {
                    if (cut > start)
                    {
                        await pipe.Writer.WriteAsync(octets.AsMemory(start, cut - start));
                        start = cut;
                    }
                }

                await pipe.Writer.CompleteAsync();
            });

            var received = new List<byte[]>();
            var completed = false;
            for (var turn = 0; turn <= messages.Length + 1 && !completed; turn++)
            {
                using var batch = reader.ReadAsync(cap, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                Assert.Null(batch.FramingError);
                Assert.InRange(batch.Count, 0, cap);
                received.AddRange(Frames.ToList(batch));
                completed = batch.Completed;
            }

            writer.WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            Assert.True(completed);
            Assert.Equal(messages, received);
        }));
    }
}
