using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using System.Text.Unicode;

namespace BgpStack.Bgp.Wire;

/// <summary>
/// Capability codec (RFC 5492 §4 and the RFC of each capability): the (code, length, value)
/// triples inside a Capabilities optional parameter.
/// </summary>
/// <remarks>
/// A known capability whose value cannot be parsed for its code (wrong length, entries cut short)
/// makes the Capabilities parameter malformed: OPEN Message Error / Unspecific (2/0), because
/// RFC 4271 §6.2 gives subcode 0 to a recognised optional parameter that is malformed. Two cases
/// keep the capability instead, as an <see cref="UnknownCapability"/> with its raw value: an
/// ADD-PATH Send/Receive value outside 1..3 (RFC 7911 §4: the capability is then treated as not
/// understood and ignored), and an FQDN whose names are not valid UTF-8 (the capability is
/// informational, and keeping the octets loses nothing).
/// </remarks>
internal static class CapabilityCodec
{
    /// <summary>The largest capability value: the Capability Length field is one octet (RFC 5492 §4).</summary>
    public const int MaxValueLength = 255;

    /// <summary>The largest FQDN host or domain name in octets (a one-octet length).</summary>
    public const int MaxFqdnNameLength = 255;

    // RFC 4724 §3: Restart Flags are the top 4 bits of the first two octets; R is the most significant.
    private const int RestartStateFlag = 0x8000;

    // RFC 8538 §2: the N bit is the second Restart Flag.
    private const int NotificationFlag = 0x4000;

    private const int RestartTimeMask = 0x0FFF;

    // RFC 4724 §3 and RFC 9494 §2: F is the most significant bit of the per-family flags.
    private const byte ForwardingStateBit = 0x80;

    // Names are encoded strictly: a lone surrogate is a caller error, not something to replace silently.
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Decodes the value of one Capabilities optional parameter: a sequence of (code, length, value).</summary>
    public static DecodeResult<EquatableArray<Capability>> DecodeParameter(ReadOnlySpan<byte> value)
    {
        var capabilities = ImmutableArray.CreateBuilder<Capability>();
        if (!TryDecodeInto(value, capabilities, out var error))
        {
            return error;
        }

        return new EquatableArray<Capability>(capabilities.DrainToImmutable());
    }

    /// <summary>Decodes the capabilities of one parameter value, appending them to <paramref name="capabilities"/>.</summary>
    public static bool TryDecodeInto(ReadOnlySpan<byte> value, ImmutableArray<Capability>.Builder capabilities, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out BgpError? error)
    {
        while (!value.IsEmpty)
        {
            if (value.Length < 2)
            {
                error = Malformed($"a capability header needs 2 octets, {value.Length} remain in the parameter");
                return false;
            }

            var code = value[0];
            var length = value[1];
            if (length > value.Length - 2)
            {
                error = Malformed($"capability {code} has length {length} but {value.Length - 2} octets remain in the parameter");
                return false;
            }

            var result = DecodeCapability(code, value.Slice(2, length));
            if (!result.TryGetValue(out var capability, out error))
            {
                return false;
            }

            capabilities.Add(capability);
            value = value[(2 + length)..];
        }

        error = null;
        return true;
    }

    /// <summary>Decodes one capability value for its code; codes not interpreted here become <see cref="UnknownCapability"/>.</summary>
    public static DecodeResult<Capability> DecodeCapability(byte code, ReadOnlySpan<byte> value) => (CapabilityCode)code switch
    {
        CapabilityCode.Multiprotocol => DecodeMultiprotocol(value),
        CapabilityCode.RouteRefresh => DecodeEmpty(code, value, new RouteRefreshCapability()),
        CapabilityCode.ExtendedNextHop => DecodeExtendedNextHop(value),
        CapabilityCode.ExtendedMessage => DecodeEmpty(code, value, new ExtendedMessageCapability()),
        CapabilityCode.GracefulRestart => DecodeGracefulRestart(value),
        CapabilityCode.FourOctetAs => DecodeFourOctetAs(value),
        CapabilityCode.AddPath => DecodeAddPath(value),
        CapabilityCode.EnhancedRouteRefresh => DecodeEmpty(code, value, new EnhancedRouteRefreshCapability()),
        CapabilityCode.LongLivedGracefulRestart => DecodeLongLivedGracefulRestart(value),
        CapabilityCode.Fqdn => DecodeFqdn(value),
        _ => Unknown(code, value),
    };

