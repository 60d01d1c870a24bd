using System.Globalization;
using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl.Text;

/// <summary>
/// Renders BGP messages as readable text blocks: a title line with the type and length, then one
/// indented line per field, in the manner of <c>birdc</c> and <c>gobgp</c>.
/// </summary>
public static class MessageText
{
    private const string Indent = "  ";

    /// <summary>Writes one decoded input message, or the verdict on it when it was malformed.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="decoded">The decoded message.</param>
    public static void WriteDecoded(TextWriter output, DecodedMessage decoded)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(decoded);
        if (decoded.Message is { } message)
        {
            WriteMessage(output, message, decoded.Raw.Count, Indent);
            return;
        }

        var type = decoded.Type is { } t ? TypeTitle(t) : "message";
        output.WriteLine($"MALFORMED {type} at offset {decoded.Offset} ({decoded.Raw.Count} octets)");
        WriteError(output, decoded.Error!, Indent);
        Field(output, Indent, "octets", Convert.ToHexStringLower(decoded.Raw.AsSpan()));
    }

    /// <summary>Writes a decoding verdict: the NOTIFICATION it calls for, its data and the reason.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="error">The error.</param>
    /// <param name="indent">The indentation of the lines.</param>
    public static void WriteError(TextWriter output, BgpError error, string indent)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Field(output, indent, "error", WireNames.Notification(error.Code, error.Subcode));
        Field(output, indent, "data", error.Data.IsEmpty ? "(none)" : Convert.ToHexStringLower(error.Data.AsSpan()));
        Field(output, indent, "reason", error.Reason);
    }

    /// <summary>Writes one message block.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="message">The message.</param>
    /// <param name="length">The length on the wire, when known.</param>
    /// <param name="indent">The indentation of the field lines.</param>
    public static void WriteMessage(TextWriter output, BgpMessage message, int? length, string indent)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var title = TypeTitle(message.Type);
        output.WriteLine(length is { } l ? $"{title} ({l} octets)" : title);
        switch (message)
        {
            case OpenMessage open:
                Field(output, indent, "version", open.Version);
                Field(output, indent, "my-as", open.MyAutonomousSystem);
                Field(output, indent, "as", open.AutonomousSystem);
                Field(output, indent, "hold-time", open.HoldTime);
                Field(output, indent, "bgp-id", open.BgpIdentifier);
                if (open.Layout != OptionalParameterLayout.ParameterPerCapability)
                {
                    Field(output, indent, "layout", "single-parameter");
                }

                if (open.ExtendedOptionalParameters)
                {
                    Field(output, indent, "optional-parameters", "extended (RFC 9072)");
                }

                foreach (var capability in open.Capabilities)
                {
                    Field(output, indent, "capability", CapabilityText(capability));
                }

                break;
            case UpdateMessage update:
                WriteUpdate(output, update, indent);
                break;
            case NotificationMessage notification:
                Field(output, indent, "error", WireNames.Notification(notification.Code, notification.Subcode));
                if (notification.ShutdownCommunication is { } communication)
                {
                    Field(output, indent, "shutdown-communication", $"\"{communication}\"");
                }
                else if (notification.HardResetInner is { } inner)
                {
                    Field(output, indent, "hard-reset-of", WireNames.Notification(inner.Code, inner.Subcode));
                }

                if (!notification.Data.IsEmpty)
                {
                    Field(output, indent, "data", Convert.ToHexStringLower(notification.Data.AsSpan()));
                }

                break;
            case RouteRefreshMessage refresh:
                Field(output, indent, "family", refresh.Family);
                Field(output, indent, "subtype", WireNames.RouteRefreshSubtype(refresh.Subtype));
                break;
        }
    }

    private static string CapabilityText(Capability capability)
    {
        var detail = capability switch
        {
            MultiprotocolCapability mp => mp.Family.ToString(),
            FourOctetAsCapability as4 => as4.Asn.ToString(CultureInfo.InvariantCulture),
            ExtendedNextHopCapability enh => string.Join(", ", enh.Entries.Select(e => $"afi {(ushort)e.NlriAfi} safi {e.NlriSafi} via afi {(ushort)e.NextHopAfi}")),
            GracefulRestartCapability gr => $"restart-time {gr.RestartTime}{(gr.RestartState ? " restarting" : string.Empty)}{(gr.NotificationSupport ? " notification" : string.Empty)}"
                + string.Concat(gr.Families.Select(f => $", {f.Family}{(f.ForwardingPreserved ? " forwarding-preserved" : string.Empty)}")),
            AddPathCapability addPath => string.Join(", ", addPath.Families.Select(f => $"{f.Family} {WireNames.AddPathMode(f.Mode)}")),
            LongLivedGracefulRestartCapability llgr => string.Join(", ", llgr.Families.Select(f => $"{f.Family} stale-time {f.StaleTime}{(f.ForwardingPreserved ? " forwarding-preserved" : string.Empty)}")),
            FqdnCapability fqdn => $"host \"{fqdn.HostName}\" domain \"{fqdn.DomainName}\"",
            UnknownCapability unknown => $"value {Convert.ToHexStringLower(unknown.Value.AsSpan())}",
            _ => string.Empty,
        };
        var name = WireNames.Capability(capability) ?? "unknown";
        var head = $"{name} ({(byte)capability.Code})";
        return detail.Length == 0 ? head : $"{head}: {detail}";
    }

    private static void WriteUpdate(TextWriter output, UpdateMessage update, string indent)
    {
        if (update.IsEndOfRib(out var endOfRib))
        {
            Field(output, indent, "end-of-rib", endOfRib);
        }

        foreach (var withdrawn in update.WithdrawnRoutes)
        {
            Field(output, indent, "withdrawn", withdrawn);
        }

        WriteAttributes(output, update.Attributes, indent);
        if (update.MpReach is { } reach)
        {
            Field(output, indent, "mp-reach", reach.Family);
            var nextHop = reach.NextHop.Count is 4 or 16 or 32
                ? reach.NextHopAddress!.ToString() + (reach.LinkLocalNextHop is { } ll ? $" {ll}" : string.Empty)
                : $"0x{Convert.ToHexStringLower(reach.NextHop.AsSpan())}";
            Field(output, indent + Indent, "next-hop", nextHop);
            WriteFamilyNlri(output, reach.Nlri, reach.RawNlri, "nlri", indent + Indent);
        }

        if (update.MpUnreach is { } unreach)
        {
            Field(output, indent, "mp-unreach", unreach.Family);
            WriteFamilyNlri(output, unreach.Nlri, unreach.RawNlri, "withdrawn", indent + Indent);
        }

        foreach (var nlri in update.Nlri)
        {
            Field(output, indent, "nlri", nlri);
        }

        foreach (var error in update.AttributeErrors)
        {
            Field(output, indent, "attribute-error", $"{AttributeError.ActionName(error.Action)} (attribute {error.AttributeType})");
            WriteError(output, error.Error, indent + Indent);
        }
    }

    private static void WriteFamilyNlri(TextWriter output, EquatableArray<Nlri> nlri, EquatableArray<byte> raw, string name, string indent)
    {
        if (!raw.IsEmpty)
        {
            Field(output, indent, name, $"raw {Convert.ToHexStringLower(raw.AsSpan())}");
            return;
        }

        foreach (var entry in nlri)
        {
            Field(output, indent, name, entry);
        }
    }

    /// <summary>Writes one line per attribute present.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="attributes">The attributes.</param>
    /// <param name="indent">The indentation of the lines.</param>
    public static void WriteAttributes(TextWriter output, PathAttributes attributes, string indent)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Origin is { } origin)
        {
            Field(output, indent, "origin", WireNames.Origin(origin));
        }

        if (attributes.AsPath is { } asPath)
        {
            Field(output, indent, "as-path", asPath.IsEmpty ? "(empty)" : asPath.ToString());
        }

        if (attributes.NextHop is { } nextHop)
        {
            Field(output, indent, "next-hop", nextHop);
        }

        if (attributes.MultiExitDisc is { } med)
        {
            Field(output, indent, "med", med);
        }

        if (attributes.LocalPref is { } localPref)
        {
            Field(output, indent, "local-pref", localPref);
        }

        if (attributes.AtomicAggregate)
        {
            Field(output, indent, "atomic-aggregate", "yes");
        }

        if (attributes.Aggregator is { } aggregator)
        {
            Field(output, indent, "aggregator", $"as {aggregator.Asn} address {aggregator.Address}");
        }

        Joined(output, indent, "communities", attributes.Communities, c => c.ToString());
        if (attributes.OriginatorId is { } originatorId)
        {
            Field(output, indent, "originator-id", originatorId);
        }

        if (attributes.HasClusterList || !attributes.ClusterList.IsEmpty)
        {
            Field(output, indent, "cluster-list", attributes.ClusterList.IsEmpty ? "(empty)" : string.Join(' ', attributes.ClusterList));
        }

        Joined(output, indent, "ext-communities", attributes.ExtendedCommunities, WireNames.ExtendedCommunity);
        Joined(output, indent, "ipv6-ext-communities", attributes.Ipv6ExtendedCommunities, c => c.ToString());
        Joined(output, indent, "large-communities", attributes.LargeCommunities, c => c.ToString());
        foreach (var raw in attributes.UnknownAttributes)
        {
            Field(output, indent, "attribute", $"type {raw.TypeCode} flags 0x{(byte)raw.Flags:x2} value {Convert.ToHexStringLower(raw.Value.AsSpan())}");
        }
    }

    private static void Joined<T>(TextWriter output, string indent, string name, EquatableArray<T> items, Func<T, string> format)
    {
        if (!items.IsEmpty)
        {
            Field(output, indent, name, string.Join(' ', items.Select(format)));
        }
    }

    private static string TypeTitle(BgpMessageType type) => type switch
    {
        BgpMessageType.Open => "OPEN",
        BgpMessageType.Update => "UPDATE",
        BgpMessageType.Notification => "NOTIFICATION",
        BgpMessageType.Keepalive => "KEEPALIVE",
        BgpMessageType.RouteRefresh => "ROUTE-REFRESH",
        _ => $"type {(byte)type}",
    };

    private static void Field(TextWriter output, string indent, string name, object value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}{name + ":",-24}{value}"));
}
