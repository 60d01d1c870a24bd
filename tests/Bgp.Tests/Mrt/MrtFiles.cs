using System.IO.Compression;
using BgpStack.Bgp.Wire.Mrt;
using ICSharpCode.SharpZipLib.BZip2;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>Compresses test files and reads them back through <see cref="MrtReader"/>.</summary>
internal static class MrtFiles
{
    public static byte[] Gzip(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return output.ToArray();
    }

    public static byte[] Bzip2(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var bzip2 = new BZip2OutputStream(output) { IsStreamOwner = false })
        {
            bzip2.Write(plain);
        }

        return output.ToArray();
    }

    /// <summary>All records of a file image, read through a stream that cannot seek.</summary>
    public static List<MrtRecord> ReadAll(byte[] file)
    {
        using var reader = new MrtReader(new ForwardOnlyStream(file));
        return [.. reader.ReadAll()];
    }

    /// <summary>The one record a file image holds.</summary>
    public static T Single<T>(byte[] file)
        where T : MrtRecord => Assert.IsType<T>(Assert.Single(ReadAll(file)));
}

/// <summary>A read-only stream over an array that cannot seek, like a pipe or a network download.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Hand out at most 1000 octets per call, so records straddle reads.
        var count = Math.Min(Math.Min(buffer.Length, 1000), data.Length - position);
        data.AsSpan(position, count).CopyTo(buffer);
        position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
