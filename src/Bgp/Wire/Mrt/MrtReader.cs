using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// Reads MRT records (RFC 6396) one at a time from a file or stream, plain or compressed with
/// gzip or bzip2 (found by their magic numbers), so a full-table dump never has to fit in memory.
/// Record bodies are read into one pooled buffer that grows only to the largest record seen.
/// Malformed content yields <see cref="MalformedMrtRecord"/>s and never throws; only I/O errors do.
/// A record whose length cannot be trusted (over <see cref="MaxRecordLength"/>) or that is cut short
/// ends the stream, since nothing after it can be found again; so does a read that throws
/// (an I/O error or a cancellation), since it may have consumed part of a record. One reader
/// serves one consumer at a time: it is not thread-safe.
/// </summary>
public sealed class MrtReader : IDisposable, IAsyncDisposable
{
    /// <summary>The longest record body accepted: 16 MiB, far above any real record.</summary>
    public const int MaxRecordLength = 16 * 1024 * 1024;

    private const int InitialBufferLength = 64 * 1024;
    private const int DecompressedBufferLength = 64 * 1024;

    private readonly Stream source;
    private readonly bool leaveOpen;
    private Stream? input;
    private byte[] buffer;
    private bool finished;
    private bool disposed;

    /// <summary>Reads records from a stream, detecting gzip and bzip2 from its first octets.</summary>
    /// <param name="stream">The stream, positioned at the first record (or the compressed data).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    public MrtReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        source = stream;
        this.leaveOpen = leaveOpen;
        buffer = ArrayPool<byte>.Shared.Rent(InitialBufferLength);
    }

    /// <summary>Opens an MRT file for reading (plain, <c>.gz</c> or <c>.bz2</c>: the content decides, not the name).</summary>
    /// <param name="path">The file path.</param>
    public static MrtReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan | FileOptions.Asynchronous));

    /// <summary>The compression found at the start of the input (<see cref="MrtCompression.Unknown"/> before the first read).</summary>
    public MrtCompression Compression { get; private set; }

    /// <summary>The current size of the record buffer: it grows to the largest record read, never to the whole input.</summary>
    public int BufferCapacity => buffer.Length;

    /// <summary>The number of records returned so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="record">The record, malformed ones included.</param>
    /// <returns>False at the end of the input (or after a record that ended it).</returns>
    /// <exception cref="IOException">Reading the input failed.</exception>
    public bool TryReadNext([NotNullWhen(true)] out MrtRecord? record)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        record = null;
        if (finished)
        {
            return false;
        }

        if (input is null)
        {
            var peek = new byte[3];
            input = DetectCompression(source.ReadAtLeast(peek, peek.Length, throwOnEndOfStream: false), peek);
        }

        try
        {
            var read = Fill(input, buffer.AsSpan(0, MrtHeader.Size), out var corruption);
            if (!StartRecord(read, corruption, out record, out var bodyLength))
            {
                return record is not null;
            }

            read = bodyLength == 0 ? 0 : Fill(input, buffer.AsSpan(MrtHeader.Size, bodyLength), out corruption);
            record = FinishRecord(bodyLength, read, corruption);
            return true;
        }
        catch
        {
            // Part of a record may be gone; the next read could not find a record boundary.
            finished = true;
            throw;
        }
    }

    /// <summary>Reads the next record.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null at the end of the input (or after a record that ended it).</returns>
    /// <exception cref="IOException">Reading the input failed.</exception>
    public async ValueTask<MrtRecord?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (finished)
        {
            return null;
        }

        if (input is null)
        {
            var peek = new byte[3];
            var peeked = await source.ReadAtLeastAsync(peek, peek.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            input = DetectCompression(peeked, peek);
        }

        try
        {
            var (read, corruption) = await FillAsync(input, buffer.AsMemory(0, MrtHeader.Size), cancellationToken).ConfigureAwait(false);
            if (!StartRecord(read, corruption, out var record, out var bodyLength))
            {
                return record;
            }

            (read, corruption) = bodyLength == 0 ? (0, null) : await FillAsync(input, buffer.AsMemory(MrtHeader.Size, bodyLength), cancellationToken).ConfigureAwait(false);
            return FinishRecord(bodyLength, read, corruption);
        }
        catch
        {
            // Part of a record may be gone; the next read could not find a record boundary.
            finished = true;
            throw;
        }
    }

    /// <summary>Reads the remaining records lazily, one at a time.</summary>
    /// <exception cref="IOException">Reading the input failed.</exception>
    public IEnumerable<MrtRecord> ReadAll()
    {
        while (TryReadNext(out var record))
        {
            yield return record;
        }
    }

    /// <summary>Reads the remaining records lazily, one at a time.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="IOException">Reading the input failed.</exception>
    public async IAsyncEnumerable<MrtRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return record;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (input is not null)
        {
            input.Dispose();
        }
        else if (!leaveOpen)
        {
            source.Dispose();
        }

        ReturnBuffer();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (input is not null)
        {
            await input.DisposeAsync().ConfigureAwait(false);
        }
        else if (!leaveOpen)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        ReturnBuffer();
    }

    /// <summary>
    /// Reads until <paramref name="destination"/> is full or the input ends. Corrupt or cut-short
    /// compressed data is content, not an I/O failure: it is returned as <paramref name="corruption"/>.
    /// </summary>
    private int Fill(Stream stream, Span<byte> destination, out string? corruption)
    {
        corruption = null;
        var filled = 0;
        try
        {
            while (filled < destination.Length)
            {
                var read = stream.Read(destination[filled..]);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception e) when (IsCorruptCompressedData(e))
        {
            corruption = $"the {Compression} data is corrupt or cut short: {e.Message}";
        }

        return filled;
    }

    private async ValueTask<(int Read, string? Corruption)> FillAsync(Stream stream, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        try
        {
            while (filled < destination.Length)
            {
                var read = await stream.ReadAsync(destination[filled..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception e) when (IsCorruptCompressedData(e))
        {
            return (filled, $"the {Compression} data is corrupt or cut short: {e.Message}");
        }

        return (filled, null);
    }

    /// <summary>What the gzip and bzip2 decompressors throw for bad or truncated data (not for failing I/O).</summary>
    private bool IsCorruptCompressedData(Exception e) =>
        Compression is MrtCompression.Gzip or MrtCompression.Bzip2
        && e is InvalidDataException or EndOfStreamException or ICSharpCode.SharpZipLib.SharpZipBaseException;

    /// <summary>Wraps the input in a decompressor when its first octets are a gzip or bzip2 magic number.</summary>
    private Stream DetectCompression(int peeked, byte[] peek)
    {
        var start = new PrefixedStream(peek.AsMemory(0, peeked), source, leaveOpen);
        if (peeked >= 2 && peek[0] == 0x1F && peek[1] == 0x8B)
        {
            Compression = MrtCompression.Gzip;
            return new BufferedStream(new GZipStream(start, CompressionMode.Decompress, leaveOpen: false), DecompressedBufferLength);
        }

        if (peeked == 3 && peek[0] == (byte)'B' && peek[1] == (byte)'Z' && peek[2] == (byte)'h')
        {
            Compression = MrtCompression.Bzip2;
            return new BufferedStream(new ConcatenatedBzip2Stream(start), DecompressedBufferLength);
        }

        Compression = MrtCompression.None;
        return start;
    }

    /// <summary>Checks a header just read and makes room for its body; false when there is no body to read.</summary>
    private bool StartRecord(int read, string? corruption, out MrtRecord? record, out int bodyLength)
    {
        bodyLength = 0;
        record = null;
        if (read == 0 && corruption is null)
        {
            finished = true;
            return false;
        }

        if (read < MrtHeader.Size)
        {
            finished = true;
            record = Count(new MalformedMrtRecord(default, corruption ?? $"the input ends {read} octets into a record header", buffer.AsSpan(0, read)));
            return false;
        }

        MrtHeader.TryRead(buffer, out var header);
        if (header.Length > MaxRecordLength)
        {
            // The length cannot be trusted, so neither can any record boundary after it.
            finished = true;
            record = Count(new MalformedMrtRecord(header, $"record length {header.Length} exceeds the {MaxRecordLength}-octet limit", buffer.AsSpan(0, MrtHeader.Size)));
            return false;
        }

        bodyLength = (int)header.Length;
        EnsureCapacity(MrtHeader.Size + bodyLength);
        return true;
    }

    /// <summary>Decodes the record in the buffer, or reports it cut short.</summary>
    private MrtRecord FinishRecord(int bodyLength, int read, string? corruption)
    {
        if (read < bodyLength)
        {
            finished = true;
            MrtHeader.TryRead(buffer, out var header);
            return Count(new MalformedMrtRecord(header, corruption ?? $"the input ends {read} octets into a {bodyLength}-octet record body", buffer.AsSpan(0, MrtHeader.Size + read)));
        }

        var record = buffer.AsSpan(0, MrtHeader.Size + bodyLength);
        MrtHeader.TryRead(record, out var validHeader);
        return Count(MrtRecord.DecodeBody(validHeader, record));
    }

    private MrtRecord Count(MrtRecord record)
    {
        RecordCount++;
        return record;
    }

    private void EnsureCapacity(int length)
    {
        if (buffer.Length >= length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(length, buffer.Length * 2));
        buffer.AsSpan(0, MrtHeader.Size).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    private void ReturnBuffer()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
