using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Tests.Interop;

/// <summary>
/// Compares what Wireshark's dissector reports for a message with our decoded model of the same
/// octets. Wireshark is an independent decoder, so agreement on every field is evidence that our
/// encoder writes what the RFCs say and our decoder reads it back the way others do.
/// </summary>
internal static class WiresharkAgreement
{
    private const string Attribute = "bgp.update.path_attribute";

    /// <summary>Asserts that the dissection of <paramref name="octets"/> agrees with <paramref name="message"/>.</summary>
    /// <param name="message">Our model, decoded from <paramref name="octets"/>.</param>
    /// <param name="octets">The message as written to the capture.</param>
    /// <param name="theirs">Wireshark's dissection of that frame.</param>
    /// <param name="context">The context the message was encoded under.</param>
    public static void AssertAgrees(BgpMessage message, byte[] octets, Dissection theirs, CodecContext context)
    {
        Assert.True(theirs.Problems.Count == 0, $"Wireshark reports problems with {message}:\n{string.Join('\n', theirs.Problems)}");
        Assert.Equal((ulong)message.Type, theirs.Number("bgp.type"));
        Assert.Equal((ulong)octets.Length, theirs.Number("bgp.length"));
        switch (message)
        {
            case KeepaliveMessage:
                Assert.Equal(19, octets.Length);
                break;
            case NotificationMessage notification:
                AssertNotification(notification, theirs);
                break;
            case RouteRefreshMessage refresh:
                Assert.Equal((ulong)refresh.Family.Afi, theirs.Number("bgp.route_refresh.afi"));
                Assert.Equal((ulong)refresh.Family.Safi, theirs.Number("bgp.route_refresh.safi"));
                Assert.Equal((ulong)refresh.Subtype, theirs.Number("bgp.route_refresh.subtype"));
                break;
            case OpenMessage open:
                AssertOpen(open, theirs);
                break;
            case UpdateMessage update:
                AssertUpdate(update, theirs, context);
                break;
            default:
                Assert.Fail($"no comparison for {message.GetType().Name}");
                break;
        }
    }

    private static void AssertNotification(NotificationMessage notification, Dissection theirs)
    {
        Assert.Equal((ulong)notification.Code, theirs.Number("bgp.notify.major_error"));
        var minor = theirs.Children.Single(c => c.Value is not null && c.Name.StartsWith("bgp.notify.minor_error", StringComparison.Ordinal));
        Assert.Equal(notification.Subcode, Dissection.ParseNumber(minor.Value!));
        if (notification.ShutdownCommunication is { } communication)
        {
            Assert.Equal(communication, theirs.Single("bgp.notify.communication"));
            return;
        }

        // Wireshark shows the data of most errors as "minor_data" and interprets a few (such as Bad Peer AS).
        var data = notification.Data.AsSpan().ToArray();
        var dataFields = theirs.Children.Where(c => c.Value is not null && c.Name.StartsWith("bgp.notify.", StringComparison.Ordinal)
            && c.Name != "bgp.notify.major_error" && c != minor).ToList();
        if (data.Length == 0)
        {
            Assert.Empty(dataFields);
        }
        else if (theirs.Values("bgp.notify.minor_data") is [var hex])
        {
            Assert.Equal(Convert.ToHexString(data), hex.Replace(":", "", StringComparison.Ordinal), ignoreCase: true);
        }
        else
        {
            var shown = dataFields.Sum(f => theirs.Raw(f.Name).Length);
            Assert.Equal(data.Length, shown);
        }
    }

    private static void AssertOpen(OpenMessage open, Dissection theirs)
    {
        Assert.Equal(open.Version, theirs.Number("bgp.open.version"));
        Assert.Equal(open.MyAutonomousSystem, theirs.Number("bgp.open.myas"));
        Assert.Equal(open.HoldTime, theirs.Number("bgp.open.holdtime"));
        Assert.Equal(open.BgpIdentifier.ToString(), theirs.Single("bgp.open.identifier"));
        var capabilities = theirs.All("bgp.cap").ToList();
        Assert.Equal(open.Capabilities.Count, capabilities.Count);
        for (var i = 0; i < capabilities.Count; i++)
        {
            AssertCapability(open.Capabilities[i], capabilities[i]);
        }
    }

