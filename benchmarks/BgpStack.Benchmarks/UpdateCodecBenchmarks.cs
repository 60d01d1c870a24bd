using System.Buffers;
using BenchmarkDotNet.Attributes;
using BgpStack.Bgp.Wire;

namespace BgpStack.Benchmarks;

/// <summary>Decode and encode of whole UPDATE messages: a full 4096-octet IPv4 UPDATE and an IPv6 MP_REACH UPDATE.</summary>
[MemoryDiagnoser]
public class UpdateCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> writer = new(CodecContext.ExtendedMaxMessageLength);
    private byte[] ipv4Bytes = [];
    private byte[] ipv6Bytes = [];
    private UpdateMessage ipv4 = new();
    private UpdateMessage ipv6 = new();

    /// <summary>Builds the messages and their encodings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ipv4 = CodecWorkloads.Ipv4Update();
        ipv6 = CodecWorkloads.Ipv6Update();
        ipv4Bytes = ipv4.ToBytes(CodecContext.Default);
        ipv6Bytes = ipv6.ToBytes(CodecContext.Default);
    }

    /// <summary>Decodes the IPv4 UPDATE into the model (attributes and every NLRI).</summary>
    [Benchmark]
    public BgpMessage? DecodeIpv4Update() => BgpMessage.Decode(ipv4Bytes, CodecContext.Default).Value;

    /// <summary>Encodes the IPv4 UPDATE.</summary>
    [Benchmark]
    public int EncodeIpv4Update()
    {
        writer.ResetWrittenCount();
        return ipv4.Encode(writer, CodecContext.Default);
    }

    /// <summary>Decodes the IPv6 MP_REACH UPDATE.</summary>
    [Benchmark]
    public BgpMessage? DecodeIpv6Update() => BgpMessage.Decode(ipv6Bytes, CodecContext.Default).Value;

    /// <summary>Encodes the IPv6 MP_REACH UPDATE.</summary>
    [Benchmark]
    public int EncodeIpv6Update()
    {
        writer.ResetWrittenCount();
        return ipv6.Encode(writer, CodecContext.Default);
    }
}