    /// <summary>The length of the capability's value on the wire (without code and length octets).</summary>
    /// <exception cref="ArgumentException">The capability holds a value the wire cannot carry.</exception>
    public static int ValueLength(Capability capability) => capability switch
    {
        MultiprotocolCapability or FourOctetAsCapability => 4,
        RouteRefreshCapability or EnhancedRouteRefreshCapability or ExtendedMessageCapability => 0,
        ExtendedNextHopCapability nextHop => 6 * nextHop.Entries.Count,
        GracefulRestartCapability restart => 2 + (4 * restart.Families.Count),
        AddPathCapability addPath => 4 * addPath.Families.Count,
        LongLivedGracefulRestartCapability llgr => 7 * llgr.Families.Count,
        FqdnCapability fqdn => 2 + NameLength(fqdn.HostName, "host") + NameLength(fqdn.DomainName, "domain"),
        UnknownCapability unknown => unknown.Value.Count,
        _ => throw new ArgumentException($"no encoding for {capability.GetType().Name}", nameof(capability)),
    };

    /// <summary>The length of the whole capability TLV on the wire.</summary>
    public static int EncodedLength(Capability capability) => 2 + ValueLength(capability);

    /// <summary>Writes one capability: code, length and value.</summary>
    /// <exception cref="ArgumentException">The capability holds a value the wire cannot carry (too long, a field out of range).</exception>
    public static void Encode(Capability capability, ref SpanWriter writer)
    {
        var length = ValueLength(capability);
        if (length > MaxValueLength)
        {
            throw new ArgumentException($"capability {(byte)capability.Code} has a {length}-octet value; at most {MaxValueLength} fit", nameof(capability));
        }

        writer.WriteByte(capability is UnknownCapability unknown ? unknown.RawCode : (byte)capability.Code);
        writer.WriteByte((byte)length);
        switch (capability)
        {
            case MultiprotocolCapability mp:
                writer.WriteUInt16((ushort)mp.Family.Afi);
                writer.WriteByte(0); // reserved (RFC 4760 §8)
                writer.WriteByte((byte)mp.Family.Safi);
                break;
            case FourOctetAsCapability fourOctet:
                writer.WriteUInt32(fourOctet.Asn);
                break;
            case ExtendedNextHopCapability nextHop:
                foreach (var entry in nextHop.Entries)
                {
                    writer.WriteUInt16((ushort)entry.NlriAfi);
                    writer.WriteUInt16(entry.NlriSafi);
                    writer.WriteUInt16((ushort)entry.NextHopAfi);
                }

                break;
            case GracefulRestartCapability restart:
                EncodeGracefulRestart(restart, ref writer);
                break;
            case AddPathCapability addPath:
                foreach (var family in addPath.Families)
                {
                    if (family.Mode is not (AddPathMode.Receive or AddPathMode.Send or AddPathMode.Both))
                    {
                        throw new ArgumentException($"ADD-PATH mode {(byte)family.Mode} for {family.Family} is not 1, 2 or 3", nameof(capability));
                    }

                    WriteFamily(family.Family, ref writer);
                    writer.WriteByte((byte)family.Mode);
                }

                break;
            case LongLivedGracefulRestartCapability llgr:
                foreach (var family in llgr.Families)
                {
                    if (family.StaleTime > LongLivedGracefulRestartCapability.MaxStaleTime)
                    {
                        throw new ArgumentException($"long-lived stale time {family.StaleTime} does not fit in 24 bits", nameof(capability));
                    }

                    WriteFamily(family.Family, ref writer);
                    writer.WriteByte(family.ForwardingPreserved ? ForwardingStateBit : (byte)0);
                    writer.WriteUInt24(family.StaleTime);
                }

                break;
            case FqdnCapability fqdn:
                WriteName(fqdn.HostName, ref writer);
                WriteName(fqdn.DomainName, ref writer);
                break;
            case UnknownCapability raw:
                writer.WriteBytes(raw.Value.AsSpan());
                break;
            default:
                // the value-less capabilities: route refresh, enhanced route refresh, extended message
                break;
        }
    }