    private static void AssertCapability(Capability ours, Dissection cap)
    {
        Assert.Equal((ulong)ours.Code, cap.Number("bgp.cap.type"));
        var value = CapabilityValue(ours);
        Assert.Equal((ulong)value.Length, cap.Number("bgp.cap.length"));
        switch (ours)
        {
            case MultiprotocolCapability mp:
                Assert.Equal((ulong)mp.Family.Afi, cap.Number("bgp.cap.mp.afi"));
                Assert.Equal((ulong)mp.Family.Safi, cap.Number("bgp.cap.mp.safi"));
                break;
            case RouteRefreshCapability or EnhancedRouteRefreshCapability or ExtendedMessageCapability:
                Assert.DoesNotContain(cap.Children, c => c.Name == "bgp.cap.unknown");
                break;
            case FourOctetAsCapability as4:
                Assert.Equal(as4.Asn, cap.Number("bgp.cap.4as"));
                break;
            case GracefulRestartCapability gr:
                Assert.Equal(gr.RestartState ? 1UL : 0UL, cap.Number("bgp.cap.gr.timers.restart_flag"));
                Assert.Equal(gr.NotificationSupport ? 1UL : 0UL, cap.Number("bgp.cap.gr.timers.notification_flag"));
                Assert.Equal(gr.RestartTime, cap.Number("bgp.cap.gr.timers.restart_time"));
                Assert.Equal(gr.Families.Select(f => (ulong)f.Family.Afi), Numbers(cap, "bgp.cap.gr.afi"));
                Assert.Equal(gr.Families.Select(f => (ulong)f.Family.Safi), Numbers(cap, "bgp.cap.gr.safi"));
                Assert.Equal(gr.Families.Select(f => f.ForwardingPreserved), Numbers(cap, "bgp.cap.gr.flag").Select(f => (f & 0x80) != 0));
                break;
            case AddPathCapability addPath:
                Assert.Equal(addPath.Families.Select(f => (ulong)f.Family.Afi), Numbers(cap, "bgp.cap.ap.afi"));
                Assert.Equal(addPath.Families.Select(f => (ulong)f.Family.Safi), Numbers(cap, "bgp.cap.ap.safi"));
                Assert.Equal(addPath.Families.Select(f => (ulong)f.Mode), Numbers(cap, "bgp.cap.ap.sendreceive"));
                break;
            case ExtendedNextHopCapability enh:
                Assert.Equal(enh.Entries.Select(e => (ulong)e.NlriAfi), Numbers(cap, "bgp.cap.enh.afi"));
                Assert.Equal(enh.Entries.Select(e => (ulong)e.NlriSafi), Numbers(cap, "bgp.cap.enh.safi"));
                Assert.Equal(enh.Entries.Select(e => (ulong)e.NextHopAfi), Numbers(cap, "bgp.cap.enh.nhafi"));
                break;
            case FqdnCapability fqdn:
                // Wireshark 4.0 shows the names as ASCII, so compare their octets.
                Assert.Equal((ulong)System.Text.Encoding.UTF8.GetByteCount(fqdn.HostName), cap.Number("bgp.cap.orf.fqdn.hostname.len"));
                Assert.Equal((ulong)System.Text.Encoding.UTF8.GetByteCount(fqdn.DomainName), cap.Number("bgp.cap.orf.fqdn.domain_name.len"));
                if (fqdn.HostName.Length > 0)
                {
                    Assert.Equal(System.Text.Encoding.UTF8.GetBytes(fqdn.HostName), cap.Raw("bgp.cap.orf.fqdn.hostname"));
                }

                if (fqdn.DomainName.Length > 0)
                {
                    Assert.Equal(System.Text.Encoding.UTF8.GetBytes(fqdn.DomainName), cap.Raw("bgp.cap.orf.fqdn.domain_name"));
                }
                break;
            default:
                // LLGR and unknown capabilities: Wireshark 4.0 shows their value octets undecoded.
                Assert.Equal(value, value.Length == 0 ? [] : cap.Raw("bgp.cap.unknown"));
                break;
        }
    }

