using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz;

/// <summary>
/// Builds the seed corpus from the wire model: well-formed messages of every type and the pieces
/// other targets decode (capability parameter values, attribute blocks, NLRI, MRT records), so the
/// mutations start from inputs that reach deep into each decoder.
/// </summary>
public static class Seeds
{
    /// <summary>Writes the seeds of every target under fuzz/corpus/ as &lt;sha1&gt;.bin; returns how many files were written.</summary>
    /// <param name="root">The repository root.</param>
    public static int Write(string root)
    {
        var written = 0;
        foreach (var (target, inputs) in All())
        {
            var directory = FuzzPaths.Corpus(root, target);
            Directory.CreateDirectory(directory);
            foreach (var input in inputs)
            {
#pragma warning disable CA5350 // SHA-1 names files by content, the way libFuzzer names corpus entries; nothing relies on it for security
                var path = Path.Combine(directory, Convert.ToHexStringLower(SHA1.HashData(input)) + ".bin");
#pragma warning restore CA5350
                if (!File.Exists(path))
                {
                    File.WriteAllBytes(path, input);
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>The seeds of every target, by target name.</summary>
    public static IEnumerable<(string Target, IReadOnlyList<byte[]> Inputs)> All()
    {
        var messages = Messages().Select(m => m.Message.ToBytes(m.Context)).ToList();
        yield return ("message", messages);
        var updates = Updates().Select(u => UpdateFields(u.Update.ToBytes(u.Context))).ToList();
        yield return ("attributes", [.. updates.Select(u => u.Attributes).Where(a => a.Length > 0)]);
        yield return ("capabilities", [.. Opens().Select(CapabilityParameterValue)]);
        yield return ("nlri", [.. updates.SelectMany(u => new[] { u.Withdrawn, u.Nlri }).Where(f => f.Length > 0), .. Ipv6NlriFields()]);
        yield return ("mrt", [.. messages.Select((m, i) => Bgp4mpMessage(m, i)), StateChange(), [.. messages.Take(4).SelectMany((m, i) => Bgp4mpMessage(m, i))]]);
    }

    /// <summary>Messages of every type with the contexts they are encoded under.</summary>
    public static IEnumerable<(BgpMessage Message, CodecContext Context)> Messages()
    {
        var standard = CodecContext.Default;
        yield return (KeepaliveMessage.Instance, standard);
        yield return (new NotificationMessage(NotificationCode.HoldTimerExpired, 0), standard);
        yield return (new NotificationMessage(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MalformedAsPath, new byte[] { 0x40, 2, 0 }), standard);
        yield return (NotificationMessage.Shutdown(CeaseSubcode.AdministrativeShutdown, "maintenance"), standard);
        yield return (NotificationMessage.HardReset(new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.AdministrativeReset)), standard);
        yield return (new RouteRefreshMessage(AfiSafi.Ipv4Unicast), standard);
        yield return (new RouteRefreshMessage(AfiSafi.Ipv6Unicast, RouteRefreshSubtype.EndOfRouteRefresh), standard);
        foreach (var open in Opens())
        {
            yield return (open, standard);
        }

        foreach (var update in Updates())
        {
            yield return update;
        }
    }

    /// <summary>UPDATEs: a typical IPv4 one, every attribute, IPv6 MP_REACH and MP_UNREACH, End-of-RIB, ADD-PATH, a 2-octet peer.</summary>
    public static IEnumerable<(UpdateMessage Update, CodecContext Context)> Updates()
    {
        var standard = CodecContext.Default;
        var nextHop = IPAddress.Parse("198.18.0.1");
        var typical = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.FromSequence(65001, 65002),
            NextHop = nextHop,
        };
        var every = typical with
        {
            AsPath = new AsPath(new[]
            {
                new AsPathSegment(AsPathSegmentType.AsConfedSequence, new uint[] { 64512 }),
                new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001, 4_200_000_001 }),
                new AsPathSegment(AsPathSegmentType.AsSet, new uint[] { 65003, 65004 }),
            }),
            MultiExitDisc = 100,
            LocalPref = 200,
            AtomicAggregate = true,
            Aggregator = new Aggregator(4_200_000_001, new RouterId(0xC0000209)),
            Communities = new[] { Community.Create(65000, 1), Community.NoExport },
            OriginatorId = new RouterId(0x0A000001),
            ClusterList = new[] { new RouterId(0x0A000002), new RouterId(0x0A000003) },
            HasClusterList = true,
            ExtendedCommunities = new[] { ExtendedCommunity.RouteTarget(65000, 100) },
            LargeCommunities = new[] { new LargeCommunity(4_200_000_001, 1, 2) },
            UnknownAttributes = new[] { new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive, 240, new byte[] { 0xDE, 0xAD }) },
        };
        Nlri[] ipv4 = [new(IpPrefix.Parse("10.1.2.0/24")), new(IpPrefix.Parse("172.16.0.0/12")), new(IpPrefix.Parse("0.0.0.0/0"))];
        Nlri[] ipv6 = [new(IpPrefix.Parse("2001:db8::/32")), new(IpPrefix.Parse("2001:db8:1:2::/64")), new(IpPrefix.Parse("2001:db8::1/128"))];
        yield return (new UpdateMessage { Attributes = typical, Nlri = ipv4 }, standard);
        yield return (new UpdateMessage { WithdrawnRoutes = new[] { new Nlri(IpPrefix.Parse("10.9.9.0/24")) }, Attributes = every, Nlri = ipv4[..1] }, standard);
        yield return (new UpdateMessage { WithdrawnRoutes = ipv4 }, standard);
        yield return (new UpdateMessage
        {
            Attributes = new PathAttributes { Origin = Origin.Incomplete, AsPath = AsPath.Empty },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1"), ipv6),
        }, standard);
        yield return (new UpdateMessage { MpUnreach = new MpUnreachNlri(AfiSafi.Ipv6Unicast, ipv6) }, standard);
        yield return (UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast), standard);
        yield return (UpdateMessage.EndOfRib(AfiSafi.Ipv6Unicast), standard);
        var addPath = standard with { AddPath = AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast };
        yield return (new UpdateMessage { Attributes = typical, Nlri = new[] { new Nlri(IpPrefix.Parse("10.3.4.0/24"), 7), new Nlri(IpPrefix.Parse("10.3.4.0/24"), 8) } }, addPath);
        yield return (new UpdateMessage { Attributes = every with { Communities = default }, Nlri = ipv4 }, standard with { FourOctetAs = false });
    }

    /// <summary>The withdrawn routes, path attributes and NLRI fields of an encoded UPDATE.</summary>
    private static (byte[] Withdrawn, byte[] Attributes, byte[] Nlri) UpdateFields(byte[] message)
    {
        var body = message.AsSpan(19);
        var withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var withdrawn = body.Slice(2, withdrawnLength);
        var rest = body[(2 + withdrawnLength)..];
        var attributesLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
        return (withdrawn.ToArray(), rest.Slice(2, attributesLength).ToArray(), rest[(2 + attributesLength)..].ToArray());
    }

    /// <summary>IPv6 NLRI fields, with and without path identifiers.</summary>
    private static IEnumerable<byte[]> Ipv6NlriFields()
    {
        Nlri[] entries = [new(IpPrefix.Parse("2001:db8::/32"), 1), new(IpPrefix.Parse("::/0"), 2), new(IpPrefix.Parse("2001:db8:ffff::1/128"), 3)];
        foreach (var addPath in new[] { false, true })
        {
            var buffer = new byte[NlriWriter.Size(entries, addPath)];
            var writer = new SpanWriter(buffer);
            NlriWriter.Write(ref writer, addPath ? entries : [.. entries.Select(e => e with { PathId = 0 })], addPath);
            yield return buffer;
        }
    }

    /// <summary>OPEN messages covering every capability and both parameter layouts.</summary>
    public static IEnumerable<OpenMessage> Opens()
    {
        var id = new RouterId(0xC0000201);
        Capability[] all =
        [
            new MultiprotocolCapability(AfiSafi.Ipv4Unicast),
            new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
            new RouteRefreshCapability(),
            new EnhancedRouteRefreshCapability(),
            new ExtendedMessageCapability(),
            new FourOctetAsCapability(4_200_000_001),
            new GracefulRestartCapability(true, true, 120, new[] { new GracefulRestartFamily(AfiSafi.Ipv4Unicast, true), new GracefulRestartFamily(AfiSafi.Ipv6Unicast, false) }),
            new AddPathCapability(new[] { new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Both), new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Send) }),
            new LongLivedGracefulRestartCapability(new[] { new LongLivedGracefulRestartFamily(AfiSafi.Ipv4Unicast, true, 3600) }),
            new FqdnCapability("node-1", "cluster.local"),
            new ExtendedNextHopCapability(new[] { new ExtendedNextHopEntry(Afi.Ipv4, 1, Afi.Ipv6) }),
            new UnknownCapability(200, new byte[] { 1, 2, 3 }),
        ];
        yield return OpenMessage.Create(4_200_000_001, 90, id, all) with { Layout = OptionalParameterLayout.SingleParameter };
        yield return OpenMessage.Create(4_200_000_001, 90, id, all);
        yield return OpenMessage.Create(4_200_000_001, 90, id, all) with { ExtendedOptionalParameters = true, Layout = OptionalParameterLayout.SingleParameter };
        yield return OpenMessage.Create(65001, 180, id, new MultiprotocolCapability(AfiSafi.Ipv4Unicast), new RouteRefreshCapability()) with { Layout = OptionalParameterLayout.SingleParameter };
        yield return OpenMessage.Create(65001, 3, id, new GracefulRestartCapability(false, false, 0, default)) with { Layout = OptionalParameterLayout.SingleParameter };
    }

    /// <summary>The value of the single Capabilities parameter of an OPEN encoded with <see cref="OptionalParameterLayout.SingleParameter"/>.</summary>
    private static byte[] CapabilityParameterValue(OpenMessage open)
    {
        var bytes = (open with { Layout = OptionalParameterLayout.SingleParameter, ExtendedOptionalParameters = false }).ToBytes(CodecContext.Default);

        // Header (19), version, My AS, hold time, identifier (9), parameters length (1), then type (1) and length (1).
        return bytes.AsSpan(31).ToArray();
    }

    /// <summary>A BGP4MP_MESSAGE_AS4 record (RFC 6396 §4.4.3) carrying <paramref name="message"/> between two IPv4 peers.</summary>
    private static byte[] Bgp4mpMessage(byte[] message, int index)
    {
        var record = new byte[12 + 20 + message.Length];
        WriteHeader(record, 16, 4, 20 + message.Length, 1_700_000_000u + (uint)index);
        var body = record.AsSpan(12);
        BinaryPrimitives.WriteUInt32BigEndian(body, 65001);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], 4_200_000_001);
        BinaryPrimitives.WriteUInt16BigEndian(body[8..], 3);
        BinaryPrimitives.WriteUInt16BigEndian(body[10..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(body[12..], 0xC6120001);
        BinaryPrimitives.WriteUInt32BigEndian(body[16..], 0xC6120002);
        message.CopyTo(body[20..]);
        return record;
    }

    /// <summary>A BGP4MP_ET STATE_CHANGE_AS4 record (RFC 6396 §3, §4.4.4) with microseconds, IPv6 peers, Established to Idle.</summary>
    private static byte[] StateChange()
    {
        const int bodyLength = 4 + 4 + 4 + 2 + 2 + 16 + 16 + 2 + 2;
        var record = new byte[12 + bodyLength];
        WriteHeader(record, 17, 5, bodyLength, 1_700_000_000u);
        var body = record.AsSpan(12);
        BinaryPrimitives.WriteUInt32BigEndian(body, 123_456); // microseconds
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], 65001);
        BinaryPrimitives.WriteUInt32BigEndian(body[8..], 65002);
        BinaryPrimitives.WriteUInt16BigEndian(body[14..], 2);
        body[16] = 0x20;
        body[17] = 0x01;
        body[47] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(body[48..], 6);
        BinaryPrimitives.WriteUInt16BigEndian(body[50..], 1);
        return record;
    }

    private static void WriteHeader(Span<byte> record, ushort type, ushort subtype, int length, uint timestamp)
    {
        BinaryPrimitives.WriteUInt32BigEndian(record, timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(record[4..], type);
        BinaryPrimitives.WriteUInt16BigEndian(record[6..], subtype);
        BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)length);
    }
}
