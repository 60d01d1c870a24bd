using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

public class MrtReaderTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("198.18.0.2");
    private static readonly IPAddress Local = IPAddress.Parse("198.18.0.1");

    /// <summary>A small file of records that decode without the UPDATE and attribute codecs.</summary>
    private static byte[] SampleFile() => File(
        PeerIndexTable(RouterId.Parse("192.0.2.254"), "view", [new PeerSpec(RouterId.Parse("192.0.2.1"), Peer, 65001)], seconds: 100),
        Bgp4mpStateChange(true, 65001, 65000, Peer, Local, 1, 2, seconds: 101),
        Bgp4mpMessage(Bgp4mpSubtype.MessageAs4, 65001, 65000, Peer, Local, Keepalive(), seconds: 102, microseconds: 5),
        Record(103, (MrtType)99, 1, [7, 7, 7]));

    private static void AssertSample(IReadOnlyList<MrtRecord> records)
    {
        Assert.Equal(4, records.Count);
        Assert.Equal("view", Assert.IsType<PeerIndexTableRecord>(records[0]).ViewName);
        Assert.Equal(Bgp4mpPeerState.Connect, Assert.IsType<Bgp4mpStateChangeRecord>(records[1]).NewState);
        var message = Assert.IsType<Bgp4mpMessageRecord>(records[2]);
        Assert.IsType<KeepaliveMessage>(message.Message);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(102).AddTicks(50), message.Timestamp);
        var unknown = Assert.IsType<UnknownMrtRecord>(records[3]);
        Assert.Equal((MrtType)99, unknown.Type);
        Assert.Equal([7, 7, 7], unknown.Body.ToArray());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(103), unknown.Timestamp);
    }

    [Fact]
    public void Plain_file_reads_back_every_record()
    {
        using var reader = new MrtReader(new MemoryStream(SampleFile()));
        AssertSample([.. reader.ReadAll()]);
        Assert.Equal(MrtCompression.None, reader.Compression);
        Assert.Equal(4, reader.RecordCount);
        Assert.False(reader.TryReadNext(out _));
    }

    [Fact]
    public void Gzip_file_is_detected_and_decompressed_while_reading()
    {
        using var reader = new MrtReader(new ForwardOnlyStream(MrtFiles.Gzip(SampleFile())));
        AssertSample([.. reader.ReadAll()]);
        Assert.Equal(MrtCompression.Gzip, reader.Compression);
    }

    [Fact]
    public void Bzip2_file_is_detected_and_decompressed_while_reading()
    {
        using var reader = new MrtReader(new ForwardOnlyStream(MrtFiles.Bzip2(SampleFile())));
        AssertSample([.. reader.ReadAll()]);
        Assert.Equal(MrtCompression.Bzip2, reader.Compression);
    }

    [Fact]
    public void Concatenated_bzip2_streams_and_gzip_members_read_as_one_file()
    {
        var plain = SampleFile();
        foreach (var image in new[] { (byte[])[.. MrtFiles.Bzip2(plain), .. MrtFiles.Bzip2(plain)], [.. MrtFiles.Gzip(plain), .. MrtFiles.Gzip(plain)] })
        {
            var records = MrtFiles.ReadAll(image);
            Assert.Equal(8, records.Count);
            AssertSample(records[..4]);
            AssertSample(records[4..]);
        }
    }

    [Fact]
    public void Cut_short_bzip2_is_a_malformed_record_not_an_exception()
    {
        var bzip2 = MrtFiles.Bzip2(SampleFile());
        var records = MrtFiles.ReadAll(bzip2[..(bzip2.Length / 2)]);
        var malformed = Assert.IsType<MalformedMrtRecord>(Assert.Single(records));
        Assert.Contains("Bzip2 data is corrupt or cut short", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_is_a_malformed_record_not_an_exception()
    {
        var gzip = MrtFiles.Gzip(SampleFile());
        gzip.AsSpan(10).Fill(0xFF);
        var malformed = Assert.IsType<MalformedMrtRecord>(Assert.Single(MrtFiles.ReadAll(gzip)));
        Assert.Contains("Gzip data is corrupt or cut short", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cut_short_bzip2_read_asynchronously_is_malformed_too()
    {
        var bzip2 = MrtFiles.Bzip2(SampleFile());
        await using var reader = new MrtReader(new MemoryStream(bzip2[..(bzip2.Length / 2)]));
        var malformed = Assert.IsType<MalformedMrtRecord>(await reader.ReadNextAsync());
        Assert.Contains("corrupt or cut short", malformed.Reason, StringComparison.Ordinal);
        Assert.Null(await reader.ReadNextAsync());
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("gz")]
    [InlineData("bz2")]
    public async Task Files_open_by_path_and_read_asynchronously(string kind)
    {
        var plain = SampleFile();
        var path = Path.Combine(Path.GetTempPath(), $"bgpstack-mrt-{Guid.NewGuid():N}.{kind}");
        await System.IO.File.WriteAllBytesAsync(path, kind switch { "gz" => MrtFiles.Gzip(plain), "bz2" => MrtFiles.Bzip2(plain), _ => plain });
        try
        {
            var records = new List<MrtRecord>();
            await using (var reader = MrtReader.Open(path))
            {
                await foreach (var record in reader.ReadAllAsync())
                {
                    records.Add(record);
                }

                Assert.Null(await reader.ReadNextAsync());
            }

            AssertSample(records);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task Async_reading_honours_cancellation()
    {
        await using var reader = new MrtReader(new MemoryStream(SampleFile()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadNextAsync(cancelled.Token));
    }

    [Fact]
    public void An_io_error_inside_a_record_throws_and_ends_the_reader()
    {
        var file = SampleFile();
        using var reader = new MrtReader(new FailingStream(file, failAt: file.Length - 5));
        var records = new List<MrtRecord>();
        Assert.Throws<IOException>(() =>
        {
            while (reader.TryReadNext(out var record))
            {
                records.Add(record);
            }
        });
        Assert.Equal(3, records.Count);
        Assert.False(reader.TryReadNext(out _));
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        using var reader = new MrtReader(new MemoryStream([]));
        Assert.False(reader.TryReadNext(out var record));
        Assert.Null(record);
        Assert.Empty(MrtFiles.ReadAll(MrtFiles.Gzip([])));
    }

    [Fact]
    public void Truncated_final_record_is_malformed_and_ends_the_stream()
    {
        var last = Bgp4mpStateChange(false, 65001, 65000, Peer, Local, 6, 1, seconds: 200);
        var file = File(SampleFile(), last.AsSpan(0, last.Length - 3).ToArray());
        foreach (var image in new[] { file, MrtFiles.Gzip(file), MrtFiles.Bzip2(file) })
        {
            var records = MrtFiles.ReadAll(image);
            Assert.Equal(5, records.Count);
            AssertSample(records[..4]);
            var malformed = Assert.IsType<MalformedMrtRecord>(records[4]);
            Assert.Equal(MrtType.Bgp4mp, malformed.Type);
            Assert.Equal((ushort)Bgp4mpSubtype.StateChange, malformed.Subtype);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(200), malformed.Timestamp);
            Assert.Equal(last[..^3], malformed.Bytes.ToArray());
            Assert.Contains("input ends", malformed.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Truncated_final_header_is_malformed()
    {
        var records = MrtFiles.ReadAll(File(SampleFile(), [0, 0, 0, 1, 0]));
        Assert.Equal(5, records.Count);
        var malformed = Assert.IsType<MalformedMrtRecord>(records[4]);
        Assert.Equal([0, 0, 0, 1, 0], malformed.Bytes.ToArray());
        Assert.Contains("5 octets into a record header", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversize_length_is_malformed_and_stops_reading()
    {
        var huge = new MrtWriter.Octets().U32(300).U16((ushort)MrtType.Bgp4mp).U16(1).U32(MrtReader.MaxRecordLength + 1u).ToArray();
        var file = File(SampleFile(), huge, SampleFile());
        using var reader = new MrtReader(new MemoryStream(file));
        var records = reader.ReadAll().ToList();
        Assert.Equal(5, records.Count);
        var malformed = Assert.IsType<MalformedMrtRecord>(records[4]);
        Assert.Equal((uint)MrtReader.MaxRecordLength + 1, malformed.Header.Length);
        Assert.Contains("exceeds", malformed.Reason, StringComparison.Ordinal);
        Assert.Equal(huge, malformed.Bytes.ToArray());
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.BufferCapacity < 1024 * 1024, "the reader must not allocate for a length it refused");
    }

    [Fact]
    public void A_record_larger_than_the_initial_buffer_grows_it_once()
    {
        var big = Record(1, (MrtType)200, 0, new byte[200_000]);
        using var reader = new MrtReader(new MemoryStream(File(big, SampleFile())));
        var records = reader.ReadAll().ToList();
        Assert.Equal(200_000, Assert.IsType<UnknownMrtRecord>(records[0]).Body.Count);
        AssertSample(records[1..]);
        Assert.InRange(reader.BufferCapacity, 200_012, 1024 * 1024);
    }

    [Fact]
    public void Disposing_closes_the_stream_unless_asked_to_leave_it_open()
    {
        var closed = new MemoryStream(SampleFile());
        using (var reader = new MrtReader(closed))
        {
            Assert.True(reader.TryReadNext(out _));
        }

        Assert.False(closed.CanRead);

        var open = new MemoryStream(SampleFile());
        using (var reader = new MrtReader(open, leaveOpen: true))
        {
            Assert.True(reader.TryReadNext(out _));
        }

        Assert.True(open.CanRead);
        var unread = new MemoryStream(SampleFile());
        new MrtReader(unread).Dispose();
        Assert.False(unread.CanRead);
        var reused = new MrtReader(new MemoryStream(SampleFile()));
        reused.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reused.TryReadNext(out _));
    }

    [Fact]
    public void Decode_of_a_whole_record_checks_its_length()
    {
        var record = Bgp4mpStateChange(false, 65001, 65000, Peer, Local, 1, 2);
        Assert.IsType<Bgp4mpStateChangeRecord>(MrtRecord.Decode(record));
        Assert.Contains("octets follow", Assert.IsType<MalformedMrtRecord>(MrtRecord.Decode([.. record, 0])).Reason, StringComparison.Ordinal);
        Assert.Contains("only", Assert.IsType<MalformedMrtRecord>(MrtRecord.Decode(record.AsSpan(0, record.Length - 1))).Reason, StringComparison.Ordinal);
        Assert.Contains("shorter than", Assert.IsType<MalformedMrtRecord>(MrtRecord.Decode(record.AsSpan(0, 11))).Reason, StringComparison.Ordinal);
    }

    /// <summary>Serves <c>failAt</c> octets, then fails like a broken connection.</summary>
    private sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer)
        {
            if (Position >= failAt)
            {
                throw new IOException("connection reset");
            }

            return base.Read(buffer[..(int)Math.Min(buffer.Length, failAt - Position)]);
        }
    }
}
