namespace BgpStack.Bgp.Wire;

/// <summary>The path attribute block of an UPDATE (or of an MRT RIB entry) after decoding.</summary>
/// <param name="Attributes">The attributes other than MP_REACH/MP_UNREACH (malformed ones that were discarded are absent).</param>
/// <param name="MpReach">MP_REACH_NLRI, or null.</param>
/// <param name="MpUnreach">MP_UNREACH_NLRI, or null.</param>
/// <param name="Errors">Non-fatal RFC 7606 verdicts (attribute discard, treat-as-withdraw, AFI/SAFI disable).</param>
internal readonly record struct AttributeBlock(PathAttributes Attributes, MpReachNlri? MpReach, MpUnreachNlri? MpUnreach, EquatableArray<AttributeError> Errors);

/// <summary>Path attribute block codec (RFC 4271 §4.3, §5; RFC 7606). Being written: see issue 2.</summary>
internal static class PathAttributeCodec
{
    /// <summary>
    /// Decodes a path attribute block. With <paramref name="mrtRibEntry"/>, MP_REACH_NLRI is the
    /// abbreviated form of RFC 6396 §4.3.4 (next-hop length and next hop only) and AS numbers are 4 octets.
    /// Returns a fatal error (session reset) or the block with its non-fatal verdicts.
    /// </summary>
    public static DecodeResult<AttributeBlock> Decode(ReadOnlySpan<byte> block, CodecContext context, bool mrtRibEntry) =>
        throw new NotSupportedException("attribute codec pending");
}
