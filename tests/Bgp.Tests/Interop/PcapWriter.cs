using System.Buffers.Binary;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// Writes a classic libpcap file (LINKTYPE_RAW, IPv4) holding one TCP stream to port 179 whose
/// segments carry the given BGP messages, one message per segment with consecutive sequence
/// numbers, so that a dissector sees exactly the bytes our encoder produced.
/// </summary>
internal static class PcapWriter
{
    private const uint PcapMagic = 0xA1B2C3D4;
    private const uint LinkTypeRaw = 101;
    private const int Ipv4HeaderLength = 20;
    private const int TcpHeaderLength = 20;

    /// <summary>Writes <paramref name="messages"/> as a pcap file at <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<byte[]> messages)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        file.Write(header);

        var sequence = 1000u;
        Span<byte> record = stackalloc byte[16];
        for (var i = 0; i < messages.Count; i++)
        {
            var packet = Segment(messages[i], sequence, (ushort)i);
            BinaryPrimitives.WriteUInt32LittleEndian(record, 1_700_000_000u + (uint)i);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)packet.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)packet.Length);
            file.Write(record);
            file.Write(packet);
            sequence += (uint)messages[i].Length;
        }
    }

    /// <summary>An IPv4 packet 198.18.0.1:40000 → 198.18.0.2:179 carrying <paramref name="payload"/> at <paramref name="sequence"/>.</summary>
    private static byte[] Segment(byte[] payload, uint sequence, ushort identification)
    {
        var total = Ipv4HeaderLength + TcpHeaderLength + payload.Length;
        if (total > ushort.MaxValue)
        {
            throw new ArgumentException($"a {payload.Length}-octet message does not fit one IPv4 packet", nameof(payload));
        }

        var packet = new byte[total];
        var ip = packet.AsSpan(0, Ipv4HeaderLength);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)total);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
        ip[8] = 64;
        ip[9] = 6; // TCP
        ReadOnlySpan<byte> source = [198, 18, 0, 1];
        ReadOnlySpan<byte> destination = [198, 18, 0, 2];
        source.CopyTo(ip[12..]);
        destination.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));

        var tcp = packet.AsSpan(Ipv4HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 179);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], 1);
        tcp[12] = 0x50; // data offset 5 words
        tcp[13] = 0x18; // PSH, ACK
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[TcpHeaderLength..]);

        // The TCP checksum covers a pseudo-header: addresses, protocol, TCP length (RFC 793 §3.1).
        var pseudo = (uint)(source[0] << 8 | source[1]) + (uint)(source[2] << 8 | source[3])
            + (uint)(destination[0] << 8 | destination[1]) + (uint)(destination[2] << 8 | destination[3])
            + 6u + (uint)tcp.Length;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, pseudo));
        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/> plus a starting sum.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