    /// <summary>The capability value as RFCs lay it out, written here independently of the codec.</summary>
    private static byte[] CapabilityValue(Capability capability)
    {
        var bytes = new List<byte>();
        void U16(int v) => bytes.AddRange([(byte)(v >> 8), (byte)v]);
        switch (capability)
        {
            case MultiprotocolCapability mp:
                U16((ushort)mp.Family.Afi);
                bytes.AddRange([0, (byte)mp.Family.Safi]);
                break;
            case FourOctetAsCapability as4:
                U16((int)(as4.Asn >> 16));
                U16((int)(as4.Asn & 0xFFFF));
                break;
            case GracefulRestartCapability gr:
                U16((gr.RestartState ? 0x8000 : 0) | (gr.NotificationSupport ? 0x4000 : 0) | gr.RestartTime);
                foreach (var f in gr.Families)
                {
                    U16((ushort)f.Family.Afi);
                    bytes.AddRange([(byte)f.Family.Safi, f.ForwardingPreserved ? (byte)0x80 : (byte)0]);
                }

                break;
            case AddPathCapability addPath:
                foreach (var f in addPath.Families)
                {
                    U16((ushort)f.Family.Afi);
                    bytes.AddRange([(byte)f.Family.Safi, (byte)f.Mode]);
                }

                break;
            case ExtendedNextHopCapability enh:
                foreach (var e in enh.Entries)
                {
                    U16((ushort)e.NlriAfi);
                    U16(e.NlriSafi);
                    U16((ushort)e.NextHopAfi);
                }

                break;
            case LongLivedGracefulRestartCapability llgr:
                foreach (var f in llgr.Families)
                {
                    U16((ushort)f.Family.Afi);
                    bytes.AddRange([(byte)f.Family.Safi, f.ForwardingPreserved ? (byte)0x80 : (byte)0]);
                    bytes.AddRange([(byte)(f.StaleTime >> 16), (byte)(f.StaleTime >> 8), (byte)f.StaleTime]);
                }

                break;
            case FqdnCapability fqdn:
                var host = System.Text.Encoding.UTF8.GetBytes(fqdn.HostName);
                var domain = System.Text.Encoding.UTF8.GetBytes(fqdn.DomainName);
                bytes.Add((byte)host.Length);
                bytes.AddRange(host);
                bytes.Add((byte)domain.Length);
                bytes.AddRange(domain);
                break;
            case UnknownCapability unknown:
                bytes.AddRange(unknown.Value);
                break;
        }

        return [.. bytes];
    }

    private static void AssertUpdate(UpdateMessage update, Dissection theirs, CodecContext context)
    {
        Assert.Empty(update.AttributeErrors);
        var withdrawn = theirs.All("bgp.update.withdrawn_routes").Where(n => n.Value is null).ToList();
        Assert.Equal(update.WithdrawnRoutes, Prefixes(withdrawn, "bgp.withdrawn_prefix", context.HasAddPath(AfiSafi.Ipv4Unicast)));
        Assert.Equal(update.Nlri, Prefixes(theirs.All("bgp.update.nlri").ToList(), "bgp.nlri_prefix", context.HasAddPath(AfiSafi.Ipv4Unicast)));

        var attributes = theirs.All(Attribute).ToList();
        var seen = new HashSet<byte>();
        foreach (var attribute in attributes)
        {
            var type = (byte)attribute.Number(Attribute + ".type_code");
            Assert.True(seen.Add(type), $"attribute {type} appears twice");
            AssertAttribute(update, context, attribute, type);
        }

        Assert.Equal(ExpectedAttributeTypes(update, context).Order(), seen.Order());
    }

