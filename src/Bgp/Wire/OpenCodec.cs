using System.Buffers.Binary;
using System.Collections.Immutable;

namespace BgpStack.Bgp.Wire;

/// <summary>OPEN body codec (RFC 4271 §4.2), its Capabilities parameters (RFC 5492) and the extended optional parameters format (RFC 9072).</summary>
internal static class OpenCodec
{
    /// <summary>
    /// Subcode 0, Unspecific: RFC 4271 §6.2 gives it to a recognised optional parameter that is
    /// malformed, and it is the closest fit for optional parameter lengths that disagree with the
    /// message length.
    /// </summary>
    public const OpenMessageErrorSubcode Unspecific = 0;

    /// <summary>Version, My Autonomous System, Hold Time, BGP Identifier and the optional parameters length.</summary>
    public const int FixedLength = 10;

    /// <summary>The Capabilities optional parameter type (RFC 5492 §4).</summary>
    public const byte CapabilitiesParameter = 2;

    /// <summary>The parameter type that marks the extended format (RFC 9072 §2).</summary>
    public const byte ExtendedLengthParameter = 255;

    /// <summary>The largest length the non-extended one-octet fields hold.</summary>
    private const int MaxNonExtendedLength = 255;

    public static DecodeResult<OpenMessage> Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < FixedLength)
        {
            // Framing normally rejects this first (an OPEN is at least 29 octets, RFC 4271 §6.1).
            var length = BgpHeader.Size + body.Length;
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [(byte)(length >> 8), (byte)length], $"an OPEN body needs {FixedLength} octets, this one has {body.Length}");
        }

        var version = body[0];
        if (version != OpenMessage.BgpVersion)
        {
            // RFC 4271 §6.2: data is the largest locally supported version, 2 octets.
            return BgpError.Open(OpenMessageErrorSubcode.UnsupportedVersionNumber, [0, OpenMessage.BgpVersion], $"version {version} is not supported; only 4 is");
        }

        var myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        var holdTime = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        var identifier = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        if (myAs == 0)
        {
            // RFC 7607 §2: AS 0 in OPEN is Bad Peer AS.
            return BgpError.Open(OpenMessageErrorSubcode.BadPeerAs, [], "My Autonomous System is 0");
        }

        if (holdTime is 1 or 2)
        {
            // RFC 4271 §6.2: a hold time of one or two seconds must be rejected.
            return BgpError.Open(OpenMessageErrorSubcode.UnacceptableHoldTime, [], $"hold time {holdTime} is neither 0 nor at least 3");
        }

        if (identifier == 0)
        {
            // RFC 6286 §2.2: a BGP Identifier of zero is Bad BGP Identifier.
            return BgpError.Open(OpenMessageErrorSubcode.BadBgpIdentifier, [], "the BGP Identifier is 0");
        }

        var nonExtendedLength = body[9];
        var parameters = body[FixedLength..];
        var extended = false;
        if (nonExtendedLength != 0 && !parameters.IsEmpty && parameters[0] == ExtendedLengthParameter)
        {
            // RFC 9072 §2: Non-Ext OP Type 255 means a 2-octet Extended Opt. Parm. Length follows.
            if (parameters.Length < 3)
            {
                return BgpError.Open(Unspecific, [], "the extended optional parameters length is cut short");
            }

            var extendedLength = BinaryPrimitives.ReadUInt16BigEndian(parameters[1..]);
            parameters = parameters[3..];
            if (extendedLength != parameters.Length)
            {
                return BgpError.Open(Unspecific, [], $"the extended optional parameters length is {extendedLength} but {parameters.Length} octets follow");
            }

            extended = true;
        }
        else if (nonExtendedLength != parameters.Length)
        {
            return BgpError.Open(Unspecific, [], $"the optional parameters length is {nonExtendedLength} but {parameters.Length} octets follow");
        }

        var headerLength = extended ? 3 : 2;
        var capabilities = ImmutableArray.CreateBuilder<Capability>();
        var parameterCount = 0;
        var nonExtendedTotal = 0;
        var needsExtended = false;
        while (!parameters.IsEmpty)
        {
            if (parameters.Length < headerLength)
            {
                return BgpError.Open(Unspecific, [], $"an optional parameter header needs {headerLength} octets, {parameters.Length} remain");
            }

            var type = parameters[0];
            int length = extended ? BinaryPrimitives.ReadUInt16BigEndian(parameters[1..]) : parameters[1];
            if (length > parameters.Length - headerLength)
            {
                return BgpError.Open(Unspecific, [], $"optional parameter {type} has length {length} but {parameters.Length - headerLength} octets remain");
            }

            if (type != CapabilitiesParameter)
            {
                // RFC 4271 §6.2 (and RFC 9072 §2 for type 255 where a parameter is expected).
                return BgpError.Open(OpenMessageErrorSubcode.UnsupportedOptionalParameter, [], $"optional parameter type {type} is not supported");
            }

            if (!CapabilityCodec.TryDecodeInto(parameters.Slice(headerLength, length), capabilities, out var error))
            {
                return error;
            }

            parameterCount++;
            nonExtendedTotal += 2 + length;
            needsExtended |= length > MaxNonExtendedLength;
            parameters = parameters[(headerLength + length)..];
        }

        needsExtended |= nonExtendedTotal > MaxNonExtendedLength;
        var layout = parameterCount == 1 && capabilities.Count >= 2
            ? OptionalParameterLayout.SingleParameter
            : OptionalParameterLayout.ParameterPerCapability;
        return new OpenMessage(version, myAs, holdTime, new RouterId(identifier), new EquatableArray<Capability>(capabilities.DrainToImmutable()))
        {
            Layout = layout,

            // Only a choice the sender made is recorded, so that encoding the result gives the same octets.
            ExtendedOptionalParameters = extended && !needsExtended,
        };
    }

    public static void Encode(OpenMessage message, ref SpanWriter writer)
    {
        writer.WriteByte(message.Version);
        writer.WriteUInt16(message.MyAutonomousSystem);
        writer.WriteUInt16(message.HoldTime);
        writer.WriteUInt32(message.BgpIdentifier.Value);

        var capabilities = message.Capabilities.AsSpan();
        var single = message.Layout == OptionalParameterLayout.SingleParameter && !capabilities.IsEmpty;

        // Sizes first: they decide between the RFC 4271 and the RFC 9072 format.
        var parameterCount = single ? 1 : capabilities.Length;
        var valuesTotal = 0;
        var largestValue = 0;
        foreach (var capability in capabilities)
        {
            var length = CapabilityCodec.EncodedLength(capability);
            valuesTotal += length;
            largestValue = Math.Max(largestValue, length);
        }

        if (single)
        {
            largestValue = valuesTotal;
        }

        var nonExtendedTotal = valuesTotal + (2 * parameterCount);

        // RFC 9072 §2: the extended format is required once a length exceeds 255.
        var extended = message.ExtendedOptionalParameters || largestValue > MaxNonExtendedLength || nonExtendedTotal > MaxNonExtendedLength;
        if (!extended)
        {
            writer.WriteByte((byte)nonExtendedTotal);
        }
        else
        {
            var extendedTotal = valuesTotal + (3 * parameterCount);
            if (extendedTotal > ushort.MaxValue)
            {
                throw new MessageTooLargeException($"{extendedTotal} octets of optional parameters do not fit in an OPEN");
            }

            writer.WriteByte(MaxNonExtendedLength); // Non-Ext OP Len, 255 on transmission
            writer.WriteByte(ExtendedLengthParameter); // Non-Ext OP Type
            writer.WriteUInt16((ushort)extendedTotal);
        }

        if (single)
        {
            WriteParameterHeader(valuesTotal, extended, ref writer);
            foreach (var capability in capabilities)
            {
                CapabilityCodec.Encode(capability, ref writer);
            }

            return;
        }

        foreach (var capability in capabilities)
        {
            WriteParameterHeader(CapabilityCodec.EncodedLength(capability), extended, ref writer);
            CapabilityCodec.Encode(capability, ref writer);
        }
    }

    private static void WriteParameterHeader(int length, bool extended, ref SpanWriter writer)
    {
        writer.WriteByte(CapabilitiesParameter);
        if (extended)
        {
            writer.WriteUInt16((ushort)length);
        }
        else
        {
            writer.WriteByte((byte)length);
        }
    }
}
