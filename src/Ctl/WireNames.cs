using System.Globalization;
using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl;

/// <summary>
/// The short names the CLI uses for protocol values, in both directions, so that the text output,
/// the JSON output and the JSON input spell every value the same way.
/// </summary>
public static class WireNames
{
    /// <summary>The JSON name of a message type: <c>open</c>, <c>update</c>, <c>notification</c>, <c>keepalive</c>, <c>route_refresh</c>.</summary>
    /// <param name="type">The message type.</param>
    public static string MessageType(BgpMessageType type) => type switch
    {
        BgpMessageType.Open => "open",
        BgpMessageType.Update => "update",
        BgpMessageType.Notification => "notification",
        BgpMessageType.Keepalive => "keepalive",
        BgpMessageType.RouteRefresh => "route_refresh",
        _ => ((byte)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The ORIGIN value as <c>igp</c>, <c>egp</c> or <c>incomplete</c>.</summary>
    /// <param name="origin">The origin.</param>
    public static string Origin(Origin origin) => origin switch
    {
        Rib.Origin.Igp => "igp",
        Rib.Origin.Egp => "egp",
        Rib.Origin.Incomplete => "incomplete",
        _ => ((byte)origin).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses <c>igp</c>, <c>egp</c> or <c>incomplete</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="origin">The origin.</param>
    /// <returns>True when the text names an origin.</returns>
    public static bool TryParseOrigin(string text, out Origin origin)
    {
        (var ok, origin) = text switch
        {
            "igp" => (true, Rib.Origin.Igp),
            "egp" => (true, Rib.Origin.Egp),
            "incomplete" => (true, Rib.Origin.Incomplete),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>An AS_PATH segment type as <c>set</c>, <c>sequence</c>, <c>confed-sequence</c> or <c>confed-set</c>.</summary>
    /// <param name="type">The segment type.</param>
    public static string SegmentType(AsPathSegmentType type) => type switch
    {
        AsPathSegmentType.AsSet => "set",
        AsPathSegmentType.AsSequence => "sequence",
        AsPathSegmentType.AsConfedSequence => "confed-sequence",
        AsPathSegmentType.AsConfedSet => "confed-set",
        _ => ((byte)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a segment type name.</summary>
    /// <param name="text">The text.</param>
    /// <param name="type">The segment type.</param>
    /// <returns>True when the text names a segment type.</returns>
    public static bool TryParseSegmentType(string text, out AsPathSegmentType type)
    {
        (var ok, type) = text switch
        {
            "set" => (true, AsPathSegmentType.AsSet),
            "sequence" => (true, AsPathSegmentType.AsSequence),
            "confed-sequence" => (true, AsPathSegmentType.AsConfedSequence),
            "confed-set" => (true, AsPathSegmentType.AsConfedSet),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The name of a capability this tool interprets, or null for an unknown one.</summary>
    /// <param name="capability">The capability.</param>
    public static string? Capability(Capability capability) => capability switch
    {
        MultiprotocolCapability => "multiprotocol",
        RouteRefreshCapability => "route-refresh",
        ExtendedNextHopCapability => "extended-next-hop",
        ExtendedMessageCapability => "extended-message",
        GracefulRestartCapability => "graceful-restart",
        FourOctetAsCapability => "four-octet-as",
        AddPathCapability => "add-path",
        EnhancedRouteRefreshCapability => "enhanced-route-refresh",
        LongLivedGracefulRestartCapability => "long-lived-graceful-restart",
        FqdnCapability => "fqdn",
        _ => null,
    };

    /// <summary>The ADD-PATH mode as <c>receive</c>, <c>send</c> or <c>both</c> (a number otherwise).</summary>
    /// <param name="mode">The mode.</param>
    public static string AddPathMode(AddPathMode mode) => mode switch
    {
        Bgp.Wire.AddPathMode.Receive => "receive",
        Bgp.Wire.AddPathMode.Send => "send",
        Bgp.Wire.AddPathMode.Both => "both",
        _ => ((byte)mode).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses an ADD-PATH mode name or number.</summary>
    /// <param name="text">The text.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>True when the text is a mode.</returns>
    public static bool TryParseAddPathMode(string text, out AddPathMode mode)
    {
        (var ok, mode) = text switch
        {
            "receive" => (true, Bgp.Wire.AddPathMode.Receive),
            "send" => (true, Bgp.Wire.AddPathMode.Send),
            "both" => (true, Bgp.Wire.AddPathMode.Both),
            _ => (false, default),
        };
        if (!ok && byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
        {
            mode = (AddPathMode)raw;
            ok = true;
        }

        return ok;
    }

    /// <summary>The ROUTE-REFRESH subtype as <c>normal</c>, <c>borr</c> or <c>eorr</c> (a number otherwise).</summary>
    /// <param name="subtype">The subtype.</param>
    public static string RouteRefreshSubtype(RouteRefreshSubtype subtype) => subtype switch
    {
        Bgp.Wire.RouteRefreshSubtype.Normal => "normal",
        Bgp.Wire.RouteRefreshSubtype.BeginningOfRouteRefresh => "borr",
        Bgp.Wire.RouteRefreshSubtype.EndOfRouteRefresh => "eorr",
        _ => ((byte)subtype).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a ROUTE-REFRESH subtype name or number.</summary>
    /// <param name="text">The text.</param>
    /// <param name="subtype">The subtype.</param>
    /// <returns>True when the text is a subtype.</returns>
    public static bool TryParseRouteRefreshSubtype(string text, out RouteRefreshSubtype subtype)
    {
        (var ok, subtype) = text switch
        {
            "normal" => (true, Bgp.Wire.RouteRefreshSubtype.Normal),
            "borr" => (true, Bgp.Wire.RouteRefreshSubtype.BeginningOfRouteRefresh),
            "eorr" => (true, Bgp.Wire.RouteRefreshSubtype.EndOfRouteRefresh),
            _ => (false, default),
        };
        if (!ok && byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
        {
            subtype = (RouteRefreshSubtype)raw;
            ok = true;
        }

        return ok;
    }

    /// <summary>
    /// An extended community as the model writes it (<c>rt:65000:100</c>), or as <c>0x</c> and 16
    /// hex digits when that text would not parse back to the same value (a non-transitive route
    /// target, or a 4-octet-AS type whose AS fits in 2 octets).
    /// </summary>
    /// <param name="community">The community.</param>
    public static string ExtendedCommunity(ExtendedCommunity community)
    {
        var text = community.ToString();
        return Rib.ExtendedCommunity.TryParse(text, out var back) && back == community
            ? text
            : $"0x{community.Value:x16}";
    }

    /// <summary>Parses the text <see cref="Ipv6ExtendedCommunity.ToString"/> produces: <c>0x00:0x02:[2001:db8::1]:100</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="community">The community.</param>
    /// <returns>True when the text is an IPv6 address specific extended community.</returns>
    public static bool TryParseIpv6ExtendedCommunity(string text, out Ipv6ExtendedCommunity community)
    {
        community = default;
        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (open != 10 || close < open || close + 2 > text.Length || text[close + 1] != ':'
            || text[4] != ':' || !text.StartsWith("0x", StringComparison.Ordinal) || text[5..7] != "0x" || text[9] != ':'
            || !byte.TryParse(text.AsSpan(2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var type)
            || !byte.TryParse(text.AsSpan(7, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var subtype)
            || !IPAddress.TryParse(text.AsSpan(open + 1, close - open - 1), out var address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
            || !ushort.TryParse(text.AsSpan(close + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var local))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        community = new Ipv6ExtendedCommunity(type, subtype, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), local);
        return true;
    }

    /// <summary>An NOTIFICATION code and subcode as <c>Cease (6) / Administrative Shutdown (2)</c>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="subcode">The subcode.</param>
    public static string Notification(NotificationCode code, byte subcode) =>
        $"{NotificationNames.CodeName(code)} ({(byte)code}) / {NotificationNames.SubcodeName(code, subcode)} ({subcode})";
}
