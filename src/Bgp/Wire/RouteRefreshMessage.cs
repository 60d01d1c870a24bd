using System.Buffers.Binary;

namespace BgpStack.Bgp.Wire;

/// <summary>The message subtype of ROUTE-REFRESH (RFC 7313 §3).</summary>
#pragma warning disable CA1028 // the wire field is 8 bits
public enum RouteRefreshSubtype : byte
#pragma warning restore CA1028
{
    /// <summary>A normal route refresh request (RFC 2918).</summary>
    Normal = 0,

    /// <summary>Beginning of Route Refresh (BoRR).</summary>
    BeginningOfRouteRefresh = 1,

    /// <summary>End of Route Refresh (EoRR).</summary>
    EndOfRouteRefresh = 2,
}

/// <summary>
/// ROUTE-REFRESH (RFC 2918, RFC 7313): a family and a subtype. A subtype other than 0, 1 or 2 is
/// decoded as it is; RFC 7313 §5 says the receiver ignores such a message.
/// </summary>
/// <param name="Family">The address family to refresh.</param>
/// <param name="Subtype">The message subtype.</param>
public sealed record RouteRefreshMessage(AfiSafi Family, RouteRefreshSubtype Subtype = RouteRefreshSubtype.Normal) : BgpMessage
{
    /// <inheritdoc/>
    public override BgpMessageType Type => BgpMessageType.RouteRefresh;

    /// <summary>True when the subtype is one RFC 7313 defines; others are to be ignored.</summary>
    public bool IsKnownSubtype => Subtype is RouteRefreshSubtype.Normal or RouteRefreshSubtype.BeginningOfRouteRefresh or RouteRefreshSubtype.EndOfRouteRefresh;

    /// <summary>
    /// Decodes a whole ROUTE-REFRESH message. A length other than 23 is a ROUTE-REFRESH Message
    /// Error / Invalid Message Length whose data is the whole message (RFC 7313 §5).
    /// </summary>
    /// <param name="message">The whole message, header included.</param>
    public static DecodeResult<RouteRefreshMessage> Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length != BgpHeader.RouteRefreshLength)
        {
            return new BgpError(
                NotificationCode.RouteRefreshMessageError,
                (byte)RouteRefreshErrorSubcode.InvalidMessageLength,
                message.ToArray(),
                $"a ROUTE-REFRESH is 23 octets, this one {message.Length}");
        }

        var body = message[BgpHeader.Size..];
        var afi = (Afi)BinaryPrimitives.ReadUInt16BigEndian(body);
        return new RouteRefreshMessage(new AfiSafi(afi, (Safi)body[3]), (RouteRefreshSubtype)body[2]);
    }

    private protected override void EncodeBody(ref SpanWriter writer, CodecContext context)
    {
        writer.WriteUInt16((ushort)Family.Afi);
        writer.WriteByte((byte)Subtype);
        writer.WriteByte((byte)Family.Safi);
    }

    /// <summary>Text such as <c>ROUTE-REFRESH ipv4-unicast</c>.</summary>
    public override string ToString() => Subtype switch
    {
        RouteRefreshSubtype.Normal => $"ROUTE-REFRESH {Family}",
        RouteRefreshSubtype.BeginningOfRouteRefresh => $"ROUTE-REFRESH {Family} BoRR",
        RouteRefreshSubtype.EndOfRouteRefresh => $"ROUTE-REFRESH {Family} EoRR",
        _ => $"ROUTE-REFRESH {Family} subtype {(byte)Subtype}",
    };
}
