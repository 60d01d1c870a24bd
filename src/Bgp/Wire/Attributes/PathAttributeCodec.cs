using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace BgpStack.Bgp.Wire;

/// <summary>The path attribute block of an UPDATE (or of an MRT RIB entry) after decoding.</summary>
/// <param name="Attributes">The attributes other than MP_REACH/MP_UNREACH (malformed ones that were discarded are absent).</param>
/// <param name="MpReach">MP_REACH_NLRI, or null.</param>
/// <param name="MpUnreach">MP_UNREACH_NLRI, or null.</param>
/// <param name="Errors">Non-fatal RFC 7606 verdicts (attribute discard, treat-as-withdraw, AFI/SAFI disable).</param>
internal readonly record struct AttributeBlock(PathAttributes Attributes, MpReachNlri? MpReach, MpUnreachNlri? MpUnreach, EquatableArray<AttributeError> Errors);

/// <summary>Path attribute block codec (RFC 4271 §4.3, §5, §6.3; RFC 7606; RFC 4760; RFC 6793).</summary>
internal static partial class PathAttributeCodec
{
    /// <summary>AS_TRANS, the 2-octet stand-in for a 4-octet AS number (RFC 6793 §9).</summary>
    public const ushort AsTrans = 23456;

    // Canonical Optional/Transitive bits per attribute (RFC 4271 §5, and each attribute's RFC).
    private const byte WellKnown = 0x40;
    private const byte OptionalNonTransitive = 0x80;
    private const byte OptionalTransitive = 0xC0;

    /// <summary>
    /// Decodes a path attribute block. With <paramref name="mrtRibEntry"/>, MP_REACH_NLRI is the
    /// abbreviated form of RFC 6396 §4.3.4 (next-hop length and next hop only) and AS numbers are 4 octets.
    /// Returns a fatal error (session reset) or the block with its non-fatal verdicts.
    /// </summary>
    public static DecodeResult<AttributeBlock> Decode(ReadOnlySpan<byte> block, CodecContext context, bool mrtRibEntry)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (block.IsEmpty)
        {
            return new AttributeBlock(PathAttributes.Empty, null, null, default);
        }

        var fourOctet = mrtRibEntry || context.FourOctetAs;
        // One bit per type code seen so far (RFC 7606 §3.g), without a stack allocation.
        ulong seen0 = 0, seen1 = 0, seen2 = 0, seen3 = 0;
        List<AttributeError>? errors = null;
        List<RawAttribute>? unknown = null;

        Origin? origin = null;
        AsPath? asPath = null;
        AsPath? as4Path = null;
        IPAddress? nextHop = null;
        uint? med = null;
        uint? localPref = null;
        var atomicAggregate = false;
        Aggregator? aggregator = null;
        Aggregator? as4Aggregator = null;
        EquatableArray<Community> communities = default;
        RouterId? originatorId = null;
        EquatableArray<RouterId> clusterList = default;
        EquatableArray<ExtendedCommunity> extendedCommunities = default;
        EquatableArray<Ipv6ExtendedCommunity> ipv6ExtendedCommunities = default;
        EquatableArray<LargeCommunity> largeCommunities = default;
        MpReachNlri? mpReach = null;
        MpUnreachNlri? mpUnreach = null;
        var any = false;

