using System.Net;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// The part BGP4MP and BGP4MP_ET records share (RFC 6396 §4.4): the session the record is about.
/// </summary>
public abstract record Bgp4mpRecord : MrtRecord
{
    private protected Bgp4mpRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, Bgp4mpPeer peer)
        : base(timestamp, type, subtype)
    {
        PeerAs = peer.PeerAs;
        LocalAs = peer.LocalAs;
        InterfaceIndex = peer.InterfaceIndex;
        AddressFamily = peer.AddressFamily;
        PeerAddress = peer.PeerAddress;
        LocalAddress = peer.LocalAddress;
    }

    /// <summary>The subtype as a BGP4MP subtype.</summary>
    public Bgp4mpSubtype Bgp4mpSubtype => (Bgp4mpSubtype)Subtype;

    /// <summary>True when the AS fields of the record are 4 octets (the _AS4 subtypes).</summary>
    public bool FourOctetAs => Bgp4mpDecoder.IsFourOctetAs(Subtype);

    /// <summary>The peer's AS number.</summary>
    public uint PeerAs { get; }

    /// <summary>The local AS number.</summary>
    public uint LocalAs { get; }

    /// <summary>The interface index of the session (0 when the collector did not know it).</summary>
    public ushort InterfaceIndex { get; }

    /// <summary>The address family of the two addresses: IPv4 or IPv6.</summary>
    public Afi AddressFamily { get; }

    /// <summary>The peer's address.</summary>
    public IPAddress PeerAddress { get; }

    /// <summary>The local address.</summary>
    public IPAddress LocalAddress { get; }
}

/// <summary>
/// BGP4MP_MESSAGE and its AS4, LOCAL and ADDPATH variants (RFC 6396 §4.4.2–4.4.6, RFC 8050 §3):
/// one BGP message as a collector received (or, for the LOCAL subtypes, sent) it. The message is
/// decoded with the context its subtype implies; a message that does not decode keeps its error,
/// and the raw octets are always kept.
/// </summary>
public sealed record Bgp4mpMessageRecord : Bgp4mpRecord
{
    internal Bgp4mpMessageRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, Bgp4mpPeer peer, ReadOnlySpan<byte> message, CodecContext context)
        : base(timestamp, type, subtype, peer)
    {
        MessageBytes = EquatableArray.Create(message);
        Context = context;
        var result = BgpMessage.Decode(message, context);
        Message = result.Value;
        MessageError = result.Error;
    }

    /// <summary>True when the local speaker sent the message (the _LOCAL subtypes); false when it received it.</summary>
    public bool IsLocal => Bgp4mpSubtype is Bgp4mpSubtype.MessageLocal or Bgp4mpSubtype.MessageAs4Local
        or Bgp4mpSubtype.MessageLocalAddPath or Bgp4mpSubtype.MessageAs4LocalAddPath;

    /// <summary>True when the message's NLRI carry ADD-PATH path identifiers (the _ADDPATH subtypes, RFC 8050).</summary>
    public bool HasAddPath => Subtype >= (ushort)Bgp4mpSubtype.MessageAddPath;

    /// <summary>The context the message was decoded with: 4-octet AS per subtype, ADD-PATH for IPv4 and IPv6 unicast for the _ADDPATH subtypes, extended messages allowed.</summary>
    public CodecContext Context { get; }

    /// <summary>The decoded message, or null when it did not decode (see <see cref="MessageError"/>).</summary>
    public BgpMessage? Message { get; }

    /// <summary>Why the message did not decode, or null when it did.</summary>
    public BgpError? MessageError { get; }

    /// <summary>The message octets, marker and header included.</summary>
    public EquatableArray<byte> MessageBytes { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BGP4MP {Timestamp:O} {(IsLocal ? "to" : "from")} {PeerAddress} AS{PeerAs} " + (Message?.ToString() ?? $"undecodable: {MessageError}");
}

/// <summary>BGP4MP_STATE_CHANGE and BGP4MP_STATE_CHANGE_AS4 (RFC 6396 §4.4.1, §4.4.4): a peer's FSM moved from one state to another.</summary>
public sealed record Bgp4mpStateChangeRecord : Bgp4mpRecord
{
    internal Bgp4mpStateChangeRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, Bgp4mpPeer peer, Bgp4mpPeerState oldState, Bgp4mpPeerState newState)
        : base(timestamp, type, subtype, peer)
    {
        OldState = oldState;
        NewState = newState;
    }

    /// <summary>The state before the change (values outside 1..6 are kept as numbers).</summary>
    public Bgp4mpPeerState OldState { get; }

    /// <summary>The state after the change (values outside 1..6 are kept as numbers).</summary>
    public Bgp4mpPeerState NewState { get; }

    /// <inheritdoc/>
    public override string ToString() => $"BGP4MP {Timestamp:O} {PeerAddress} AS{PeerAs} {OldState} -> {NewState}";
}

