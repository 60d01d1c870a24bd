using BenchmarkDotNet.Attributes;
using BgpStack.Bgp.Wire;

namespace BgpStack.Benchmarks;

/// <summary>
/// The two inner loops of UPDATE decoding on their own: walking the NLRI of a full IPv4 UPDATE
/// (reported per prefix) and decoding the typical attribute block (reported per set).
/// </summary>
[MemoryDiagnoser]
public class NlriAndAttributeBenchmarks
{
    private byte[] nlri = [];
    private byte[] attributes = [];

    /// <summary>Cuts the NLRI and attribute sections out of the encoded IPv4 UPDATE.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var message = CodecWorkloads.Ipv4Update().ToBytes(CodecContext.Default);
        var body = message.AsSpan(BgpHeader.Size);
        var withdrawnLength = (body[0] << 8) | body[1];
        var attributesLength = (body[2 + withdrawnLength] << 8) | body[3 + withdrawnLength];
        attributes = body.Slice(4 + withdrawnLength, attributesLength).ToArray();
        nlri = body[(4 + withdrawnLength + attributesLength)..].ToArray();
    }

    /// <summary>Walks every NLRI with <see cref="NlriReader"/>; the time shown is per prefix.</summary>
    [Benchmark(OperationsPerInvoke = CodecWorkloads.Ipv4PrefixCount)]
    public uint WalkNlriPerPrefix()
    {
        var reader = new NlriReader(nlri, ipv6: false, addPath: false);
        uint sum = 0;
        while (reader.TryRead(out var entry))
        {
            sum += entry.Prefix.Ipv4Bits;
        }

        return sum;
    }

    /// <summary>Decodes the typical attribute set (ORIGIN, 4-hop AS_PATH, NEXT_HOP, MED, two communities).</summary>
    [Benchmark]
    public PathAttributes? DecodeTypicalAttributes() =>
        PathAttributeCodec.Decode(attributes, CodecContext.Default, mrtRibEntry: false).Value.Attributes;
}