        var pos = 0;
        while (pos < block.Length)
        {
            var remaining = block.Length - pos;
            var flags = (AttributeFlags)block[pos];
            var headerLength = (flags & AttributeFlags.ExtendedLength) != 0 ? 4 : 3;
            if (remaining < headerLength
                || remaining - headerLength < ((flags & AttributeFlags.ExtendedLength) != 0 ? BinaryPrimitives.ReadUInt16BigEndian(block[(pos + 2)..]) : block[pos + 2]))
            {
                // RFC 7606 §4: an attribute overrunning the block, or a block too short for one more
                // header, is treat-as-withdraw; the total length still locates the NLRI. An MP
                // attribute that cannot be read is a session reset (RFC 7606 §3.j, §5.3).
                var type = remaining >= 2 ? block[pos + 1] : (byte)0;
                if (type is (byte)AttributeType.MpReachNlri or (byte)AttributeType.MpUnreachNlri)
                {
                    return BgpError.Update(UpdateMessageErrorSubcode.MalformedAttributeList, default, $"attribute {type} overruns the path attributes");
                }

                Add(ref errors, AttributeErrorAction.TreatAsWithdraw, type, UpdateMessageErrorSubcode.MalformedAttributeList, default, $"attribute {type} overruns the path attributes (RFC 7606 §4)");
                break;
            }

            var typeCode = block[pos + 1];
            var length = headerLength == 4 ? BinaryPrimitives.ReadUInt16BigEndian(block[(pos + 2)..]) : block[pos + 2];
            var attribute = block.Slice(pos, headerLength + length);
            var value = attribute[headerLength..];
            pos += headerLength + length;
            var wireData = attribute[1..];
            var optionalTransitive = (byte)((byte)flags & 0xC0);

            // RFC 7606 §3.g: a repeated MP attribute is a session reset; any other repeat is dropped.
            ref var word = ref seen0;
            switch (typeCode >> 6)
            {
                case 1:
                    word = ref seen1;
                    break;
                case 2:
                    word = ref seen2;
                    break;
                case 3:
                    word = ref seen3;
                    break;
            }

            var bit = 1UL << (typeCode & 63);
            if ((word & bit) != 0)
            {
                if (typeCode is (byte)AttributeType.MpReachNlri or (byte)AttributeType.MpUnreachNlri)
                {
                    return BgpError.Update(UpdateMessageErrorSubcode.MalformedAttributeList, default, $"attribute {typeCode} appears more than once (RFC 7606 §3.g)");
                }

                Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.MalformedAttributeList, default, $"repeated attribute {typeCode} discarded (RFC 7606 §3.g)");
                continue;
            }