    private static void EncodeGracefulRestart(GracefulRestartCapability restart, ref SpanWriter writer)
    {
        if (restart.RestartTime > GracefulRestartCapability.MaxRestartTime)
        {
            throw new ArgumentException($"restart time {restart.RestartTime} does not fit in 12 bits", nameof(restart));
        }

        var head = restart.RestartTime | (restart.RestartState ? RestartStateFlag : 0) | (restart.NotificationSupport ? NotificationFlag : 0);
        writer.WriteUInt16((ushort)head);
        foreach (var family in restart.Families)
        {
            WriteFamily(family.Family, ref writer);
            writer.WriteByte(family.ForwardingPreserved ? ForwardingStateBit : (byte)0);
        }
    }

    private static void WriteFamily(AfiSafi family, ref SpanWriter writer)
    {
        writer.WriteUInt16((ushort)family.Afi);
        writer.WriteByte((byte)family.Safi);
    }

    private static int NameLength(string name, string which)
    {
        var length = StrictUtf8.GetByteCount(name);
        if (length > MaxFqdnNameLength)
        {
            throw new ArgumentException($"the FQDN {which} name is {length} octets of UTF-8; at most {MaxFqdnNameLength} fit");
        }

        return length;
    }

    private static void WriteName(string name, ref SpanWriter writer)
    {
        var length = StrictUtf8.GetByteCount(name);
        writer.WriteByte((byte)length);
        StrictUtf8.GetBytes(name, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static AfiSafi ReadFamily(ReadOnlySpan<byte> value) =>
        new((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);

    private static BgpError Malformed(string reason) =>
        BgpError.Open(OpenCodec.Unspecific, [], reason);

    private static BgpError WrongLength(byte code, int length, string expected) =>
        Malformed($"capability {code} ({(CapabilityCode)code}) has length {length}; {expected}");

    private static DecodeResult<Capability> Unknown(byte code, ReadOnlySpan<byte> value) =>
        new UnknownCapability(code, EquatableArray.Create(value));

    private static DecodeResult<Capability> DecodeEmpty(byte code, ReadOnlySpan<byte> value, Capability capability) =>
        value.IsEmpty ? capability : WrongLength(code, value.Length, "it carries no value");

    // RFC 4760 §8: AFI (2), reserved (1, ignored on receipt), SAFI (1).
    private static DecodeResult<Capability> DecodeMultiprotocol(ReadOnlySpan<byte> value) =>
        value.Length == 4
            ? new MultiprotocolCapability(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[3]))
            : WrongLength((byte)CapabilityCode.Multiprotocol, value.Length, "it must be 4");

    // RFC 6793 §3: the sender's 4-octet AS number.
    private static DecodeResult<Capability> DecodeFourOctetAs(ReadOnlySpan<byte> value) =>
        value.Length == 4
            ? new FourOctetAsCapability(BinaryPrimitives.ReadUInt32BigEndian(value))
            : WrongLength((byte)CapabilityCode.FourOctetAs, value.Length, "it must be 4");

    // RFC 8950 §3: entries of NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2).
    private static DecodeResult<Capability> DecodeExtendedNextHop(ReadOnlySpan<byte> value)
    {
        if (value.Length % 6 != 0)
        {
            return WrongLength((byte)CapabilityCode.ExtendedNextHop, value.Length, "it must be a multiple of 6");
        }

        var entries = new ExtendedNextHopEntry[value.Length / 6];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = value.Slice(i * 6, 6);
            entries[i] = new ExtendedNextHopEntry(
                (Afi)BinaryPrimitives.ReadUInt16BigEndian(entry),
                BinaryPrimitives.ReadUInt16BigEndian(entry[2..]),
                (Afi)BinaryPrimitives.ReadUInt16BigEndian(entry[4..]));
        }

        return new ExtendedNextHopCapability(entries);
    }

    // RFC 4724 §3, RFC 8538 §2: flags (4 bits) and restart time (12 bits), then AFI (2), SAFI (1), flags (1) per family.
    private static DecodeResult<Capability> DecodeGracefulRestart(ReadOnlySpan<byte> value)
    {
        if (value.Length < 2 || (value.Length - 2) % 4 != 0)
        {
            return WrongLength((byte)CapabilityCode.GracefulRestart, value.Length, "it must be 2 plus a multiple of 4");
        }

        var head = BinaryPrimitives.ReadUInt16BigEndian(value);
        var families = new GracefulRestartFamily[(value.Length - 2) / 4];
        for (var i = 0; i < families.Length; i++)
        {
            var entry = value.Slice(2 + (i * 4), 4);
            families[i] = new GracefulRestartFamily(ReadFamily(entry), (entry[3] & ForwardingStateBit) != 0);
        }

        return new GracefulRestartCapability(
            (head & RestartStateFlag) != 0,
            (head & NotificationFlag) != 0,
            (ushort)(head & RestartTimeMask),
            families);
    }

    // RFC 7911 §4: AFI (2), SAFI (1), Send/Receive (1) per family.
    private static DecodeResult<Capability> DecodeAddPath(ReadOnlySpan<byte> value)
    {
        if (value.Length % 4 != 0)
        {
            return WrongLength((byte)CapabilityCode.AddPath, value.Length, "it must be a multiple of 4");
        }

        var families = new AddPathFamily[value.Length / 4];
        for (var i = 0; i < families.Length; i++)
        {
            var entry = value.Slice(i * 4, 4);
            var mode = entry[3];
            if (mode is < 1 or > 3)
            {
                // RFC 7911 §4: any other Send/Receive value means the capability is not understood and ignored.
                return Unknown((byte)CapabilityCode.AddPath, value);
            }

            families[i] = new AddPathFamily(ReadFamily(entry), (AddPathMode)mode);
        }

        return new AddPathCapability(families);
    }

    // RFC 9494 §2: AFI (2), SAFI (1), flags (1), long-lived stale time (3) per family.
    private static DecodeResult<Capability> DecodeLongLivedGracefulRestart(ReadOnlySpan<byte> value)
    {
        if (value.Length % 7 != 0)
        {
            return WrongLength((byte)CapabilityCode.LongLivedGracefulRestart, value.Length, "it must be a multiple of 7");
        }

        var families = new LongLivedGracefulRestartFamily[value.Length / 7];
        for (var i = 0; i < families.Length; i++)
        {
            var entry = value.Slice(i * 7, 7);
            var staleTime = ((uint)entry[4] << 16) | ((uint)entry[5] << 8) | entry[6];
            families[i] = new LongLivedGracefulRestartFamily(ReadFamily(entry), (entry[3] & ForwardingStateBit) != 0, staleTime);
        }

        return new LongLivedGracefulRestartCapability(families);
    }

    // draft-walton-bgp-hostname-capability §3: host name length (1), host name, domain name length (1), domain name.
    private static DecodeResult<Capability> DecodeFqdn(ReadOnlySpan<byte> value)
    {
        const byte code = (byte)CapabilityCode.Fqdn;
        if (value.IsEmpty || value[0] > value.Length - 2)
        {
            return WrongLength(code, value.Length, "the host name and the domain name length overrun it");
        }

        var host = value.Slice(1, value[0]);
        var rest = value[(1 + host.Length)..];
        if (rest[0] != rest.Length - 1)
        {
            return WrongLength(code, value.Length, $"the domain name length {rest[0]} disagrees with the {rest.Length - 1} octets left");
        }

        var domain = rest[1..];
        if (!Utf8.IsValid(host) || !Utf8.IsValid(domain))
        {
            return Unknown(code, value);
        }

        return new FqdnCapability(Encoding.UTF8.GetString(host), Encoding.UTF8.GetString(domain));
    }
}