/// <summary>The session fields at the start of every BGP4MP body.</summary>
internal readonly record struct Bgp4mpPeer(uint PeerAs, uint LocalAs, ushort InterfaceIndex, Afi AddressFamily, IPAddress PeerAddress, IPAddress LocalAddress);

/// <summary>Decodes BGP4MP and BGP4MP_ET bodies (RFC 6396 §4.4, RFC 8050 §3).</summary>
internal static class Bgp4mpDecoder
{
    // MRT holds what a collector already accepted, so extended messages (RFC 8654) are allowed.
    private static readonly CodecContext TwoOctet = new() { FourOctetAs = false, ExtendedMessage = true };
    private static readonly CodecContext FourOctet = new() { FourOctetAs = true, ExtendedMessage = true };
    private static readonly CodecContext TwoOctetAddPath = TwoOctet with { AddPath = AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast };
    private static readonly CodecContext FourOctetAddPath = FourOctet with { AddPath = AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast };

    public static bool IsFourOctetAs(ushort subtype) => (Bgp4mpSubtype)subtype is Bgp4mpSubtype.MessageAs4
        or Bgp4mpSubtype.StateChangeAs4 or Bgp4mpSubtype.MessageAs4Local
        or Bgp4mpSubtype.MessageAs4AddPath or Bgp4mpSubtype.MessageAs4LocalAddPath;

    public static MrtRecord Decode(MrtHeader header, DateTimeOffset timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> record)
    {
        var subtype = (Bgp4mpSubtype)header.Subtype;
        var isStateChange = subtype is Bgp4mpSubtype.StateChange or Bgp4mpSubtype.StateChangeAs4;
        var isMessage = subtype is Bgp4mpSubtype.Message or Bgp4mpSubtype.MessageAs4
            or Bgp4mpSubtype.MessageLocal or Bgp4mpSubtype.MessageAs4Local
            or Bgp4mpSubtype.MessageAddPath or Bgp4mpSubtype.MessageAs4AddPath
            or Bgp4mpSubtype.MessageLocalAddPath or Bgp4mpSubtype.MessageAs4LocalAddPath;
        if (!isStateChange && !isMessage)
        {
            return new UnknownMrtRecord(timestamp, header.Type, header.Subtype, body);
        }

        var fourOctetAs = IsFourOctetAs(header.Subtype);
        var reader = new MrtSpanReader(body);
        if (!reader.TryReadAs(fourOctetAs, out var peerAs) || !reader.TryReadAs(fourOctetAs, out var localAs)
            || !reader.TryReadUInt16(out var interfaceIndex) || !reader.TryReadUInt16(out var afi))
        {
            return new MalformedMrtRecord(header, "the BGP4MP body ends inside the peer fields", record);
        }

        if ((Afi)afi is not (Afi.Ipv4 or Afi.Ipv6))
        {
            return new MalformedMrtRecord(header, $"BGP4MP address family {afi} is neither IPv4 nor IPv6", record);
        }

        var ipv6 = (Afi)afi == Afi.Ipv6;
        if (!reader.TryReadAddress(ipv6, out var peerAddress) || !reader.TryReadAddress(ipv6, out var localAddress))
        {
            return new MalformedMrtRecord(header, "the BGP4MP body ends inside the peer and local addresses", record);
        }

        var peer = new Bgp4mpPeer(peerAs, localAs, interfaceIndex, (Afi)afi, peerAddress!, localAddress!);
        if (isStateChange)
        {
            // RFC 6396 §4.4.1: exactly two 2-octet states follow.
            if (reader.Remaining != 4 || !reader.TryReadUInt16(out var oldState) || !reader.TryReadUInt16(out var newState))
            {
                return new MalformedMrtRecord(header, $"a state change needs 4 octets of states, not {reader.Remaining}", record);
            }

            return new Bgp4mpStateChangeRecord(timestamp, header.Type, header.Subtype, peer, (Bgp4mpPeerState)oldState, (Bgp4mpPeerState)newState);
        }

        var addPath = header.Subtype >= (ushort)Bgp4mpSubtype.MessageAddPath;
        var context = (fourOctetAs, addPath) switch
        {
            (false, false) => TwoOctet,
            (true, false) => FourOctet,
            (false, true) => TwoOctetAddPath,
            (true, true) => FourOctetAddPath,
        };
        return new Bgp4mpMessageRecord(timestamp, header.Type, header.Subtype, peer, reader.Rest, context);
    }
}
