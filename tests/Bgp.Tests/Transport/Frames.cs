using System.IO.Pipelines;
using BgpStack.Bgp.Transport;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>Message octets for framing tests: only headers matter to framing, so bodies are arbitrary octets.</summary>
internal static class Frames
{
    /// <summary>A message of <paramref name="type"/> whose whole length is <paramref name="length"/>, body filled with <paramref name="fill"/>.</summary>
    public static byte[] Message(byte type, int length, byte fill = 0)
    {
        var message = new byte[length];
        message.AsSpan(0, 16).Fill(0xFF);
        message[16] = (byte)(length >> 8);
        message[17] = (byte)length;
        message[18] = type;
        message.AsSpan(19).Fill(fill);
        return message;
    }

    /// <summary>A KEEPALIVE.</summary>
    public static byte[] Keepalive() => Message(4, 19);

    /// <summary>An UPDATE-typed message of the given length.</summary>
    public static byte[] Update(int length, byte fill = 0) => Message(2, length, fill);

    /// <summary>Everything in the batch, as arrays.</summary>
    public static List<byte[]> ToList(MessageBatch batch)
    {
        var list = new List<byte[]>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            list.Add(batch[i].ToArray());
        }

        return list;
    }

    /// <summary>A pipe with small segments, so headers and bodies straddle segment boundaries.</summary>
    public static Pipe SmallSegmentPipe() => new(new PipeOptions(minimumSegmentSize: 16, pauseWriterThreshold: 0, useSynchronizationContext: false));
}
