using System.Text;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Generators;

/// <summary>
/// FsCheck generators for OPEN messages and every capability type. Every value generated is one
/// the wire can carry (restart time at most 4095, stale time at most 24 bits, FQDN names at most
/// 255 octets of UTF-8, ADD-PATH modes 1..3), so encoding never rejects it.
/// </summary>
public static class OpenGenerators
{
    private static readonly byte[] KnownCodes = [1, 2, 5, 6, 64, 65, 69, 70, 71, 73];

    // Pieces of 1, 2, 3 and 4 UTF-8 octets, so names cross every encoding width.
    private static readonly string[] NamePieces = ["a", "z", "0", "-", ".", "é", "ß", "✓", "日", "😀"];

    /// <summary>Any AFI: the named ones often, any 16-bit value sometimes.</summary>
    public static Gen<Afi> AnyAfi() => Gen.Frequency(
        (3, Gen.Elements(Afi.Ipv4, Afi.Ipv6, Afi.L2vpn, Afi.LinkState)),
        (1, Gen.Choose(0, ushort.MaxValue).Select(v => (Afi)v)));

    /// <summary>Any SAFI.</summary>
    public static Gen<Safi> AnySafi() => Gen.Frequency(
        (3, Gen.Elements(Safi.Unicast, Safi.Multicast, Safi.MplsVpn, Safi.Evpn, Safi.FlowSpec)),
        (1, Gen.Choose(0, byte.MaxValue).Select(v => (Safi)v)));

    /// <summary>Any address family pair.</summary>
    public static Gen<AfiSafi> Family() => AnyAfi().SelectMany(afi => AnySafi().Select(safi => new AfiSafi(afi, safi)));

    /// <summary>Any 32-bit number.</summary>
    public static Gen<uint> AnyUInt32() =>
        Gen.Choose(0, ushort.MaxValue).SelectMany(high => Gen.Choose(0, ushort.MaxValue).Select(low => ((uint)high << 16) | (uint)low));

    /// <summary>Up to <paramref name="max"/> elements.</summary>
    public static Gen<T[]> ArrayUpTo<T>(Gen<T> element, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(element, n));

    /// <summary>A string of at most <paramref name="maxOctets"/> octets of UTF-8, mixing 1- to 4-octet characters.</summary>
    public static Gen<string> Utf8Name(int maxOctets) =>
        Gen.Choose(0, maxOctets).SelectMany(n => Gen.ArrayOf(Gen.Elements(NamePieces), n)).Select(pieces =>
        {
            var text = new StringBuilder();
            var octets = 0;
            foreach (var piece in pieces)
            {
                var length = Encoding.UTF8.GetByteCount(piece);
                if (octets + length > maxOctets)
                {
                    break;
                }

                text.Append(piece);
                octets += length;
            }

            return text.ToString();
        });

    /// <summary>Multiprotocol Extensions.</summary>
    public static Gen<Capability> Multiprotocol() => Family().Select(f => (Capability)new MultiprotocolCapability(f));

    /// <summary>The value-less capabilities: route refresh, enhanced route refresh, extended message.</summary>
    public static Gen<Capability> Empty() => Gen.Elements<Capability>(new RouteRefreshCapability(), new EnhancedRouteRefreshCapability(), new ExtendedMessageCapability());

    /// <summary>4-octet AS.</summary>
    public static Gen<Capability> FourOctetAs() => AnyUInt32().Select(asn => (Capability)new FourOctetAsCapability(asn));

    /// <summary>Extended Next Hop with up to <paramref name="maxEntries"/> entries.</summary>
    public static Gen<Capability> ExtendedNextHop(int maxEntries = 8) =>
        ArrayUpTo(
            from nlriAfi in AnyAfi()
            from nlriSafi in Gen.Choose(0, ushort.MaxValue)
            from nextHopAfi in AnyAfi()
            select new ExtendedNextHopEntry(nlriAfi, (ushort)nlriSafi, nextHopAfi),
            maxEntries).Select(entries => (Capability)new ExtendedNextHopCapability(entries));

    /// <summary>Graceful Restart with up to <paramref name="maxFamilies"/> families.</summary>
    public static Gen<Capability> GracefulRestart(int maxFamilies = 8) =>
        from restart in Gen.Elements(true, false)
        from notification in Gen.Elements(true, false)
        from time in Gen.Choose(0, GracefulRestartCapability.MaxRestartTime)
        from families in ArrayUpTo(
            from family in Family()
            from forwarding in Gen.Elements(true, false)
            select new GracefulRestartFamily(family, forwarding),
            maxFamilies)
        select (Capability)new GracefulRestartCapability(restart, notification, (ushort)time, families);

    /// <summary>ADD-PATH with up to <paramref name="maxFamilies"/> families, modes 1..3.</summary>
    public static Gen<Capability> AddPath(int maxFamilies = 8) =>
        ArrayUpTo(
            from family in Family()
            from mode in Gen.Elements(AddPathMode.Receive, AddPathMode.Send, AddPathMode.Both)
            select new AddPathFamily(family, mode),
            maxFamilies).Select(families => (Capability)new AddPathCapability(families));

