using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl.Json;

/// <summary>
/// Reads the JSON that <see cref="MessageJsonWriter"/> writes back into BGP message models. Every
/// problem is reported as a <see cref="JsonInputException"/> naming the JSON path of the value.
/// </summary>
public static class MessageJsonReader
{
    /// <summary>Reads a message object, or an array of them.</summary>
    /// <param name="root">The document root.</param>
    /// <exception cref="JsonInputException">The JSON does not describe valid messages.</exception>
    public static IReadOnlyList<BgpMessage> ReadMessages(JsonElement root)
    {
        var messages = new List<BgpMessage>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    messages.Add(ReadMessage(item, $"$[{index}]"));
                    index++;
                }

                break;
            case JsonValueKind.Object:
                messages.Add(ReadMessage(root, "$"));
                break;
            default:
                throw new JsonInputException("$", "expected a message object or an array of message objects");
        }

        return messages;
    }

    /// <summary>Reads one message object.</summary>
    /// <param name="element">The object.</param>
    /// <param name="path">Its JSON path, for error messages.</param>
    /// <exception cref="JsonInputException">The JSON does not describe a valid message.</exception>
    public static BgpMessage ReadMessage(JsonElement element, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireObject(element, path);
        if (element.TryGetProperty("error", out _))
        {
            throw new JsonInputException($"{path}.error", "a malformed message has no model to encode");
        }

        var type = String(element, "type", path);
        OnlyMembers(element, path, type switch
        {
            "open" => OpenMembers,
            "update" => UpdateMembers,
            "notification" => NotificationMembers,
            "route_refresh" => RouteRefreshMembers,
            _ => MessageMembers,
        });
        return type switch
        {
            "open" => ReadOpen(element, path),
            "update" => ReadUpdate(element, path),
            "notification" => ReadNotification(element, path),
            "keepalive" => KeepaliveMessage.Instance,
            "route_refresh" => new RouteRefreshMessage(
                Family(element, "family", path),
                OptionalString(element, "subtype", path) is { } subtype
                    ? Parse<RouteRefreshSubtype>(subtype, $"{path}.subtype", WireNames.TryParseRouteRefreshSubtype, "normal, borr, eorr or a number")
                    : RouteRefreshSubtype.Normal),
            _ => throw new JsonInputException($"{path}.type", $"'{type}' is not open, update, notification, keepalive or route_refresh"),
        };
    }

    // Members a decoded message carries only to inform (lengths, names beside numbers, verdicts) are accepted and ignored.
    private static readonly string[] MessageMembers = ["type", "length"];
    private static readonly string[] OpenMembers = [.. MessageMembers, "version", "my_as", "hold_time", "bgp_id", "layout", "extended_optional_parameters", "capabilities"];
    private static readonly string[] UpdateMembers = [.. MessageMembers, "withdrawn", "attributes", "mp_reach", "mp_unreach", "nlri", "attribute_errors"];
    private static readonly string[] NotificationMembers = [.. MessageMembers, "code", "code_name", "subcode", "subcode_name", "data", "shutdown_communication"];
    private static readonly string[] RouteRefreshMembers = [.. MessageMembers, "family", "subtype"];
    private static readonly string[] CapabilityMembers = ["code", "name", "value", "family", "asn", "entries", "restart_state", "notification_support", "restart_time", "families", "host_name", "domain_name"];
    private static readonly string[] CapabilityFamilyMembers = ["family", "mode", "forwarding_preserved", "stale_time"];
    private static readonly string[] NextHopEntryMembers = ["nlri_afi", "nlri_safi", "next_hop_afi"];
    private static readonly string[] AttributeMembers = ["origin", "as_path", "next_hop", "med", "local_pref", "atomic_aggregate", "aggregator", "communities", "originator_id", "cluster_list", "extended_communities", "ipv6_extended_communities", "large_communities", "unknown"];
    private static readonly string[] SegmentMembers = ["type", "asns"];
    private static readonly string[] AggregatorMembers = ["asn", "address"];
    private static readonly string[] RawAttributeMembers = ["flags", "type", "value"];
    private static readonly string[] MpReachMembers = ["family", "next_hop", "link_local_next_hop", "next_hop_hex", "nlri", "nlri_hex"];
    private static readonly string[] MpUnreachMembers = ["family", "nlri", "nlri_hex"];
    private static readonly string[] NlriMembers = ["prefix", "path_id"];

    private static void OnlyMembers(JsonElement element, string path, string[] allowed)
    {
        RequireObject(element, path);
        foreach (var member in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, member.Name) < 0)
            {
                throw new JsonInputException($"{path}.{member.Name}", $"unknown member; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    private static OpenMessage ReadOpen(JsonElement element, string path)
    {
        var capabilities = new List<Capability>();
        if (element.TryGetProperty("capabilities", out var list))
        {
            ForEach(list, $"{path}.capabilities", (item, itemPath) => capabilities.Add(ReadCapability(item, itemPath)));
        }

        var layout = OptionalString(element, "layout", path) switch
        {
            null or "parameter-per-capability" => OptionalParameterLayout.ParameterPerCapability,
            "single-parameter" => OptionalParameterLayout.SingleParameter,
            var other => throw new JsonInputException($"{path}.layout", $"'{other}' is not parameter-per-capability or single-parameter"),
        };
        return new OpenMessage(
            element.TryGetProperty("version", out _) ? Number<byte>(element, "version", path) : OpenMessage.BgpVersion,
            Number<ushort>(element, "my_as", path),
            Number<ushort>(element, "hold_time", path),
            Id(element, "bgp_id", path),
            capabilities.ToEquatableArray())
        {
            Layout = layout,
            ExtendedOptionalParameters = OptionalBool(element, "extended_optional_parameters", path),
        };
    }

    private static Capability ReadCapability(JsonElement element, string path)
    {
        OnlyMembers(element, path, CapabilityMembers);
        var code = Number<byte>(element, "code", path);
        var name = OptionalString(element, "name", path);
        if (name is null)
        {
            return new UnknownCapability(code, Hex(element, "value", path));
        }

        Capability capability = name switch
        {
            "multiprotocol" => new MultiprotocolCapability(Family(element, "family", path)),
            "route-refresh" => new RouteRefreshCapability(),
            "enhanced-route-refresh" => new EnhancedRouteRefreshCapability(),
            "extended-message" => new ExtendedMessageCapability(),
            "four-octet-as" => new FourOctetAsCapability(Number<uint>(element, "asn", path)),
            "extended-next-hop" => new ExtendedNextHopCapability(List(element, "entries", path, (e, p) => OnlyMembers(e, p, NextHopEntryMembers), (e, p) => new ExtendedNextHopEntry(
                (Afi)Number<ushort>(e, "nlri_afi", p), Number<ushort>(e, "nlri_safi", p), (Afi)Number<ushort>(e, "next_hop_afi", p)))),
            "graceful-restart" => new GracefulRestartCapability(
                OptionalBool(element, "restart_state", path),
                OptionalBool(element, "notification_support", path),
                Number<ushort>(element, "restart_time", path),
                List(element, "families", path, (e, p) => OnlyMembers(e, p, CapabilityFamilyMembers), (e, p) => new GracefulRestartFamily(Family(e, "family", p), OptionalBool(e, "forwarding_preserved", p)))),
            "add-path" => new AddPathCapability(List(element, "families", path, (e, p) => OnlyMembers(e, p, CapabilityFamilyMembers), (e, p) => new AddPathFamily(
                Family(e, "family", p),
                Parse<AddPathMode>(String(e, "mode", p), $"{p}.mode", WireNames.TryParseAddPathMode, "receive, send, both or a number")))),
            "long-lived-graceful-restart" => new LongLivedGracefulRestartCapability(List(element, "families", path, (e, p) => OnlyMembers(e, p, CapabilityFamilyMembers), (e, p) => new LongLivedGracefulRestartFamily(
                Family(e, "family", p), OptionalBool(e, "forwarding_preserved", p), Number<uint>(e, "stale_time", p)))),
            "fqdn" => new FqdnCapability(String(element, "host_name", path), String(element, "domain_name", path)),
            _ => throw new JsonInputException($"{path}.name", $"'{name}' is not a capability name; give an unknown capability as code and value"),
        };
        if ((byte)capability.Code != code)
        {
            throw new JsonInputException($"{path}.code", $"{name} has code {(byte)capability.Code}, not {code}");
        }

        return capability;
    }

    private static UpdateMessage ReadUpdate(JsonElement element, string path)
    {
        var update = new UpdateMessage
        {
            WithdrawnRoutes = OptionalNlri(element, "withdrawn", path),
            Nlri = OptionalNlri(element, "nlri", path),
        };
        if (element.TryGetProperty("attributes", out var attributes))
        {
            update = update with { Attributes = ReadAttributes(attributes, $"{path}.attributes") };
        }

        if (element.TryGetProperty("mp_reach", out var reach))
        {
            var reachPath = $"{path}.mp_reach";
            OnlyMembers(reach, reachPath, MpReachMembers);
            var family = Family(reach, "family", reachPath);
            EquatableArray<byte> nextHop;
            if (reach.TryGetProperty("next_hop_hex", out _))
            {
                nextHop = Hex(reach, "next_hop_hex", reachPath);
            }
            else
            {
                var bytes = new List<byte>(Address(reach, "next_hop", reachPath, null).GetAddressBytes());
                if (OptionalString(reach, "link_local_next_hop", reachPath) is not null)
                {
                    bytes.AddRange(Address(reach, "link_local_next_hop", reachPath, AddressFamily.InterNetworkV6).GetAddressBytes());
                }

                nextHop = bytes.ToEquatableArray();
            }

            update = update with
            {
                MpReach = new MpReachNlri(family, nextHop, OptionalNlri(reach, "nlri", reachPath)) { RawNlri = OptionalHex(reach, "nlri_hex", reachPath) },
            };
        }

        if (element.TryGetProperty("mp_unreach", out var unreach))
        {
            var unreachPath = $"{path}.mp_unreach";
            OnlyMembers(unreach, unreachPath, MpUnreachMembers);
            update = update with
            {
                MpUnreach = new MpUnreachNlri(Family(unreach, "family", unreachPath), OptionalNlri(unreach, "nlri", unreachPath))
                {
                    RawNlri = OptionalHex(unreach, "nlri_hex", unreachPath),
                },
            };
        }

        return update;
    }

    /// <summary>Reads a path attribute object as <see cref="MessageJsonWriter.WriteAttributes"/> writes it.</summary>
    /// <param name="element">The object.</param>
    /// <param name="path">Its JSON path.</param>
    /// <exception cref="JsonInputException">The JSON does not describe valid attributes.</exception>
    public static PathAttributes ReadAttributes(JsonElement element, string path)
    {
        OnlyMembers(element, path, AttributeMembers);
        var attributes = new PathAttributes
        {
            Origin = OptionalString(element, "origin", path) is { } origin
                ? Parse<Origin>(origin, $"{path}.origin", WireNames.TryParseOrigin, "igp, egp or incomplete")
                : null,
            NextHop = element.TryGetProperty("next_hop", out _) ? Address(element, "next_hop", path, AddressFamily.InterNetwork) : null,
            MultiExitDisc = element.TryGetProperty("med", out _) ? Number<uint>(element, "med", path) : null,
            LocalPref = element.TryGetProperty("local_pref", out _) ? Number<uint>(element, "local_pref", path) : null,
            AtomicAggregate = OptionalBool(element, "atomic_aggregate", path),
            OriginatorId = element.TryGetProperty("originator_id", out _) ? Id(element, "originator_id", path) : null,
            Communities = StringList<Community>(element, "communities", path, Community.TryParse, "a community such as 65001:100 or no-export"),
            ExtendedCommunities = StringList<ExtendedCommunity>(element, "extended_communities", path, ExtendedCommunity.TryParse, "an extended community such as rt:65000:100 or 0x0002fde800000064"),
            Ipv6ExtendedCommunities = StringList<Ipv6ExtendedCommunity>(element, "ipv6_extended_communities", path, WireNames.TryParseIpv6ExtendedCommunity, "an IPv6 extended community such as 0x00:0x02:[2001:db8::1]:100"),
            LargeCommunities = StringList<LargeCommunity>(element, "large_communities", path, LargeCommunity.TryParse, "a large community such as 65001:1:2"),
        };
        if (element.TryGetProperty("as_path", out _))
        {
            attributes = attributes with
            {
                AsPath = new AsPath(List(element, "as_path", path, (segment, p) => OnlyMembers(segment, p, SegmentMembers), (segment, p) => new AsPathSegment(
                    Parse<AsPathSegmentType>(String(segment, "type", p), $"{p}.type", WireNames.TryParseSegmentType, "sequence, set, confed-sequence or confed-set"),
                    List(segment, "asns", p, (asn, ap) => ReadNumber<uint>(asn, ap))))),
            };
        }

        if (element.TryGetProperty("aggregator", out var aggregator))
        {
            var aggregatorPath = $"{path}.aggregator";
            OnlyMembers(aggregator, aggregatorPath, AggregatorMembers);
            attributes = attributes with { Aggregator = new Aggregator(Number<uint>(aggregator, "asn", aggregatorPath), Id(aggregator, "address", aggregatorPath)) };
        }

        if (element.TryGetProperty("cluster_list", out _))
        {
            attributes = attributes with
            {
                HasClusterList = true,
                ClusterList = StringList<RouterId>(element, "cluster_list", path, RouterId.TryParse, "a dotted-quad cluster ID"),
            };
        }

        if (element.TryGetProperty("unknown", out _))
        {
            attributes = attributes with
            {
                UnknownAttributes = List(element, "unknown", path, (raw, p) => OnlyMembers(raw, p, RawAttributeMembers), (raw, p) => new RawAttribute(
                    (AttributeFlags)Number<byte>(raw, "flags", p), Number<byte>(raw, "type", p), Hex(raw, "value", p))),
            };
        }

        return attributes;
    }

    private static NotificationMessage ReadNotification(JsonElement element, string path)
    {
        var code = (NotificationCode)Number<byte>(element, "code", path);
        var subcode = Number<byte>(element, "subcode", path);
        if (!element.TryGetProperty("data", out _) && OptionalString(element, "shutdown_communication", path) is { } communication)
        {
            if (code != NotificationCode.Cease || subcode is not ((byte)CeaseSubcode.AdministrativeShutdown or (byte)CeaseSubcode.AdministrativeReset))
            {
                throw new JsonInputException($"{path}.shutdown_communication", "a shutdown communication goes with Cease (6) / Administrative Shutdown (2) or Administrative Reset (4)");
            }

            return NotificationMessage.Shutdown((CeaseSubcode)subcode, communication);
        }

        return new NotificationMessage(code, subcode, OptionalHex(element, "data", path));
    }

    private delegate bool TryParser<T>(string text, out T value);

    private static T Parse<T>(string text, string path, TryParser<T> parser, string expected) =>
        parser(text, out var value) ? value : throw new JsonInputException(path, $"'{text}' is not {expected}");

    private static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonInputException(path, $"expected an object, found {Kind(element)}");
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) ? value : throw new JsonInputException($"{path}.{name}", "missing");

    private static string String(JsonElement element, string name, string path)
    {
        var value = Required(element, name, path);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new JsonInputException($"{path}.{name}", $"expected a string, found {Kind(value)}");
    }

    private static string? OptionalString(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out _) ? String(element, name, path) : null;

    private static bool OptionalBool(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JsonInputException($"{path}.{name}", $"expected true or false, found {Kind(value)}"),
        };
    }

    private static T Number<T>(JsonElement element, string name, string path)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        ReadNumber<T>(Required(element, name, path), $"{path}.{name}");

    private static T ReadNumber<T>(JsonElement value, string path)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new JsonInputException(path, $"expected a number, found {Kind(value)}");
        }

        if (!value.TryGetUInt64(out var number) || number > ulong.CreateTruncating(T.MaxValue))
        {
            throw new JsonInputException(path, $"{value.GetRawText()} is not a whole number from 0 to {T.MaxValue}");
        }

        return T.CreateTruncating(number);
    }

    private static AfiSafi Family(JsonElement element, string name, string path)
    {
        var text = String(element, name, path);
        return AfiSafi.TryParse(text, out var family)
            ? family
            : throw new JsonInputException($"{path}.{name}", $"'{text}' is not a family such as ipv4-unicast or afi-25-safi-70");
    }

    private static RouterId Id(JsonElement element, string name, string path)
    {
        var text = String(element, name, path);
        return RouterId.TryParse(text, out var id) ? id : throw new JsonInputException($"{path}.{name}", $"'{text}' is not a dotted-quad identifier");
    }

    private static IPAddress Address(JsonElement element, string name, string path, AddressFamily? family)
    {
        var text = String(element, name, path);
        if (!IPAddress.TryParse(text, out var address) || (family is { } f && address.AddressFamily != f) || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            var expected = family switch
            {
                AddressFamily.InterNetwork => "an IPv4 address",
                AddressFamily.InterNetworkV6 => "an IPv6 address",
                _ => "an IP address",
            };
            throw new JsonInputException($"{path}.{name}", $"'{text}' is not {expected}");
        }

        return address;
    }

    private static EquatableArray<byte> Hex(JsonElement element, string name, string path)
    {
        var text = String(element, name, path);
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new JsonInputException($"{path}.{name}", $"'{text}' is not an even number of hex digits");
        }
    }

    private static EquatableArray<byte> OptionalHex(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out _) ? Hex(element, name, path) : EquatableArray<byte>.Empty;

    private static void ForEach(JsonElement list, string path, Action<JsonElement, string> read)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new JsonInputException(path, $"expected an array, found {Kind(list)}");
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            read(item, $"{path}[{index}]");
            index++;
        }
    }

    private static EquatableArray<T> List<T>(JsonElement element, string name, string path, Func<JsonElement, string, T> read)
    {
        var items = new List<T>();
        ForEach(Required(element, name, path), $"{path}.{name}", (item, itemPath) => items.Add(read(item, itemPath)));
        return items.ToEquatableArray();
    }

    private static EquatableArray<T> List<T>(JsonElement element, string name, string path, Action<JsonElement, string> check, Func<JsonElement, string, T> read) =>
        List(element, name, path, (item, itemPath) =>
        {
            check(item, itemPath);
            return read(item, itemPath);
        });

    private static EquatableArray<T> StringList<T>(JsonElement element, string name, string path, TryParser<T> parser, string expected)
    {
        if (!element.TryGetProperty(name, out _))
        {
            return EquatableArray<T>.Empty;
        }

        return List(element, name, path, (item, itemPath) =>
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new JsonInputException(itemPath, $"expected a string, found {Kind(item)}");
            }

            return Parse(item.GetString()!, itemPath, parser, expected);
        });
    }

    private static EquatableArray<Nlri> OptionalNlri(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out _))
        {
            return EquatableArray<Nlri>.Empty;
        }

        return List(element, name, path, (item, itemPath) =>
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    return new Nlri(Prefix(item.GetString()!, itemPath));
                case JsonValueKind.Object:
                    OnlyMembers(item, itemPath, NlriMembers);
                    return new Nlri(Prefix(String(item, "prefix", itemPath), $"{itemPath}.prefix"), item.TryGetProperty("path_id", out _) ? Number<uint>(item, "path_id", itemPath) : 0);
                default:
                    throw new JsonInputException(itemPath, $"expected a prefix string or an object with prefix and path_id, found {Kind(item)}");
            }
        });
    }

    private static IpPrefix Prefix(string text, string path)
    {
        if (!IpPrefix.TryParse(text, out var prefix))
        {
            throw new JsonInputException(path, $"'{text}' is not a prefix such as 10.0.0.0/8 or 2001:db8::/32");
        }

        // Host bits would be cleared silently; refuse them so that what is encoded is what was written.
        if (!string.Equals(Normalize(text), prefix.ToString(), StringComparison.Ordinal))
        {
            throw new JsonInputException(path, $"'{text}' has host bits set; the network is {prefix}");
        }

        return prefix;
    }

    private static string Normalize(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"{IPAddress.Parse(text.AsSpan(0, slash))}/{int.Parse(text.AsSpan(slash + 1), CultureInfo.InvariantCulture)}");
    }
}
