using System.Buffers.Binary;

namespace BgpStack.Bgp.Wire;

/// <summary>UPDATE body codec (RFC 4271 §4.3, §6.3; RFC 7606; RFC 4760).</summary>
internal static class UpdateCodec
{
    /// <summary>The octets of an UPDATE besides its routes and attributes: header, withdrawn length, attribute length.</summary>
    public const int FixedOverhead = BgpHeader.Size + 4;

    /// <summary>Decodes an UPDATE body; a session-reset error fails, anything milder is reported on the message.</summary>
    public static DecodeResult<UpdateMessage> Decode(ReadOnlySpan<byte> body, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // RFC 4271 §6.3: length fields that do not fit the message are a Malformed Attribute List,
        // and with the NLRI impossible to locate only a session reset is left (RFC 7606 §4).
        if (body.Length < 4)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.MalformedAttributeList, default, "UPDATE shorter than its two length fields");
        }

        var withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (withdrawnLength > body.Length - 4)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.MalformedAttributeList, default, $"Withdrawn Routes Length {withdrawnLength} overruns the message");
        }

        var attributeLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        if (attributeLength > body.Length - 4 - withdrawnLength)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.MalformedAttributeList, default, $"Total Path Attribute Length {attributeLength} overruns the message");
        }

        var ipv4AddPath = context.HasAddPath(AfiSafi.Ipv4Unicast);

        // RFC 7606 §3.i and §5.3: a malformed Withdrawn Routes or NLRI field is a session reset.
        var error = NlriWriter.ReadAll(body.Slice(2, withdrawnLength), ipv6: false, ipv4AddPath, out var withdrawn);
        if (error != NlriError.None)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.InvalidNetworkField, default, $"Withdrawn Routes: {Describe(error, 32)}");
        }

        var nlriField = body[(4 + withdrawnLength + attributeLength)..];
        error = NlriWriter.ReadAll(nlriField, ipv6: false, ipv4AddPath, out var nlri);
        if (error != NlriError.None)
        {
            return BgpError.Update(UpdateMessageErrorSubcode.InvalidNetworkField, default, $"NLRI: {Describe(error, 32)}");
        }

        var blockResult = PathAttributeCodec.Decode(body.Slice(4 + withdrawnLength, attributeLength), context, mrtRibEntry: false);
        if (!blockResult.TryGetValue(out var block, out var fatal))
        {
            return fatal;
        }

        var errors = block.Errors;
        var attributes = block.Attributes;
        var announces = !nlri.IsEmpty || block.MpReach is { } reach && (!reach.Nlri.IsEmpty || !reach.RawNlri.IsEmpty);
        if (announces)
        {
            // RFC 4271 §6.3 names the NOTIFICATION; RFC 7606 §3.d makes it treat-as-withdraw.
            // NEXT_HOP is only mandatory with IPv4 routes in the NLRI field (RFC 4760 §3).
            List<AttributeError>? missing = null;
            CheckMissing(ref missing, errors, attributes.Origin is null, AttributeType.Origin, "ORIGIN");
            CheckMissing(ref missing, errors, attributes.AsPath is null, AttributeType.AsPath, "AS_PATH");
            CheckMissing(ref missing, errors, !nlri.IsEmpty && attributes.NextHop is null, AttributeType.NextHop, "NEXT_HOP");
            if (missing is not null)
            {
                errors = errors.AsImmutableArray().AddRange(missing);
            }
        }
        else if (!errors.IsEmpty && HasAttributesBesidesMpUnreach(attributes, block))
        {
            // RFC 7606 §5.2: attributes but no reachable NLRI means the NLRI cannot be trusted to have
            // been parsed, so an error short of a session reset is at least treat-as-withdraw (an
            // MP_REACH_NLRI error keeps its stronger AFI/SAFI disable, RFC 7606 §3.h).
            var upgraded = new AttributeError[errors.Count];
            for (var i = 0; i < upgraded.Length; i++)
            {
                upgraded[i] = errors[i].Action < AttributeErrorAction.TreatAsWithdraw ? errors[i] with { Action = AttributeErrorAction.TreatAsWithdraw } : errors[i];
            }

            errors = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(upgraded);
        }

        return new UpdateMessage
        {
            WithdrawnRoutes = withdrawn,
            Attributes = attributes,
            MpReach = block.MpReach,
            MpUnreach = block.MpUnreach,
            Nlri = nlri,
            AttributeErrors = errors,
        };
    }

    /// <summary>Encodes the UPDATE body.</summary>
    public static void Encode(UpdateMessage message, ref SpanWriter writer, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var addPath = context.HasAddPath(AfiSafi.Ipv4Unicast);
        var withdrawnAt = writer.Reserve(2);
        NlriWriter.Write(ref writer, message.WithdrawnRoutes.AsSpan(), addPath);
        writer.WriteUInt16At(withdrawnAt, checked((ushort)(writer.Position - withdrawnAt - 2)));
        var attributesAt = writer.Reserve(2);
        PathAttributeCodec.Encode(message.Attributes, message.MpReach, message.MpUnreach, ref writer, context);
        writer.WriteUInt16At(attributesAt, checked((ushort)(writer.Position - attributesAt - 2)));
        NlriWriter.Write(ref writer, message.Nlri.AsSpan(), addPath);
    }

    private static bool HasAttributesBesidesMpUnreach(PathAttributes attributes, AttributeBlock block)
    {
        if (attributes != PathAttributes.Empty || block.MpReach is not null)
        {
            return true;
        }

        // Errors on attributes other than MP_UNREACH_NLRI show that such attributes were present.
        foreach (var e in block.Errors)
        {
            if (e.AttributeType != (byte)AttributeType.MpUnreachNlri)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckMissing(ref List<AttributeError>? missing, EquatableArray<AttributeError> errors, bool absent, AttributeType type, string name)
    {
        if (!absent)
        {
            return;
        }

        // A malformed attribute was already reported (treat-as-withdraw); it is not also "missing".
        foreach (var e in errors)
        {
            if (e.AttributeType == (byte)type && e.Action == AttributeErrorAction.TreatAsWithdraw)
            {
                return;
            }
        }

        missing ??= [];
        missing.Add(new AttributeError(
            AttributeErrorAction.TreatAsWithdraw,
            (byte)type,
            BgpError.Update(UpdateMessageErrorSubcode.MissingWellKnownAttribute, [(byte)type], $"{name} is missing (RFC 7606 §3.d)")));
    }

    private static string Describe(NlriError error, int maxLength) => error switch
    {
        NlriError.PrefixTooLong => $"prefix length above {maxLength}",
        _ => "truncated prefix",
    };
}