    /// <summary>Long-Lived Graceful Restart with up to <paramref name="maxFamilies"/> families.</summary>
    public static Gen<Capability> LongLivedGracefulRestart(int maxFamilies = 8) =>
        ArrayUpTo(
            from family in Family()
            from forwarding in Gen.Elements(true, false)
            from staleTime in AnyUInt32().Select(v => v & LongLivedGracefulRestartCapability.MaxStaleTime)
            select new LongLivedGracefulRestartFamily(family, forwarding, staleTime),
            maxFamilies).Select(families => (Capability)new LongLivedGracefulRestartCapability(families));

    /// <summary>
    /// FQDN with names of at most <paramref name="maxOctets"/> octets each; together with their two
    /// length octets they fill at most the 255-octet capability value.
    /// </summary>
    public static Gen<Capability> Fqdn(int maxOctets = 253) =>
        from host in Utf8Name(Math.Min(maxOctets, 253))
        from domain in Utf8Name(Math.Min(maxOctets, 253 - Encoding.UTF8.GetByteCount(host)))
        select (Capability)new FqdnCapability(host, domain);

    /// <summary>A capability code this codec does not interpret.</summary>
    public static Gen<byte> UnknownCode() => Gen.Choose(0, byte.MaxValue).Select(v => (byte)v).Where(c => Array.IndexOf(KnownCodes, c) < 0);

    /// <summary>An uninterpreted capability with up to <paramref name="maxLength"/> octets of value.</summary>
    public static Gen<Capability> Unknown(int maxLength = 255) =>
        from code in UnknownCode()
        from value in ArrayUpTo(Gen.Choose(0, byte.MaxValue).Select(v => (byte)v), maxLength)
        select (Capability)new UnknownCapability(code, value);

    /// <summary>Any capability, each type about equally often. The sizes are kept small enough for many to fit in one OPEN.</summary>
    public static Gen<Capability> Capability() => Gen.OneOf(
        Multiprotocol(),
        Empty(),
        FourOctetAs(),
        ExtendedNextHop(),
        GracefulRestart(),
        AddPath(),
        LongLivedGracefulRestart(),
        Fqdn(60),
        Unknown(40));

    /// <summary>Any capability with values as large as the wire allows.</summary>
    public static Gen<Capability> CapabilityFullRange() => Gen.OneOf(
        Multiprotocol(),
        Empty(),
        FourOctetAs(),
        ExtendedNextHop(42),
        GracefulRestart(63),
        AddPath(63),
        LongLivedGracefulRestart(36),
        Fqdn(),
        Unknown());

    /// <summary>
    /// Any OPEN of version 4 with up to 12 capabilities, either layout and either parameters
    /// format, in the canonical form that decoding gives back (see <see cref="Canonical"/>).
    /// </summary>
    public static Gen<OpenMessage> Open() => Open(Capability(), 12);

    /// <summary>An OPEN whose capabilities come from <paramref name="capability"/>.</summary>
    /// <param name="capability">The capability generator.</param>
    /// <param name="maxCapabilities">The most capabilities.</param>
    public static Gen<OpenMessage> Open(Gen<Capability> capability, int maxCapabilities) =>
        from myAs in Gen.Choose(1, ushort.MaxValue)
        from holdTime in Gen.OneOf(Gen.Constant(0), Gen.Choose(3, ushort.MaxValue))
        from identifier in AnyUInt32().Where(v => v != 0)
        from capabilities in ArrayUpTo(capability, maxCapabilities)
        from layout in Gen.Elements(OptionalParameterLayout.ParameterPerCapability, OptionalParameterLayout.SingleParameter)
        from extended in Gen.Elements(true, false)
        select Canonical(new OpenMessage(OpenMessage.BgpVersion, (ushort)myAs, (ushort)holdTime, new RouterId(identifier), capabilities)
        {
            Layout = layout,
            ExtendedOptionalParameters = extended,
        });

    /// <summary>
    /// The form decoding reports for <paramref name="open"/>: SingleParameter only with two or more
    /// capabilities (one capability in one parameter reads as ParameterPerCapability), and
    /// ExtendedOptionalParameters only when the RFC 9072 format was a choice rather than a need.
    /// </summary>
    /// <param name="open">The OPEN.</param>
    public static OpenMessage Canonical(OpenMessage open)
    {
        ArgumentNullException.ThrowIfNull(open);
        var single = open.Layout == OptionalParameterLayout.SingleParameter && open.Capabilities.Count >= 2;
        return open with
        {
            Layout = single ? OptionalParameterLayout.SingleParameter : OptionalParameterLayout.ParameterPerCapability,
            ExtendedOptionalParameters = open.ExtendedOptionalParameters && !NeedsExtendedParameters(open.Capabilities, single),
        };
    }

    /// <summary>True when the capabilities cannot be carried in the RFC 4271 format (RFC 9072 §2).</summary>
    /// <param name="capabilities">The capabilities.</param>
    /// <param name="oneParameter">All in one parameter.</param>
    public static bool NeedsExtendedParameters(EquatableArray<Capability> capabilities, bool oneParameter)
    {
        var total = 0;
        var largest = 0;
        foreach (var capability in capabilities)
        {
            var length = OpenValidation.EncodeCapability(capability).Length;
            total += length;
            largest = Math.Max(largest, length);
        }

        var parameters = oneParameter ? Math.Min(1, capabilities.Count) : capabilities.Count;
        return (oneParameter ? total : largest) > 255 || total + (2 * parameters) > 255;
    }
}