    private static void AssertAttribute(UpdateMessage update, CodecContext context, Dissection attribute, byte type)
    {
        var a = update.Attributes;
        var flags = (AttributeFlags)attribute.Number(Attribute + ".flags");
        var length = attribute.Number(Attribute + ".length");
        Assert.True(length <= 255 || (flags & AttributeFlags.ExtendedLength) != 0, $"attribute {type} of {length} octets without the extended length flag");
        var expectedFlags = ExpectedFlags(update, type);
        Assert.Equal(expectedFlags, flags & ~AttributeFlags.ExtendedLength);
        var fourOctet = context.FourOctetAs;
        switch ((AttributeType)type)
        {
            case AttributeType.Origin:
                Assert.Equal((ulong)a.Origin!.Value, attribute.Number(Attribute + ".origin"));
                break;
            case AttributeType.AsPath:
                var wirePath = fourOctet ? a.AsPath!.Segments.AsImmutableArray() : [.. a.AsPath!.Segments.Select(ToTwoOctet)];
                AssertSegments(wirePath, attribute, fourOctet ? "as4" : "as2");
                break;
            case AttributeType.As4Path:
                AssertSegments([.. a.AsPath!.Segments.Where(s => s.Type is AsPathSegmentType.AsSequence or AsPathSegmentType.AsSet)], attribute, "as4");
                break;
            case AttributeType.NextHop:
                Assert.Equal(a.NextHop!.ToString(), attribute.Single(Attribute + ".next_hop"));
                break;
            case AttributeType.MultiExitDisc:
                Assert.Equal(a.MultiExitDisc!.Value, attribute.Number(Attribute + ".multi_exit_disc"));
                break;
            case AttributeType.LocalPref:
                Assert.Equal(a.LocalPref!.Value, attribute.Number(Attribute + ".local_pref"));
                break;
            case AttributeType.AtomicAggregate:
                Assert.True(a.AtomicAggregate);
                Assert.Equal(0UL, length);
                break;
            case AttributeType.Aggregator:
                var asn = a.Aggregator!.Value.Asn;
                Assert.Equal(fourOctet || asn <= ushort.MaxValue ? asn : OpenMessage.AsTrans, attribute.Number(Attribute + ".aggregator_as"));
                Assert.Equal(a.Aggregator.Value.Address.ToString(), attribute.Single(Attribute + ".aggregator_origin"));
                Assert.Equal(fourOctet ? 8UL : 6UL, length);
                break;
            case AttributeType.As4Aggregator:
                Assert.Equal(a.Aggregator!.Value.Asn, attribute.Number(Attribute + ".aggregator_as"));
                Assert.Equal(a.Aggregator.Value.Address.ToString(), attribute.Single(Attribute + ".aggregator_origin"));
                break;
            case AttributeType.Communities:
                Assert.Equal(a.Communities.Select(c => c.Value), Communities(attribute));
                break;
            case AttributeType.OriginatorId:
                Assert.Equal(a.OriginatorId!.Value.ToString(), attribute.Single(Attribute + ".originator_id"));
                break;
            case AttributeType.ClusterList:
                Assert.Equal(a.ClusterList.Select(c => c.ToString()), attribute.Values("bgp.path_attribute.cluster_id"));
                break;
            case AttributeType.ExtendedCommunities:
                var communities = attribute.All("bgp.ext_community").Where(n => n.Value is null).ToList();
                Assert.Equal(a.ExtendedCommunities.Count, communities.Count);
                for (var i = 0; i < communities.Count; i++)
                {
                    Assert.Equal(a.ExtendedCommunities[i].TypeHigh, communities[i].Number("bgp.ext_com.type"));
                    if (communities[i].Children.FirstOrDefault(c => c.Name.StartsWith("bgp.ext_com.stype", StringComparison.Ordinal) && c.Value is not null) is { } subtype)
                    {
                        Assert.Equal(a.ExtendedCommunities[i].SubType, Dissection.ParseNumber(subtype.Value!));
                    }
                }

                break;
            case AttributeType.LargeCommunities:
                Assert.Equal(a.LargeCommunities.Select(c => (ulong)c.GlobalAdministrator), Numbers(attribute, "bgp.large_communities.ga"));
                Assert.Equal(a.LargeCommunities.Select(c => (ulong)c.LocalData1), Numbers(attribute, "bgp.large_communities.ldp1"));
                Assert.Equal(a.LargeCommunities.Select(c => (ulong)c.LocalData2), Numbers(attribute, "bgp.large_communities.ldp2"));
                break;
            case AttributeType.MpReachNlri:
                var reach = update.MpReach!;
                AssertFamily(reach.Family, attribute, "mp_reach_nlri");
                var ipv6 = reach.Family.Afi == Afi.Ipv6;

                // RFC 8950 lets IPv4 NLRI carry an IPv6 next hop; Wireshark names the next hop by its size.
                if (reach.NextHop.Count != 4)
                {
                    Assert.Equal(reach.NextHopAddress!.ToString(), attribute.Single(Attribute + ".mp_reach_nlri.next_hop.ipv6"));
                    Assert.Equal(reach.LinkLocalNextHop?.ToString(), attribute.Values(Attribute + ".mp_reach_nlri.next_hop.ipv6.link_local").SingleOrDefault());
                }
                else
                {
                    Assert.Equal(reach.NextHopAddress!.ToString(), attribute.Single(Attribute + ".mp_reach_nlri.next_hop.ipv4"));
                }

                Assert.Equal(reach.Nlri, Prefixes(attribute.All(Attribute + ".mp_reach_nlri").ToList(), ipv6 ? "bgp.mp_reach_nlri_ipv6_prefix" : "bgp.mp_reach_nlri_ipv4_prefix", context.HasAddPath(reach.Family)));
                break;
            case AttributeType.MpUnreachNlri:
                var unreach = update.MpUnreach!;
                AssertFamily(unreach.Family, attribute, "mp_unreach_nlri");
                var prefixField = unreach.Family.Afi == Afi.Ipv6 ? "bgp.mp_unreach_nlri_ipv6_prefix" : "bgp.mp_unreach_nlri_ipv4_prefix";
                Assert.Equal(unreach.Nlri, Prefixes(attribute.All(Attribute + ".mp_unreach_nlri").ToList(), prefixField, context.HasAddPath(unreach.Family)));
                break;
            default:
                var raw = a.UnknownAttributes.Single(r => r.TypeCode == type);
                Assert.Equal((ulong)raw.Value.Count, length);
                if (!raw.Value.IsEmpty)
                {
                    Assert.Equal(raw.Value.AsSpan().ToArray(), attribute.Raw("bgp.update.path_attributes.unknown"));
                }
                break;
        }
    }

