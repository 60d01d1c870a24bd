namespace BgpStack.Bgp.Wire;

/// <summary>
/// The OPEN checks that need the session's configuration, which <see cref="OpenMessage.DecodeBody"/>
/// cannot make on its own, and the negotiation of the hold time. Each check returns the error to
/// send as a NOTIFICATION, or null when the OPEN passes.
/// </summary>
public static class OpenValidation
{
    /// <summary>
    /// Checks the peer's AS against the configured one (RFC 4271 §6.2, RFC 6793, RFC 7607) and
    /// returns OPEN Message Error / Bad Peer AS (2/2) when:
    /// <list type="bullet">
    /// <item>the 4-octet AS capability carries AS 0 (RFC 7607 §2);</item>
    /// <item>with that capability, My Autonomous System disagrees with it: RFC 6793 §3 has the sender put
    /// its AS there when it fits in 2 octets and AS_TRANS otherwise;</item>
    /// <item>the AS (the capability's when present, else My Autonomous System) is not <paramref name="expectedAs"/>.</item>
    /// </list>
    /// </summary>
    /// <param name="open">The peer's OPEN.</param>
    /// <param name="expectedAs">The AS configured for the peer.</param>
    /// <returns>The error, or null when the AS is the expected one.</returns>
    public static BgpError? CheckPeerAs(OpenMessage open, uint expectedAs)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.GetCapability<FourOctetAsCapability>() is { } fourOctet)
        {
            if (fourOctet.Asn == 0)
            {
                return BadPeerAs("the 4-octet AS capability carries AS 0");
            }

            var expectedMyAs = fourOctet.Asn > ushort.MaxValue ? OpenMessage.AsTrans : fourOctet.Asn;
            if (open.MyAutonomousSystem != expectedMyAs)
            {
                return BadPeerAs($"My Autonomous System {open.MyAutonomousSystem} disagrees with the 4-octet AS {fourOctet.Asn}; it should be {expectedMyAs}");
            }
        }

        var asn = open.AutonomousSystem;
        if (asn == 0)
        {
            return BadPeerAs("the peer's AS is 0");
        }

        return asn == expectedAs ? null : BadPeerAs($"the peer's AS is {asn}, {expectedAs} is configured");
    }

    /// <summary>
    /// Checks the BGP Identifier (RFC 6286 §2.2): zero is never valid, and an internal peer may
    /// not use the local speaker's own identifier. Returns OPEN Message Error / Bad BGP Identifier (2/3).
    /// </summary>
    /// <param name="open">The peer's OPEN.</param>
    /// <param name="localIdentifier">The local BGP Identifier.</param>
    /// <param name="internalPeer">True when the peer is in the local AS.</param>
    /// <returns>The error, or null.</returns>
    public static BgpError? CheckBgpIdentifier(OpenMessage open, RouterId localIdentifier, bool internalPeer)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.BgpIdentifier.Value == 0)
        {
            return BgpError.Open(OpenMessageErrorSubcode.BadBgpIdentifier, [], "the BGP Identifier is 0");
        }

        return internalPeer && open.BgpIdentifier == localIdentifier
            ? BgpError.Open(OpenMessageErrorSubcode.BadBgpIdentifier, [], $"the internal peer uses our own BGP Identifier {localIdentifier}")
            : null;
    }

    /// <summary>
    /// Checks the proposed hold time against the smallest one local policy accepts (RFC 4271 §6.2
    /// allows rejecting by policy). Zero, which turns keepalives off, is left to the caller's
    /// policy through <paramref name="acceptZero"/>. Returns OPEN Message Error / Unacceptable Hold Time (2/6).
    /// </summary>
    /// <param name="open">The peer's OPEN.</param>
    /// <param name="minimumHoldTime">The smallest non-zero hold time accepted; at least 3.</param>
    /// <param name="acceptZero">Whether a hold time of zero is accepted.</param>
    /// <returns>The error, or null.</returns>
    public static BgpError? CheckHoldTime(OpenMessage open, ushort minimumHoldTime = 3, bool acceptZero = true)
    {
        ArgumentNullException.ThrowIfNull(open);
        var holdTime = open.HoldTime;
        if (holdTime == 0)
        {
            return acceptZero ? null : BgpError.Open(OpenMessageErrorSubcode.UnacceptableHoldTime, [], "a hold time of 0 is not accepted");
        }

        var minimum = Math.Max(minimumHoldTime, (ushort)3); // RFC 4271 §4.2: at least three seconds
        return holdTime < minimum
            ? BgpError.Open(OpenMessageErrorSubcode.UnacceptableHoldTime, [], $"hold time {holdTime} is below the accepted minimum {minimum}")
            : null;
    }

    /// <summary>
    /// The negotiated hold time (RFC 4271 §4.2): the smaller of the two proposals, where 0 (no
    /// keepalives and no hold timer) wins whenever either side proposes it.
    /// </summary>
    /// <param name="localHoldTime">The hold time we proposed.</param>
    /// <param name="peerHoldTime">The hold time the peer proposed.</param>
    /// <returns>The hold time in seconds.</returns>
    public static ushort NegotiateHoldTime(ushort localHoldTime, ushort peerHoldTime) => Math.Min(localHoldTime, peerHoldTime);

    /// <summary>
    /// The keepalive interval for a negotiated hold time: a third of it (RFC 4271 §10), or 0 (no
    /// keepalives) when the hold time is 0.
    /// </summary>
    /// <param name="negotiatedHoldTime">The negotiated hold time.</param>
    /// <returns>The keepalive interval in seconds.</returns>
    public static ushort KeepaliveInterval(ushort negotiatedHoldTime) => (ushort)(negotiatedHoldTime / 3);

    /// <summary>
    /// OPEN Message Error / Unsupported Capability (2/7) for capabilities the peer must have
    /// advertised and did not; the data lists them as capability TLVs (RFC 5492 §3).
    /// </summary>
    /// <param name="missing">The capabilities required and missing.</param>
    /// <returns>The error.</returns>
    /// <exception cref="ArgumentException">A capability holds a value the wire cannot carry.</exception>
    public static BgpError UnsupportedCapability(params Capability[] missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var length = 0;
        foreach (var capability in missing)
        {
            ArgumentNullException.ThrowIfNull(capability, nameof(missing));
            length += CapabilityCodec.EncodedLength(capability);
        }

        var data = new byte[length];
        var writer = new SpanWriter(data);
        foreach (var capability in missing)
        {
            CapabilityCodec.Encode(capability, ref writer);
        }

        return BgpError.Open(OpenMessageErrorSubcode.UnsupportedCapability, data, $"required capabilities missing: {string.Join(", ", (IEnumerable<Capability>)missing)}");
    }

    /// <summary>
    /// Encodes one capability as it appears on the wire: code, length and value (RFC 5492 §4).
    /// </summary>
    /// <param name="capability">The capability.</param>
    /// <returns>The octets.</returns>
    /// <exception cref="ArgumentException">The capability holds a value the wire cannot carry.</exception>
    public static byte[] EncodeCapability(Capability capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        var data = new byte[CapabilityCodec.EncodedLength(capability)];
        var writer = new SpanWriter(data);
        CapabilityCodec.Encode(capability, ref writer);
        return data;
    }

    private static BgpError BadPeerAs(string reason) => BgpError.Open(OpenMessageErrorSubcode.BadPeerAs, [], reason);
}
