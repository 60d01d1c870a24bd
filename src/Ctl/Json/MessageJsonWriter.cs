using System.Text.Json;
using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl.Json;

/// <summary>
/// Writes BGP messages as JSON (snake_case, explicit and stable: no reflection). Every field the
/// wire carries is written, so <see cref="MessageJsonReader"/> rebuilds the same model; members that
/// only inform (<c>length</c>, names next to numbers, <c>attribute_errors</c>) are ignored on input.
/// </summary>
public static class MessageJsonWriter
{
    /// <summary>Writes one message object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="message">The message.</param>
    /// <param name="context">The context it was decoded in (decides whether NLRI are written with their path identifiers).</param>
    /// <param name="length">The length on the wire, written as <c>length</c> when known.</param>
    public static void WriteMessage(Utf8JsonWriter writer, BgpMessage message, CodecContext context, int? length)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        writer.WriteStartObject();
        WriteMessageMembers(writer, message, context, length);
        writer.WriteEndObject();
    }

    /// <summary>Writes one decoded input message: the message, or its verdict when it was malformed.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="decoded">The decoded message.</param>
    /// <param name="context">The context it was decoded in.</param>
    public static void WriteDecoded(Utf8JsonWriter writer, DecodedMessage decoded, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(decoded);
        writer.WriteStartObject();
        if (decoded.Message is { } message)
        {
            WriteMessageMembers(writer, message, context, decoded.Raw.Count);
        }
        else
        {
            if (decoded.Type is { } type)
            {
                writer.WriteString("type", WireNames.MessageType(type));
            }

            writer.WriteNumber("length", decoded.Raw.Count);
            writer.WritePropertyName("error");
            WriteError(writer, decoded.Error!);
            writer.WriteString("hex", Convert.ToHexStringLower(decoded.Raw.AsSpan()));
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a decoding verdict: code and subcode with their names, data in hex, and the reason.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="error">The error.</param>
    public static void WriteError(Utf8JsonWriter writer, BgpError error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(error);
        writer.WriteStartObject();
        writer.WriteNumber("code", (byte)error.Code);
        writer.WriteString("code_name", NotificationNames.CodeName(error.Code));
        writer.WriteNumber("subcode", error.Subcode);
        writer.WriteString("subcode_name", NotificationNames.SubcodeName(error.Code, error.Subcode));
        writer.WriteString("data", Convert.ToHexStringLower(error.Data.AsSpan()));
        writer.WriteString("reason", error.Reason);
        writer.WriteEndObject();
    }

    private static void WriteMessageMembers(Utf8JsonWriter writer, BgpMessage message, CodecContext context, int? length)
    {
        writer.WriteString("type", WireNames.MessageType(message.Type));
        if (length is { } l)
        {
            writer.WriteNumber("length", l);
        }

        switch (message)
        {
            case OpenMessage open:
                WriteOpen(writer, open);
                break;
            case UpdateMessage update:
                WriteUpdate(writer, update, context);
                break;
            case NotificationMessage notification:
                WriteNotification(writer, notification);
                break;
            case RouteRefreshMessage refresh:
                writer.WriteString("family", refresh.Family.ToString());
                writer.WriteString("subtype", WireNames.RouteRefreshSubtype(refresh.Subtype));
                break;
        }
    }

    private static void WriteOpen(Utf8JsonWriter writer, OpenMessage open)
    {
        writer.WriteNumber("version", open.Version);
        writer.WriteNumber("my_as", open.MyAutonomousSystem);
        writer.WriteNumber("hold_time", open.HoldTime);
        writer.WriteString("bgp_id", open.BgpIdentifier.ToString());
        if (open.Layout != OptionalParameterLayout.ParameterPerCapability)
        {
            writer.WriteString("layout", "single-parameter");
        }

        if (open.ExtendedOptionalParameters)
        {
            writer.WriteBoolean("extended_optional_parameters", true);
        }

        writer.WriteStartArray("capabilities");
        foreach (var capability in open.Capabilities)
        {
            WriteCapability(writer, capability);
        }

        writer.WriteEndArray();
    }

    private static void WriteCapability(Utf8JsonWriter writer, Capability capability)
    {
        writer.WriteStartObject();
        if (capability is UnknownCapability unknown)
        {
            writer.WriteNumber("code", unknown.RawCode);
            writer.WriteString("value", Convert.ToHexStringLower(unknown.Value.AsSpan()));
            writer.WriteEndObject();
            return;
        }

        writer.WriteNumber("code", (byte)capability.Code);
        writer.WriteString("name", WireNames.Capability(capability));
        switch (capability)
        {
            case MultiprotocolCapability mp:
                writer.WriteString("family", mp.Family.ToString());
                break;
            case FourOctetAsCapability as4:
                writer.WriteNumber("asn", as4.Asn);
                break;
            case ExtendedNextHopCapability enh:
                writer.WriteStartArray("entries");
                foreach (var entry in enh.Entries)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("nlri_afi", (ushort)entry.NlriAfi);
                    writer.WriteNumber("nlri_safi", entry.NlriSafi);
                    writer.WriteNumber("next_hop_afi", (ushort)entry.NextHopAfi);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case GracefulRestartCapability gr:
                writer.WriteBoolean("restart_state", gr.RestartState);
                writer.WriteBoolean("notification_support", gr.NotificationSupport);
                writer.WriteNumber("restart_time", gr.RestartTime);
                writer.WriteStartArray("families");
                foreach (var family in gr.Families)
                {
                    writer.WriteStartObject();
                    writer.WriteString("family", family.Family.ToString());
                    writer.WriteBoolean("forwarding_preserved", family.ForwardingPreserved);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case AddPathCapability addPath:
                writer.WriteStartArray("families");
                foreach (var family in addPath.Families)
                {
                    writer.WriteStartObject();
                    writer.WriteString("family", family.Family.ToString());
                    writer.WriteString("mode", WireNames.AddPathMode(family.Mode));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case LongLivedGracefulRestartCapability llgr:
                writer.WriteStartArray("families");
                foreach (var family in llgr.Families)
                {
                    writer.WriteStartObject();
                    writer.WriteString("family", family.Family.ToString());
                    writer.WriteBoolean("forwarding_preserved", family.ForwardingPreserved);
                    writer.WriteNumber("stale_time", family.StaleTime);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case FqdnCapability fqdn:
                writer.WriteString("host_name", fqdn.HostName);
                writer.WriteString("domain_name", fqdn.DomainName);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteUpdate(Utf8JsonWriter writer, UpdateMessage update, CodecContext context)
    {
        if (!update.WithdrawnRoutes.IsEmpty)
        {
            writer.WritePropertyName("withdrawn");
            WriteNlriList(writer, update.WithdrawnRoutes, context.HasAddPath(AfiSafi.Ipv4Unicast));
        }

        if (update.Attributes != PathAttributes.Empty)
        {
            writer.WritePropertyName("attributes");
            WriteAttributes(writer, update.Attributes);
        }

        if (update.MpReach is { } reach)
        {
            writer.WriteStartObject("mp_reach");
            writer.WriteString("family", reach.Family.ToString());
            if (reach.NextHop.Count is 4 or 16 or 32)
            {
                writer.WriteString("next_hop", reach.NextHopAddress!.ToString());
                if (reach.LinkLocalNextHop is { } linkLocal)
                {
                    writer.WriteString("link_local_next_hop", linkLocal.ToString());
                }
            }
            else
            {
                writer.WriteString("next_hop_hex", Convert.ToHexStringLower(reach.NextHop.AsSpan()));
            }

            WriteFamilyNlri(writer, reach.Family, reach.Nlri, reach.RawNlri, context);
            writer.WriteEndObject();
        }

        if (update.MpUnreach is { } unreach)
        {
            writer.WriteStartObject("mp_unreach");
            writer.WriteString("family", unreach.Family.ToString());
            WriteFamilyNlri(writer, unreach.Family, unreach.Nlri, unreach.RawNlri, context);
            writer.WriteEndObject();
        }

        if (!update.Nlri.IsEmpty)
        {
            writer.WritePropertyName("nlri");
            WriteNlriList(writer, update.Nlri, context.HasAddPath(AfiSafi.Ipv4Unicast));
        }

        if (!update.AttributeErrors.IsEmpty)
        {
            writer.WriteStartArray("attribute_errors");
            foreach (var error in update.AttributeErrors)
            {
                writer.WriteStartObject();
                writer.WriteString("action", AttributeError.ActionName(error.Action));
                writer.WriteNumber("attribute_type", error.AttributeType);
                writer.WritePropertyName("error");
                WriteError(writer, error.Error);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteFamilyNlri(Utf8JsonWriter writer, AfiSafi family, EquatableArray<Nlri> nlri, EquatableArray<byte> rawNlri, CodecContext context)
    {
        if (!rawNlri.IsEmpty)
        {
            writer.WriteString("nlri_hex", Convert.ToHexStringLower(rawNlri.AsSpan()));
            return;
        }

        writer.WritePropertyName("nlri");
        WriteNlriList(writer, nlri, context.HasAddPath(family));
    }

    private static void WriteNlriList(Utf8JsonWriter writer, EquatableArray<Nlri> nlri, bool addPath)
    {
        writer.WriteStartArray();
        foreach (var entry in nlri)
        {
            if (addPath || entry.PathId != 0)
            {
                writer.WriteStartObject();
                writer.WriteString("prefix", entry.Prefix.ToString());
                writer.WriteNumber("path_id", entry.PathId);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(entry.Prefix.ToString());
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a path attribute set as an object with one member per attribute present.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="attributes">The attributes.</param>
    public static void WriteAttributes(Utf8JsonWriter writer, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(attributes);
        writer.WriteStartObject();
        if (attributes.Origin is { } origin)
        {
            writer.WriteString("origin", WireNames.Origin(origin));
        }

        if (attributes.AsPath is { } asPath)
        {
            writer.WriteStartArray("as_path");
            foreach (var segment in asPath.Segments)
            {
                writer.WriteStartObject();
                writer.WriteString("type", WireNames.SegmentType(segment.Type));
                writer.WriteStartArray("asns");
                foreach (var asn in segment.Asns)
                {
                    writer.WriteNumberValue(asn);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (attributes.NextHop is { } nextHop)
        {
            writer.WriteString("next_hop", nextHop.ToString());
        }

        if (attributes.MultiExitDisc is { } med)
        {
            writer.WriteNumber("med", med);
        }

        if (attributes.LocalPref is { } localPref)
        {
            writer.WriteNumber("local_pref", localPref);
        }

        if (attributes.AtomicAggregate)
        {
            writer.WriteBoolean("atomic_aggregate", true);
        }

        if (attributes.Aggregator is { } aggregator)
        {
            writer.WriteStartObject("aggregator");
            writer.WriteNumber("asn", aggregator.Asn);
            writer.WriteString("address", aggregator.Address.ToString());
            writer.WriteEndObject();
        }

        WriteStrings(writer, "communities", attributes.Communities, c => c.ToString());
        if (attributes.OriginatorId is { } originatorId)
        {
            writer.WriteString("originator_id", originatorId.ToString());
        }

        if (attributes.HasClusterList || !attributes.ClusterList.IsEmpty)
        {
            writer.WriteStartArray("cluster_list");
            foreach (var id in attributes.ClusterList)
            {
                writer.WriteStringValue(id.ToString());
            }

            writer.WriteEndArray();
        }

        WriteStrings(writer, "extended_communities", attributes.ExtendedCommunities, WireNames.ExtendedCommunity);
        WriteStrings(writer, "ipv6_extended_communities", attributes.Ipv6ExtendedCommunities, c => c.ToString());
        WriteStrings(writer, "large_communities", attributes.LargeCommunities, c => c.ToString());
        if (!attributes.UnknownAttributes.IsEmpty)
        {
            writer.WriteStartArray("unknown");
            foreach (var raw in attributes.UnknownAttributes)
            {
                writer.WriteStartObject();
                writer.WriteNumber("flags", (byte)raw.Flags);
                writer.WriteNumber("type", raw.TypeCode);
                writer.WriteString("value", Convert.ToHexStringLower(raw.Value.AsSpan()));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings<T>(Utf8JsonWriter writer, string name, EquatableArray<T> items, Func<T, string> format)
    {
        if (items.IsEmpty)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(format(item));
        }

        writer.WriteEndArray();
    }

    private static void WriteNotification(Utf8JsonWriter writer, NotificationMessage notification)
    {
        writer.WriteNumber("code", (byte)notification.Code);
        writer.WriteString("code_name", NotificationNames.CodeName(notification.Code));
        writer.WriteNumber("subcode", notification.Subcode);
        writer.WriteString("subcode_name", NotificationNames.SubcodeName(notification.Code, notification.Subcode));
        writer.WriteString("data", Convert.ToHexStringLower(notification.Data.AsSpan()));
        if (notification.ShutdownCommunication is { } communication)
        {
            writer.WriteString("shutdown_communication", communication);
        }
    }
}
