using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz.Targets;

/// <summary>
/// <c>PathAttributeCodec.Decode</c> on a path attribute block, as found in an UPDATE (under 4- and
/// 2-octet AS, with and without ADD-PATH) and in an MRT RIB entry. A block that decodes without
/// RFC 7606 errors must encode and decode again to the same attributes.
/// </summary>
public sealed class AttributesTarget : FuzzTarget
{
    private static readonly CodecContext FourOctet = CodecContext.Default;
    private static readonly CodecContext TwoOctet = CodecContext.Default with { FourOctetAs = false };
    private static readonly CodecContext AddPath = CodecContext.Default with { AddPath = AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast };

    /// <inheritdoc/>
    public override string Name => "attributes";

    /// <inheritdoc/>
    public override string Execute(ReadOnlySpan<byte> input)
    {
        var signature = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (context, mrtRibEntry) in new[] { (FourOctet, false), (TwoOctet, false), (AddPath, false), (FourOctet, true) })
        {
            var result = PathAttributeCodec.Decode(input, context, mrtRibEntry);
            if (!result.TryGetValue(out var block, out var error))
            {
                signature.Add(FuzzContexts.Label(error));
                continue;
            }

            // Each verdict is its own token: the union over contexts keeps the outcome space small.
            signature.Add("ok");
            foreach (var attributeError in block.Errors)
            {
                signature.Add(FuzzContexts.Token(attributeError));
            }

            if (block.MpReach is not null)
            {
                signature.Add("reach");
            }

            if (block.MpUnreach is not null)
            {
                signature.Add("unreach");
            }

            // The MRT form of MP_REACH_NLRI (RFC 6396 §4.3.4) has no encoder: it is only ever read.
            if (!mrtRibEntry && block.Errors.IsEmpty)
            {
                RoundTrip(block, context);
            }
        }

        return string.Join('|', signature);
    }

    private static void RoundTrip(AttributeBlock block, CodecContext context)
    {
        var buffer = new byte[CodecContext.ExtendedMaxMessageLength];
        var writer = new SpanWriter(buffer);
        try
        {
            PathAttributeCodec.Encode(block.Attributes, block.MpReach, block.MpUnreach, ref writer, context);
        }
        catch (MessageTooLargeException)
        {
            return; // re-encoding can grow a block (AS4_PATH for a 2-octet peer); refusing is legitimate
        }

        var encoded = buffer.AsSpan(0, writer.Position).ToArray();
        var again = PathAttributeCodec.Decode(encoded, context, mrtRibEntry: false);
        FuzzInvariantException.Check(again.IsSuccess, () => $"our own encoding of {block} does not decode under {FuzzContexts.Label(context)}: {again.Error}");
        FuzzInvariantException.Check(again.Value == block, () => $"round trip under {FuzzContexts.Label(context)} changed {block} into {again.Value}");
    }
}
