using ICSharpCode.SharpZipLib.BZip2;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// Decompresses a bzip2 file made of several bzip2 streams one after another, as parallel
/// compressors (pbzip2, lbzip2) and <c>cat a.bz2 b.bz2</c> produce; a single
/// <see cref="BZip2InputStream"/> stops at the end of the first one.
/// </summary>
internal sealed class ConcatenatedBzip2Stream : Stream
{
    private readonly Stream compressed;
    private BZip2InputStream? current;

    /// <summary>Decompresses <paramref name="compressed"/>, which it owns.</summary>
    public ConcatenatedBzip2Stream(Stream compressed) => this.compressed = compressed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    // A forward-only stream has no length or position (the Stream contract for CanSeek == false).
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        if (count == 0)
        {
            return 0;
        }

        // Created on first read: the constructor already reads (and may reject) the stream header.
        current ??= new BZip2InputStream(compressed) { IsStreamOwner = false };
        while (true)
        {
            var read = current.Read(buffer, offset, count);
            if (read > 0)
            {
                return read;
            }

            // The bzip2 reader stops exactly after a stream's trailer, so any next stream starts here.
            var next = compressed.ReadByte();
            if (next < 0)
            {
                return 0;
            }

            current.Dispose();
            current = new BZip2InputStream(new PrefixedStream(new[] { (byte)next }, compressed, leaveOpen: true)) { IsStreamOwner = false };
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
            compressed.Dispose();
        }

        base.Dispose(disposing);
    }
}