    private static void AssertFamily(AfiSafi family, Dissection attribute, string name)
    {
        Assert.Equal((ulong)family.Afi, attribute.Number($"{Attribute}.{name}.afi"));
        Assert.Equal((ulong)family.Safi, attribute.Number($"{Attribute}.{name}.safi"));
    }

    private static void AssertSegments(IReadOnlyList<AsPathSegment> ours, Dissection attribute, string asField)
    {
        var segments = attribute.All(Attribute + ".as_path_segment").Where(n => n.Value is null).ToList();
        Assert.Equal(ours.Count, segments.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal((ulong)ours[i].Type, segments[i].Number(Attribute + ".as_path_segment.type"));
            Assert.Equal((ulong)ours[i].Asns.Count, segments[i].Number(Attribute + ".as_path_segment.length"));
            Assert.Equal(ours[i].Asns.Select(x => (ulong)x), Numbers(segments[i], $"{Attribute}.as_path_segment.{asField}"));
        }
    }

    /// <summary>A segment as a 2-octet speaker writes it in AS_PATH: AS_TRANS for each AS above 65535 (RFC 6793 §4.2.2).</summary>
    private static AsPathSegment ToTwoOctet(AsPathSegment segment) =>
        segment with { Asns = segment.Asns.Select(a => a > ushort.MaxValue ? OpenMessage.AsTrans : a).ToEquatableArray() };

    private static IEnumerable<uint> Communities(Dissection attribute)
    {
        // Wireshark shows an AS:value community as a subtree and a well-known one as a single value.
        foreach (var node in attribute.All(Attribute + ".communities").SelectMany(n => n.Children))
        {
            if (node.Name == Attribute + ".community")
            {
                yield return (uint)(node.Number(Attribute + ".community_as") << 16 | node.Number(Attribute + ".community_value"));
            }
            else if (node.Name == Attribute + ".community_wellknown")
            {
                yield return (uint)Dissection.ParseNumber(node.Value!);
            }
        }
    }

