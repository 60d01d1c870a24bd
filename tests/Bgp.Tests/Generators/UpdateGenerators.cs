using System.Net;
using BgpStack.Bgp.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace BgpStack.Bgp.Tests.Generators;

/// <summary>
/// FsCheck generators for UPDATE messages, path attributes and each attribute value type. Every
/// generated value is one the codec round-trips exactly in the context it was generated for
/// (e.g. no 4-octet ASes in confederation segments toward a 2-octet speaker, RFC 6793 §4.2.2).
/// </summary>
public static class UpdateGenerators
{
    /// <summary>Any octet.</summary>
    public static Gen<byte> Byte { get; } = Gen.Choose(0, 255).Select(b => (byte)b);

    /// <summary>Any 16-bit number.</summary>
    public static Gen<ushort> Word16 { get; } = Gen.Choose(0, ushort.MaxValue).Select(v => (ushort)v);

    /// <summary>Any 32-bit number, with the edges and small values favoured.</summary>
    public static Gen<uint> Word32 { get; } = Gen.Frequency(
        (6, Gen.Zip(Word16, Word16, (hi, lo) => ((uint)hi << 16) | lo)),
        (2, Gen.Choose(0, 70000).Select(v => (uint)v)),
        (1, Gen.Elements(0u, 1u, 23456u, 65535u, 65536u, uint.MaxValue)));

    /// <summary>Any 64-bit number.</summary>
    public static Gen<ulong> Word64 { get; } = Gen.Zip(Word32, Word32, (hi, lo) => ((ulong)hi << 32) | lo);

    /// <summary>Any 128-bit number.</summary>
    public static Gen<UInt128> UInt128Value { get; } = Gen.Zip(Word64, Word64, (hi, lo) => new UInt128(hi, lo));