            word |= bit;
            any = true;
            switch ((AttributeType)typeCode)
            {
                case AttributeType.Origin:
                    if (FlagsConflict(ref errors, optionalTransitive, WellKnown, typeCode, wireData, "ORIGIN"))
                    {
                        break;
                    }

                    if (length != 1)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "ORIGIN length is not 1 (RFC 7606 §7.1)");
                    }
                    else if (value[0] > 2)
                    {
                        Add(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, UpdateMessageErrorSubcode.InvalidOriginAttribute, wireData, $"ORIGIN value {value[0]} is undefined (RFC 7606 §7.1)");
                    }
                    else
                    {
                        origin = (Origin)value[0];
                    }

                    break;

                case AttributeType.AsPath:
                    if (FlagsConflict(ref errors, optionalTransitive, WellKnown, typeCode, wireData, "AS_PATH"))
                    {
                        break;
                    }

                    if (TryParseAsPath(value, fourOctet ? 4 : 2, allowConfederation: true, out var path, out var pathReason))
                    {
                        asPath = path;
                    }
                    else
                    {
                        Add(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, UpdateMessageErrorSubcode.MalformedAsPath, default, pathReason + " (RFC 7606 §7.2)");
                    }

                    break;

                case AttributeType.NextHop:
                    if (FlagsConflict(ref errors, optionalTransitive, WellKnown, typeCode, wireData, "NEXT_HOP"))
                    {
                        break;
                    }

                    if (length != 4)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "NEXT_HOP length is not 4 (RFC 7606 §7.3)");
                    }
                    else
                    {
                        nextHop = new IPAddress(value);
                    }

                    break;

                case AttributeType.MultiExitDisc:
                    if (TryReadUInt32(ref errors, optionalTransitive, OptionalNonTransitive, typeCode, wireData, value, "MULTI_EXIT_DISC", "7.4", out var multiExitDiscValue))
                    {
                        med = multiExitDiscValue;
                    }

                    break;

                case AttributeType.LocalPref:
                    if (TryReadUInt32(ref errors, optionalTransitive, WellKnown, typeCode, wireData, value, "LOCAL_PREF", "7.5", out var localPrefValue))
                    {
                        localPref = localPrefValue;
                    }

                    break;

                case AttributeType.AtomicAggregate:
                    if (FlagsConflict(ref errors, optionalTransitive, WellKnown, typeCode, wireData, "ATOMIC_AGGREGATE"))
                    {
                        break;
                    }

                    if (length != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, wireData, "ATOMIC_AGGREGATE length is not 0 (RFC 7606 §7.6)");
                    }
                    else
                    {
                        atomicAggregate = true;
                    }

                    break;

                case AttributeType.Aggregator:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalTransitive, typeCode, wireData, "AGGREGATOR"))
                    {
                        break;
                    }

                    if (length != (fourOctet ? 8 : 6))
                    {
                        LengthError(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, wireData, $"AGGREGATOR length is not {(fourOctet ? 8 : 6)} (RFC 7606 §7.7)");
                    }
                    else if (fourOctet)
                    {
                        aggregator = new Aggregator(BinaryPrimitives.ReadUInt32BigEndian(value), new RouterId(BinaryPrimitives.ReadUInt32BigEndian(value[4..])));
                    }
                    else
                    {
                        aggregator = new Aggregator(BinaryPrimitives.ReadUInt16BigEndian(value), new RouterId(BinaryPrimitives.ReadUInt32BigEndian(value[2..])));
                    }

                    break;

                case AttributeType.Communities:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalTransitive, typeCode, wireData, "COMMUNITIES"))
                    {
                        break;
                    }

                    if (length == 0 || length % 4 != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "COMMUNITIES length is not a non-zero multiple of 4 (RFC 7606 §7.8)");
                    }
                    else
                    {
                        var items = new Community[length / 4];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = new Community(BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]));
                        }

                        communities = ImmutableCollectionsMarshal.AsImmutableArray(items);
                    }

                    break;

                case AttributeType.OriginatorId:
                    if (TryReadUInt32(ref errors, optionalTransitive, OptionalNonTransitive, typeCode, wireData, value, "ORIGINATOR_ID", "7.9", out var originatorIdValue))
                    {
                        originatorId = new RouterId(originatorIdValue);
                    }

                    break;

                case AttributeType.ClusterList:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalNonTransitive, typeCode, wireData, "CLUSTER_LIST"))
                    {
                        break;
                    }

                    if (length == 0 || length % 4 != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "CLUSTER_LIST length is not a non-zero multiple of 4 (RFC 7606 §7.10)");
                    }
                    else
                    {
                        var items = new RouterId[length / 4];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = new RouterId(BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]));
                        }

                        clusterList = ImmutableCollectionsMarshal.AsImmutableArray(items);
                    }

                    break;

                case AttributeType.MpReachNlri:
                    {
                        var result = DecodeMpReach(value, wireData, optionalTransitive, context, mrtRibEntry, ref errors);
                        if (!result.IsSuccess)
                        {
                            return result.Error!;
                        }

                        mpReach = result.Value;
                        break;
                    }

                case AttributeType.MpUnreachNlri:
                    {
                        var result = DecodeMpUnreach(value, wireData, optionalTransitive, context, ref errors);
                        if (!result.IsSuccess)
                        {
                            return result.Error!;
                        }

                        mpUnreach = result.Value;
                        break;
                    }

                case AttributeType.ExtendedCommunities:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalTransitive, typeCode, wireData, "EXTENDED_COMMUNITIES"))
                    {
                        break;
                    }

                    if (length % 8 != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "EXTENDED_COMMUNITIES length is not a multiple of 8 (RFC 7606 §7.14)");
                    }
                    else
                    {
                        var items = new ExtendedCommunity[length / 8];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = new ExtendedCommunity(BinaryPrimitives.ReadUInt64BigEndian(value[(i * 8)..]));
                        }

                        extendedCommunities = ImmutableCollectionsMarshal.AsImmutableArray(items);
                    }

                    break;

                case AttributeType.As4Path:
                    // RFC 6793 §6: any error in AS4_PATH is handled by discarding it.
                    if (optionalTransitive != OptionalTransitive)
                    {
                        Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.AttributeFlagsError, wireData, "AS4_PATH flags are not optional transitive (RFC 6793 §6)");
                    }
                    else if (fourOctet)
                    {
                        Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, "AS4_PATH from a 4-octet AS speaker is ignored (RFC 6793 §4.1)");
                    }
                    else if (TryParseAsPath(value, 4, allowConfederation: false, out var path4, out var reason4))
                    {
                        as4Path = path4;
                    }
                    else
                    {
                        Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, "AS4_PATH: " + reason4 + " (RFC 6793 §6)");
                    }

                    break;

                case AttributeType.As4Aggregator:
                    if (optionalTransitive != OptionalTransitive)
                    {
                        Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.AttributeFlagsError, wireData, "AS4_AGGREGATOR flags are not optional transitive (RFC 6793 §6)");
                    }
                    else if (length != 8)
                    {
                        LengthError(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, wireData, "AS4_AGGREGATOR length is not 8 (RFC 6793 §6)");
                    }
                    else if (fourOctet)
                    {
                        Add(ref errors, AttributeErrorAction.AttributeDiscard, typeCode, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, "AS4_AGGREGATOR from a 4-octet AS speaker is ignored (RFC 6793 §4.1)");
                    }
                    else
                    {
                        as4Aggregator = new Aggregator(BinaryPrimitives.ReadUInt32BigEndian(value), new RouterId(BinaryPrimitives.ReadUInt32BigEndian(value[4..])));
                    }

                    break;

                case AttributeType.Ipv6ExtendedCommunities:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalTransitive, typeCode, wireData, "IPv6 Address Specific Extended Community"))
                    {
                        break;
                    }

                    if (length % 20 != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "IPv6 Address Specific Extended Community length is not a multiple of 20 (RFC 7606 §7.15)");
                    }
                    else
                    {
                        var items = new Ipv6ExtendedCommunity[length / 20];
                        for (var i = 0; i < items.Length; i++)
                        {
                            var item = value.Slice(i * 20, 20);
                            items[i] = new Ipv6ExtendedCommunity(item[0], item[1], BinaryPrimitives.ReadUInt128BigEndian(item[2..]), BinaryPrimitives.ReadUInt16BigEndian(item[18..]));
                        }

                        ipv6ExtendedCommunities = ImmutableCollectionsMarshal.AsImmutableArray(items);
                    }

                    break;

                case AttributeType.LargeCommunities:
                    if (FlagsConflict(ref errors, optionalTransitive, OptionalTransitive, typeCode, wireData, "LARGE_COMMUNITY"))
                    {
                        break;
                    }

                    if (length == 0 || length % 12 != 0)
                    {
                        LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, wireData, "LARGE_COMMUNITY length is not a non-zero multiple of 12 (RFC 8092 §6)");
                    }
                    else
                    {
                        var items = new LargeCommunity[length / 12];
                        for (var i = 0; i < items.Length; i++)
                        {
                            var item = value.Slice(i * 12, 12);
                            items[i] = new LargeCommunity(BinaryPrimitives.ReadUInt32BigEndian(item), BinaryPrimitives.ReadUInt32BigEndian(item[4..]), BinaryPrimitives.ReadUInt32BigEndian(item[8..]));
                        }

                        largeCommunities = ImmutableCollectionsMarshal.AsImmutableArray(items);
                    }

                    break;

                default:
                    if ((flags & AttributeFlags.Optional) == 0)
                    {
                        // RFC 4271 §6.3 names the error; RFC 7606 §3.c treats an attribute whose
                        // Optional bit contradicts what we know of it as malformed: treat-as-withdraw.
                        Add(ref errors, AttributeErrorAction.TreatAsWithdraw, typeCode, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute, wireData, $"unrecognized well-known attribute {typeCode}");
                    }
                    else
                    {
                        unknown ??= [];
                        var raw = new RawAttribute(flags, typeCode, ImmutableCollectionsMarshal.AsImmutableArray(value.ToArray()));
                        var at = unknown.Count;
                        while (at > 0 && unknown[at - 1].TypeCode > typeCode)
                        {
                            at--;
                        }

                        unknown.Insert(at, raw);
                    }

                    break;
            }
        }

        if (!fourOctet)
        {
            // RFC 6793 §4.2.3: reconstruct the 4-octet path and aggregator from a 2-octet speaker.
            if (aggregator is { } aggregator2 && aggregator2.Asn != AsTrans)
            {
                as4Aggregator = null;
                as4Path = null;
            }
            else if (aggregator is not null && as4Aggregator is not null)
            {
                aggregator = as4Aggregator;
            }

            if (asPath is not null && as4Path is not null)
            {
                asPath = MergeAs4Path(asPath, as4Path);
            }
        }

        var attributes = !any || (origin is null && asPath is null && nextHop is null && med is null && localPref is null && !atomicAggregate
            && aggregator is null && communities.IsEmpty && originatorId is null && clusterList.IsEmpty && extendedCommunities.IsEmpty
            && ipv6ExtendedCommunities.IsEmpty && largeCommunities.IsEmpty && unknown is null)
            ? PathAttributes.Empty
            : new PathAttributes
            {
                Origin = origin,
                AsPath = asPath,
                NextHop = nextHop,
                MultiExitDisc = med,
                LocalPref = localPref,
                AtomicAggregate = atomicAggregate,
                Aggregator = aggregator,
                Communities = communities,
                OriginatorId = originatorId,
                ClusterList = clusterList,
                HasClusterList = !clusterList.IsEmpty,
                ExtendedCommunities = extendedCommunities,
                Ipv6ExtendedCommunities = ipv6ExtendedCommunities,
                LargeCommunities = largeCommunities,
                UnknownAttributes = unknown is null ? default : unknown.ToEquatableArray(),
            };

        return new AttributeBlock(attributes, mpReach, mpUnreach, errors is null ? default : errors.ToEquatableArray());
    }

    private static DecodeResult<MpReachNlri?> DecodeMpReach(ReadOnlySpan<byte> value, ReadOnlySpan<byte> wireData, byte optionalTransitive, CodecContext context, bool mrtRibEntry, ref List<AttributeError>? errors)
    {
        const byte type = (byte)AttributeType.MpReachNlri;
        if (mrtRibEntry && value.Length >= 1 && value[0] + 1 == value.Length)
        {
            // RFC 6396 §4.3.4: the RIB entry form holds only the next hop; the family follows from its length.
            var hop = value[1..];
            AfiSafi? inferred = hop.Length switch
            {
                4 => AfiSafi.Ipv4Unicast,
                16 or 32 => AfiSafi.Ipv6Unicast,
                _ => null,
            };
            if (inferred is null)
            {
                Add(ref errors, AttributeErrorAction.AttributeDiscard, type, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, $"MP_REACH_NLRI next-hop length {hop.Length} names no family (RFC 6396 §4.3.4)");
                return DecodeResult<MpReachNlri?>.Success(null);
            }

            return DecodeResult<MpReachNlri?>.Success(new MpReachNlri(inferred.Value, ToArray(hop), default));
        }

        if (value.Length < 3)
        {
            // RFC 7606 §5.3: without an AFI/SAFI only a session reset is left.
            return BgpError.Update(UpdateMessageErrorSubcode.OptionalAttributeError, wireData, "MP_REACH_NLRI too short to hold an AFI/SAFI");
        }

        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        if (optionalTransitive != OptionalNonTransitive)
        {
            return Disable(ref errors, type, UpdateMessageErrorSubcode.AttributeFlagsError, wireData, $"MP_REACH_NLRI {family} flags are not optional non-transitive");
        }

        if (value.Length < 5 || value.Length < 5 + value[3])
        {
            return Disable(ref errors, type, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, $"MP_REACH_NLRI {family} next hop overruns the attribute (RFC 7606 §7.11)");
        }

        var nextHop = value.Slice(4, value[3]);
        var nlri = value[(5 + nextHop.Length)..];
        if (!family.IsUnicastIp)
        {
            // Families we do not decode are kept whole, never an error.
            return DecodeResult<MpReachNlri?>.Success(new MpReachNlri(family, ToArray(nextHop), default) { RawNlri = ToArray(nlri) });
        }

        var ipv6 = family.Afi == Afi.Ipv6;
        var validHop = ipv6 ? nextHop.Length is 16 or 32 : nextHop.Length is 4 or 16 or 32; // RFC 4760 §3, RFC 2545 §3, RFC 8950 §3
        if (!validHop)
        {
            return Disable(ref errors, type, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, $"MP_REACH_NLRI {family} next-hop length {nextHop.Length} is invalid (RFC 7606 §7.11)");
        }

        var error = NlriWriter.ReadAll(nlri, ipv6, context.HasAddPath(family), out var prefixes);
        if (error != NlriError.None)
        {
            return Disable(ref errors, type, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, $"MP_REACH_NLRI {family} NLRI is malformed: {error} (RFC 7606 §5.3)");
        }

        return DecodeResult<MpReachNlri?>.Success(new MpReachNlri(family, ToArray(nextHop), prefixes));
    }

    private static DecodeResult<MpUnreachNlri?> DecodeMpUnreach(ReadOnlySpan<byte> value, ReadOnlySpan<byte> wireData, byte optionalTransitive, CodecContext context, ref List<AttributeError>? errors)
    {
        const byte type = (byte)AttributeType.MpUnreachNlri;
        if (value.Length < 3)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.OptionalAttributeError, wireData, "MP_UNREACH_NLRI too short to hold an AFI/SAFI");
        }

        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        if (optionalTransitive != OptionalNonTransitive)
        {
            return DisableUnreach(ref errors, UpdateMessageErrorSubcode.AttributeFlagsError, wireData, $"MP_UNREACH_NLRI {family} flags are not optional non-transitive");
        }

        var nlri = value[3..];
        if (!family.IsUnicastIp)
        {
            return DecodeResult<MpUnreachNlri?>.Success(new MpUnreachNlri(family, default) { RawNlri = ToArray(nlri) });
        }

        var error = NlriWriter.ReadAll(nlri, family.Afi == Afi.Ipv6, context.HasAddPath(family), out var prefixes);
        if (error != NlriError.None)
        {
            return DisableUnreach(ref errors, UpdateMessageErrorSubcode.OptionalAttributeError, wireData, $"MP_UNREACH_NLRI {family} NLRI is malformed: {error} (RFC 7606 §5.3)");
        }

        return DecodeResult<MpUnreachNlri?>.Success(new MpUnreachNlri(family, prefixes));

        static DecodeResult<MpUnreachNlri?> DisableUnreach(ref List<AttributeError>? errors, UpdateMessageErrorSubcode subcode, ReadOnlySpan<byte> data, string reason)
        {
            Add(ref errors, AttributeErrorAction.AfiSafiDisable, type, subcode, data, reason);
            return DecodeResult<MpUnreachNlri?>.Success(null);
        }
    }

    private static DecodeResult<MpReachNlri?> Disable(ref List<AttributeError>? errors, byte type, UpdateMessageErrorSubcode subcode, ReadOnlySpan<byte> data, string reason)
    {
        Add(ref errors, AttributeErrorAction.AfiSafiDisable, type, subcode, data, reason);
        return DecodeResult<MpReachNlri?>.Success(null);
    }

    private static EquatableArray<byte> ToArray(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? default : ImmutableCollectionsMarshal.AsImmutableArray(bytes.ToArray());

    /// <summary>RFC 7606 §3.c: Optional/Transitive bits that contradict the attribute's definition make it treat-as-withdraw.</summary>
    private static bool FlagsConflict(ref List<AttributeError>? errors, byte actual, byte expected, byte type, ReadOnlySpan<byte> data, string name)
    {
        if (actual == expected)
        {
            return false;
        }

        Add(ref errors, AttributeErrorAction.TreatAsWithdraw, type, UpdateMessageErrorSubcode.AttributeFlagsError, data, $"{name} flags 0x{actual:x2} conflict with 0x{expected:x2} (RFC 7606 §3.c)");
        return true;
    }

    /// <summary>
    /// The attributes that are one 4-octet number (MED, LOCAL_PREF, ORIGINATOR_ID): flags as
    /// defined, length exactly 4, or treat-as-withdraw (RFC 7606 §3.c and the attribute's section).
    /// </summary>
    private static bool TryReadUInt32(ref List<AttributeError>? errors, byte actualFlags, byte expectedFlags, byte type, ReadOnlySpan<byte> data, ReadOnlySpan<byte> value, string name, string section, out uint result)
    {
        result = 0;
        if (FlagsConflict(ref errors, actualFlags, expectedFlags, type, data, name))
        {
            return false;
        }

        if (value.Length != 4)
        {
            LengthError(ref errors, AttributeErrorAction.TreatAsWithdraw, type, data, $"{name} length is not 4 (RFC 7606 §{section})");
            return false;
        }

        result = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    private static void LengthError(ref List<AttributeError>? errors, AttributeErrorAction action, byte type, ReadOnlySpan<byte> data, string reason) =>
        Add(ref errors, action, type, UpdateMessageErrorSubcode.AttributeLengthError, data, reason);

    private static void Add(ref List<AttributeError>? errors, AttributeErrorAction action, byte type, UpdateMessageErrorSubcode subcode, ReadOnlySpan<byte> data, string reason)
    {
        errors ??= [];
        errors.Add(new AttributeError(action, type, BgpError.Update(subcode, data, reason)));
    }

    /// <summary>Parses AS_PATH or AS4_PATH segments (RFC 4271 §4.3, RFC 7606 §7.2, RFC 6793 §6): validates, counts, then fills exact arrays.</summary>
    internal static bool TryParseAsPath(ReadOnlySpan<byte> value, int asSize, bool allowConfederation, out AsPath path, out string reason)
    {
        path = AsPath.Empty;
        reason = string.Empty;
        var segmentCount = 0;
        var p = 0;
        while (p < value.Length)
        {
            if (value.Length - p < 2)
            {
                reason = "one octet left over after the last segment";
                return false;
            }

            var type = value[p];
            if (type is < 1 or > 4)
            {
                reason = $"unknown segment type {type}";
                return false;
            }

            if (!allowConfederation && type > 2)
            {
                reason = "confederation segment";
                return false;
            }

            int count = value[p + 1];
            if (count == 0)
            {
                reason = "zero-length segment";
                return false;
            }

            p += 2 + (count * asSize);
            if (p > value.Length)
            {
                reason = "segment overruns the attribute";
                return false;
            }

            segmentCount++;
        }

        if (segmentCount == 0)
        {
            return true;
        }

        var segments = new AsPathSegment[segmentCount];
        p = 0;
        for (var s = 0; s < segments.Length; s++)
        {
            var type = (AsPathSegmentType)value[p];
            var asns = new uint[value[p + 1]];
            p += 2;
            if (asSize == 4)
            {
                for (var i = 0; i < asns.Length; i++, p += 4)
                {
                    asns[i] = BinaryPrimitives.ReadUInt32BigEndian(value[p..]);
                }
            }
            else
            {
                for (var i = 0; i < asns.Length; i++, p += 2)
                {
                    asns[i] = BinaryPrimitives.ReadUInt16BigEndian(value[p..]);
                }
            }

            segments[s] = new AsPathSegment(type, ImmutableCollectionsMarshal.AsImmutableArray(asns));
        }

        path = new AsPath(ImmutableCollectionsMarshal.AsImmutableArray(segments));
        return true;
    }

    /// <summary>
    /// RFC 6793 §4.2.3: when AS_PATH holds at least as many ASes as AS4_PATH, the leading ASes of
    /// AS_PATH (and the confederation segments, which AS4_PATH never carries) are followed by
    /// AS4_PATH; otherwise AS4_PATH is ignored. An AS_SET counts as one AS.
    /// </summary>
    internal static AsPath MergeAs4Path(AsPath asPath, AsPath as4Path)
    {
        var surplus = asPath.Length - as4Path.Length;
        if (surplus < 0)
        {
            return asPath;
        }

        var merged = new List<AsPathSegment>(asPath.Segments.Count + as4Path.Segments.Count);
        foreach (var segment in asPath.Segments)
        {
            if (segment.Type is AsPathSegmentType.AsConfedSequence or AsPathSegmentType.AsConfedSet)
            {
                merged.Add(segment);
                continue;
            }

            if (surplus == 0)
            {
                break;
            }

            if (segment.Type == AsPathSegmentType.AsSet)
            {
                merged.Add(segment);
                surplus--;
            }
            else
            {
                var take = Math.Min(surplus, segment.Asns.Count);
                merged.Add(take == segment.Asns.Count ? segment : new AsPathSegment(segment.Type, EquatableArray.Create(segment.Asns.AsSpan()[..take])));
                surplus -= take;
            }
        }

        var join = true;
        foreach (var segment in as4Path.Segments)
        {
            // Only the seam between the two parts is joined, so AS4_PATH's own segments stay as sent.
            if (join && merged.Count > 0 && merged[^1] is { Type: AsPathSegmentType.AsSequence } last && segment.Type == AsPathSegmentType.AsSequence
                && last.Asns.Count + segment.Asns.Count <= AsPath.MaxSegmentLength)
            {
                merged[^1] = new AsPathSegment(AsPathSegmentType.AsSequence, EquatableArray.Create([.. last.Asns.AsSpan(), .. segment.Asns.AsSpan()]));
            }
            else
            {
                merged.Add(segment);
            }

            join = false;
        }

        return new AsPath(merged.ToEquatableArray());
    }
}
