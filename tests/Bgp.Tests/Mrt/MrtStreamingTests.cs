using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;
using static BgpStack.Bgp.Tests.Mrt.MrtWriter;

namespace BgpStack.Bgp.Tests.Mrt;

/// <summary>Runs alone, so heap measurements are not disturbed by other tests allocating in parallel.</summary>
[CollectionDefinition(nameof(MrtStreamingCollection), DisableParallelization = true)]
public sealed class MrtStreamingCollection;

[Collection(nameof(MrtStreamingCollection))]
public class MrtStreamingTests
{
    private const int RouteCount = 100_000;

    [Fact]
    public void A_100k_entry_rib_dump_streams_record_by_record_without_buffering_the_file()
    {
        using var source = new GeneratedDumpStream(RouteCount);
        using var reader = new MrtReader(source);
        Assert.True(reader.TryReadNext(out var first));
        var table = Assert.IsType<PeerIndexTableRecord>(first);
        Assert.Equal(2, table.Peers.Count);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        var seen = 0;
        var maxBuffer = reader.BufferCapacity;
        while (reader.TryReadNext(out var record))
        {
            var rib = Assert.IsType<RibRecord>(record);
            Assert.Equal((uint)seen, rib.SequenceNumber);
            Assert.Equal(GeneratedDumpStream.PrefixOf(seen), rib.Prefix);
            var entry = Assert.Single(rib.Entries);
            Assert.Equal((ushort)(seen % 2), entry.PeerIndex);
            Assert.Equal(IPAddress.Parse("198.18.0.1"), entry.NextHop);
            Assert.Equal((uint)seen, entry.Attributes.AsPath!.OriginAs);
            seen++;
            maxBuffer = Math.Max(maxBuffer, reader.BufferCapacity);
            if (seen % 20_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        Assert.Equal(RouteCount, seen);
        Assert.True(source.Produced > 10_000_000, $"the dump should be large, was {source.Produced} octets");
        Assert.True(maxBuffer <= 64 * 1024, $"the record buffer grew to {maxBuffer} octets");

        // The whole dump is over 10 MB; what stays live while reading it must be a small fraction.
        Assert.True(peak - baseline < 4 * 1024 * 1024, $"the heap grew by {peak - baseline} octets while streaming {source.Produced}");
    }

    /// <summary>
    /// A stream that produces a TABLE_DUMP_V2 dump (a PEER_INDEX_TABLE, then one RIB_IPV4_UNICAST
    /// record per route) as it is read, so the file itself never exists in memory either.
    /// </summary>
    private sealed class GeneratedDumpStream(int routes) : Stream
    {
        private static readonly byte[] Communities = CommunitiesAttribute([.. Enumerable.Range(1, 20).Select(i => (65000u << 16) | (uint)i)]);
        private byte[] pending = PeerIndexTable(RouterId.Parse("192.0.2.254"), "generated", [
            new PeerSpec(RouterId.Parse("192.0.2.1"), IPAddress.Parse("198.18.0.1"), 65001),
            new PeerSpec(RouterId.Parse("192.0.2.2"), IPAddress.Parse("198.18.0.2"), 65002)]);

        private int offset;
        private int next;

        public long Produced { get; private set; }

        public static IpPrefix PrefixOf(int i) => IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24);

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
            if (offset == pending.Length)
            {
                if (next == routes)
                {
                    return 0;
                }

                var attributes = Attributes(
                    OriginAttribute(Origin.Igp),
                    AsPathAttribute(true, 65001, 4_200_000_000, (uint)next),
                    NextHopAttribute(IPAddress.Parse("198.18.0.1")),
                    Communities);
                pending = Rib(TableDumpV2Subtype.RibIpv4Unicast, (uint)next, PrefixOf(next), [new RibEntrySpec((ushort)(next % 2), 1_700_000_000, attributes)]);
                offset = 0;
                next++;
            }

            var count = Math.Min(buffer.Length, pending.Length - offset);
            pending.AsSpan(offset, count).CopyTo(buffer);
            offset += count;
            Produced += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