    /// <summary>Octet strings of 0 to <paramref name="max"/> octets.</summary>
    /// <param name="max">The longest string.</param>
    public static Gen<byte[]> Bytes(int max) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Byte, n));

    /// <summary>An IPv4 prefix of any length.</summary>
    public static Gen<IpPrefix> Ipv4Prefix { get; } = Gen.Zip(Word32, Gen.Choose(0, 32), IpPrefix.FromIPv4);

    /// <summary>An IPv6 prefix of any length.</summary>
    public static Gen<IpPrefix> Ipv6Prefix { get; } = Gen.Zip(UInt128Value, Gen.Choose(0, 128), IpPrefix.FromIPv6);

    /// <summary>An NLRI entry; with a path identifier when <paramref name="addPath"/>.</summary>
    /// <param name="ipv6">IPv6 rather than IPv4.</param>
    /// <param name="addPath">Carry a path identifier.</param>
    public static Gen<Nlri> NlriEntry(bool ipv6, bool addPath) =>
        Gen.Zip(ipv6 ? Ipv6Prefix : Ipv4Prefix, addPath ? Word32 : Gen.Constant(0u), (p, id) => new Nlri(p, id));

    /// <summary>A list of up to <paramref name="max"/> NLRI entries.</summary>
    /// <param name="ipv6">IPv6 rather than IPv4.</param>
    /// <param name="addPath">Carry path identifiers.</param>
    /// <param name="max">The most entries.</param>
    public static Gen<EquatableArray<Nlri>> NlriList(bool ipv6, bool addPath, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(NlriEntry(ipv6, addPath), n)).Select(a => (EquatableArray<Nlri>)a);

    /// <summary>A codec context: 2- or 4-octet AS, ADD-PATH on any family, standard messages.</summary>
    public static Gen<CodecContext> Context { get; } =
        Gen.Zip(Gen.Elements(true, false), Gen.Choose(0, 3), (four, addPath) => new CodecContext { FourOctetAs = four, AddPath = (AddPathFamilies)addPath });

    /// <summary>A community.</summary>
    public static Gen<Community> Community { get; } = Word32.Select(v => new Community(v));

    /// <summary>An extended community.</summary>
    public static Gen<ExtendedCommunity> ExtendedCommunity { get; } = Word64.Select(v => new ExtendedCommunity(v));

    /// <summary>An IPv6 address specific extended community.</summary>
    public static Gen<Ipv6ExtendedCommunity> Ipv6ExtendedCommunity { get; } =
        from t in Byte
        from s in Byte
        from g in UInt128Value
        from l in Word16
        select new Ipv6ExtendedCommunity(t, s, g, l);

    /// <summary>A large community.</summary>
    public static Gen<LargeCommunity> LargeCommunity { get; } =
        from g in Word32
        from a in Word32
        from b in Word32
        select new LargeCommunity(g, a, b);

    /// <summary>A router identifier.</summary>
    public static Gen<RouterId> RouterId { get; } = Word32.Select(v => new RouterId(v));

    /// <summary>An aggregator.</summary>
    public static Gen<Aggregator> Aggregator { get; } = Gen.Zip(Word32, RouterId, (asn, id) => new Aggregator(asn, id));

    /// <summary>An IPv4 address.</summary>
    public static Gen<IPAddress> Ipv4Address { get; } = Word32.Select(v => new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]));

    /// <summary>An AS path segment of 1 to 12 ASes.</summary>
    /// <param name="type">The segment type.</param>
    /// <param name="asn">The AS numbers to draw from.</param>
    public static Gen<AsPathSegment> Segment(AsPathSegmentType type, Gen<uint> asn) =>
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(asn, n)).Select(a => new AsPathSegment(type, a));

    /// <summary>
    /// An AS path: optional leading confederation segments, then sequences and sets. Toward a
    /// 2-octet speaker confederation members stay below 65536 (RFC 6793 §4.2.2 keeps them out of AS4_PATH).
    /// </summary>
    /// <param name="fourOctetAs">Whether the path travels to a 4-octet speaker.</param>
    public static Gen<AsPath> AsPath(bool fourOctetAs)
    {
        var confedAsn = fourOctetAs ? Word32 : Word16.Select(v => (uint)v);
        var confed = Gen.OneOf(Segment(AsPathSegmentType.AsConfedSequence, confedAsn), Segment(AsPathSegmentType.AsConfedSet, confedAsn));
        var plain = Gen.Frequency((4, Segment(AsPathSegmentType.AsSequence, Word32)), (1, Segment(AsPathSegmentType.AsSet, Word32)));
        return from c in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(confed, n))
               from p in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(plain, n))
               select new AsPath(c.Concat(p).ToEquatableArray());
    }

    /// <summary>Unknown optional attributes with distinct type codes in type-code order.</summary>
    public static Gen<EquatableArray<RawAttribute>> UnknownAttributes { get; } =
        from codes in Gen.SubListOf(new byte[] { 11, 12, 13, 19, 20, 21, 22, 23, 24, 26, 29, 33, 35, 40, 128, 200, 255 })
        from attrs in Gen.CollectToArray(codes.OrderBy(c => c), code =>
            from flagBits in Gen.Choose(0, 7)
            from value in Bytes(24)
            select new RawAttribute(
                AttributeFlags.Optional | ((flagBits & 1) != 0 ? AttributeFlags.Transitive : 0) | ((flagBits & 2) != 0 ? AttributeFlags.Partial : 0) | ((flagBits & 4) != 0 ? AttributeFlags.ExtendedLength : 0),
                code,
                value))
        select (EquatableArray<RawAttribute>)attrs;

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : struct => Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> MaybeRef<T>(Gen<T> gen)
        where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<EquatableArray<T>> List<T>(Gen<T> gen, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(gen, n)).Select(a => (EquatableArray<T>)a);

    /// <summary>A path attribute set that round-trips toward a speaker of the given AS size.</summary>
    /// <param name="fourOctetAs">Whether the set travels to a 4-octet speaker.</param>
    public static Gen<PathAttributes> PathAttributes(bool fourOctetAs) =>
        from origin in Maybe(Gen.Elements(Origin.Igp, Origin.Egp, Origin.Incomplete))
        from asPath in MaybeRef(AsPath(fourOctetAs))
        from nextHop in MaybeRef(Ipv4Address)
        from med in Maybe(Word32)
        from localPref in Maybe(Word32)
        from atomic in Gen.Elements(true, false)
        from aggregator in Maybe(Aggregator)
        from communities in List(Community, 6)
        from originator in Maybe(RouterId)
        from clusters in List(RouterId, 4)
        from ext in List(ExtendedCommunity, 4)
        from ext6 in List(Ipv6ExtendedCommunity, 3)
        from large in List(LargeCommunity, 4)
        from unknown in UnknownAttributes
        select new BgpStack.Bgp.Wire.PathAttributes
        {
            Origin = origin,
            AsPath = asPath,
            NextHop = nextHop,
            MultiExitDisc = med,
            LocalPref = localPref,
            AtomicAggregate = atomic,
            Aggregator = FitAggregator(aggregator, asPath, fourOctetAs),
            Communities = communities,
            OriginatorId = originator,
            ClusterList = clusters,
            HasClusterList = !clusters.IsEmpty,
            ExtendedCommunities = ext,
            Ipv6ExtendedCommunities = ext6,
            LargeCommunities = large,
            UnknownAttributes = unknown,
        };

    // RFC 6793 §4.2.3: an AGGREGATOR other than AS_TRANS makes a 2-octet receiver ignore AS4_PATH,
    // so with 4-octet ASes in the path the aggregator must need AS4_AGGREGATOR too.
    private static Aggregator? FitAggregator(Aggregator? aggregator, AsPath? path, bool fourOctetAs) =>
        aggregator is { } a && !fourOctetAs && path is { HasFourOctetAsn: true } && a.Asn <= ushort.MaxValue && a.Asn != 23456
            ? a with { Asn = a.Asn + 100000 }
            : aggregator;

    /// <summary>MP_REACH_NLRI of IPv4 or IPv6 unicast (next hops as RFC 2545 / RFC 8950 allow) or of a family kept raw.</summary>
    /// <param name="context">The context, for ADD-PATH.</param>
    public static Gen<MpReachNlri> MpReach(CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ipv6 = from hop in Gen.Elements(16, 32).SelectMany(n => Gen.ArrayOf(Byte, n))
                   from nlri in NlriList(true, context.HasAddPath(AfiSafi.Ipv6Unicast), 12)
                   select new MpReachNlri(AfiSafi.Ipv6Unicast, hop, nlri);
        var ipv4 = from hop in Gen.Elements(4, 16, 32).SelectMany(n => Gen.ArrayOf(Byte, n))
                   from nlri in NlriList(false, context.HasAddPath(AfiSafi.Ipv4Unicast), 12)
                   select new MpReachNlri(AfiSafi.Ipv4Unicast, hop, nlri);
        var raw = from family in Gen.Elements(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), new AfiSafi(Afi.Ipv6, Safi.FlowSpec), new AfiSafi(Afi.L2vpn, Safi.Evpn), new AfiSafi(Afi.Ipv4, Safi.Multicast))
                  from hop in Bytes(24)
                  from nlri in Bytes(40)
                  select new MpReachNlri(family, hop, default) { RawNlri = nlri };
        return Gen.OneOf(ipv6, ipv4, raw);
    }

    /// <summary>MP_UNREACH_NLRI of IPv4/IPv6 unicast or of a family kept raw.</summary>
    /// <param name="context">The context, for ADD-PATH.</param>
    public static Gen<MpUnreachNlri> MpUnreach(CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ipv6 = NlriList(true, context.HasAddPath(AfiSafi.Ipv6Unicast), 12).Select(n => new MpUnreachNlri(AfiSafi.Ipv6Unicast, n));
        var ipv4 = NlriList(false, context.HasAddPath(AfiSafi.Ipv4Unicast), 12).Select(n => new MpUnreachNlri(AfiSafi.Ipv4Unicast, n));
        var raw = from family in Gen.Elements(new AfiSafi(Afi.Ipv4, Safi.MplsVpn), new AfiSafi(Afi.L2vpn, Safi.Evpn))
                  from nlri in Bytes(40)
                  select new MpUnreachNlri(family, default) { RawNlri = nlri };
        return Gen.OneOf(ipv6, ipv4, raw);
    }

    /// <summary>
    /// An UPDATE that round-trips in <paramref name="context"/>: the mandatory attributes are present
    /// whenever it announces routes (RFC 4271 §5), and it fits in a 4096-octet message.
    /// </summary>
    /// <param name="context">The context it travels in.</param>
    public static Gen<UpdateMessage> Update(CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addPath = context.HasAddPath(AfiSafi.Ipv4Unicast);
        return from withdrawn in NlriList(false, addPath, 15)
               from attributes in PathAttributes(context.FourOctetAs)
               from reach in MaybeRef(MpReach(context))
               from unreach in MaybeRef(MpUnreach(context))
               from nlri in NlriList(false, addPath, 15)
               from origin in Gen.Elements(Origin.Igp, Origin.Incomplete)
               from path in AsPath(context.FourOctetAs)
               from hop in Ipv4Address
               let announces = !nlri.IsEmpty || reach is not null
               let withMandatory = !announces ? attributes : attributes with
               {
                   Origin = attributes.Origin ?? origin,
                   AsPath = attributes.AsPath ?? path,
                   NextHop = nlri.IsEmpty ? attributes.NextHop : attributes.NextHop ?? hop,
               }
               let fixedAttributes = withMandatory with { Aggregator = FitAggregator(withMandatory.Aggregator, withMandatory.AsPath, context.FourOctetAs) }
               select new UpdateMessage
               {
                   WithdrawnRoutes = withdrawn,
                   Attributes = fixedAttributes,
                   MpReach = reach,
                   MpUnreach = unreach,
                   Nlri = nlri,
               };
    }

    /// <summary>A context and an UPDATE that round-trips in it.</summary>
    public static Gen<(CodecContext Context, UpdateMessage Update)> ContextAndUpdate { get; } =
        Context.SelectMany(c => Update(c).Select(u => (c, u)));
}