    private static List<Nlri> Prefixes(IReadOnlyList<Dissection> containers, string prefixField, bool addPath)
    {
        var result = new List<Nlri>();
        foreach (var entry in containers.SelectMany(c => c.Children).Where(c => c.Value is null))
        {
            if (entry.Values(prefixField) is not [var address])
            {
                continue;
            }

            var length = (int)entry.Number("bgp.prefix_length");
            var pathId = addPath ? (uint)entry.Number("bgp.nlri_path_id") : 0u;
            result.Add(new Nlri(IpPrefix.Create(IPAddress.Parse(address), length), pathId));
        }

        return result;
    }

    private static IEnumerable<ulong> Numbers(Dissection node, string name) => node.Values(name).Select(Dissection.ParseNumber);

    /// <summary>The attribute type codes the encoding of <paramref name="update"/> must carry.</summary>
    private static IEnumerable<byte> ExpectedAttributeTypes(UpdateMessage update, CodecContext context)
    {
        var a = update.Attributes;
        if (a.Origin is not null)
        {
            yield return (byte)AttributeType.Origin;
        }

        if (a.AsPath is not null)
        {
            yield return (byte)AttributeType.AsPath;
            if (!context.FourOctetAs && a.AsPath.HasFourOctetAsn)
            {
                yield return (byte)AttributeType.As4Path;
            }
        }

        if (a.NextHop is not null)
        {
            yield return (byte)AttributeType.NextHop;
        }

        if (a.MultiExitDisc is not null)
        {
            yield return (byte)AttributeType.MultiExitDisc;
        }

        if (a.LocalPref is not null)
        {
            yield return (byte)AttributeType.LocalPref;
        }

        if (a.AtomicAggregate)
        {
            yield return (byte)AttributeType.AtomicAggregate;
        }

        if (a.Aggregator is { } aggregator)
        {
            yield return (byte)AttributeType.Aggregator;
            if (!context.FourOctetAs && aggregator.Asn > ushort.MaxValue)
            {
                yield return (byte)AttributeType.As4Aggregator;
            }
        }

        if (!a.Communities.IsEmpty)
        {
            yield return (byte)AttributeType.Communities;
        }

        if (a.OriginatorId is not null)
        {
            yield return (byte)AttributeType.OriginatorId;
        }

        if (a.HasClusterList || !a.ClusterList.IsEmpty)
        {
            yield return (byte)AttributeType.ClusterList;
        }

        if (update.MpReach is not null)
        {
            yield return (byte)AttributeType.MpReachNlri;
        }

        if (update.MpUnreach is not null)
        {
            yield return (byte)AttributeType.MpUnreachNlri;
        }

        if (!a.ExtendedCommunities.IsEmpty)
        {
            yield return (byte)AttributeType.ExtendedCommunities;
        }

        if (!a.Ipv6ExtendedCommunities.IsEmpty)
        {
            yield return (byte)AttributeType.Ipv6ExtendedCommunities;
        }

        if (!a.LargeCommunities.IsEmpty)
        {
            yield return (byte)AttributeType.LargeCommunities;
        }

        foreach (var raw in a.UnknownAttributes)
        {
            yield return raw.TypeCode;
        }
    }

    /// <summary>The flags RFC 4271 §5 and the attribute RFCs give each attribute (extended length aside).</summary>
    private static AttributeFlags ExpectedFlags(UpdateMessage update, byte type)
    {
        const AttributeFlags WellKnown = AttributeFlags.Transitive;
        const AttributeFlags OptionalTransitive = AttributeFlags.Optional | AttributeFlags.Transitive;
        return (AttributeType)type switch
        {
            AttributeType.Origin or AttributeType.AsPath or AttributeType.NextHop or AttributeType.LocalPref or AttributeType.AtomicAggregate => WellKnown,
            AttributeType.MultiExitDisc or AttributeType.OriginatorId or AttributeType.ClusterList
                or AttributeType.MpReachNlri or AttributeType.MpUnreachNlri => AttributeFlags.Optional,
            AttributeType.Aggregator or AttributeType.Communities or AttributeType.ExtendedCommunities or AttributeType.As4Path
                or AttributeType.As4Aggregator or AttributeType.LargeCommunities or AttributeType.Ipv6ExtendedCommunities => OptionalTransitive,
            _ => update.Attributes.UnknownAttributes.Single(r => r.TypeCode == type).Flags & ~AttributeFlags.ExtendedLength,
        };
    }
}
