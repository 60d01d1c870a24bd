namespace BgpStack.Bgp.Wire;

/// <summary>How capabilities are grouped into OPEN optional parameters (RFC 5492 allows either).</summary>
public enum OptionalParameterLayout
{
    /// <summary>One Capabilities parameter per capability (FRR, GoBGP, most routers).</summary>
    ParameterPerCapability,

    /// <summary>All capabilities in a single Capabilities parameter (BIRD).</summary>
    SingleParameter,
}

/// <summary>
/// OPEN (RFC 4271 §4.2) with its capabilities (RFC 5492). Optional parameters use the extended
/// length format of RFC 9072 when they exceed 255 octets or when <see cref="ExtendedOptionalParameters"/> asks for it.
/// </summary>
/// <param name="Version">The BGP version; 4.</param>
/// <param name="MyAutonomousSystem">The 2-octet My Autonomous System field (AS_TRANS, 23456, for a 4-octet AS).</param>
/// <param name="HoldTime">The proposed hold time in seconds: 0, or at least 3.</param>
/// <param name="BgpIdentifier">The sender's BGP Identifier.</param>
/// <param name="Capabilities">The capabilities advertised, in order.</param>
public sealed record OpenMessage(
    byte Version,
    ushort MyAutonomousSystem,
    ushort HoldTime,
    RouterId BgpIdentifier,
    EquatableArray<Capability> Capabilities) : BgpMessage
{
    /// <summary>The BGP version this codec speaks.</summary>
    public const byte BgpVersion = 4;

    /// <summary>AS_TRANS (RFC 6793): the 2-octet stand-in for a 4-octet AS number.</summary>
    public const ushort AsTrans = 23456;

    /// <inheritdoc/>
    public override BgpMessageType Type => BgpMessageType.Open;

    /// <summary>How capabilities are grouped into optional parameters.</summary>
    public OptionalParameterLayout Layout { get; init; } = OptionalParameterLayout.ParameterPerCapability;

    /// <summary>Use the RFC 9072 extended optional parameters format even when the parameters would fit in 255 octets.</summary>
    public bool ExtendedOptionalParameters { get; init; }

    /// <summary>
    /// Creates an OPEN for <paramref name="autonomousSystem"/>: My Autonomous System is the AS, or
    /// AS_TRANS when it does not fit in 2 octets. The 4-octet AS capability is not added here.
    /// </summary>
    /// <param name="autonomousSystem">The sender's AS number.</param>
    /// <param name="holdTime">The proposed hold time.</param>
    /// <param name="bgpIdentifier">The BGP Identifier.</param>
    /// <param name="capabilities">The capabilities.</param>
    public static OpenMessage Create(uint autonomousSystem, ushort holdTime, RouterId bgpIdentifier, params IEnumerable<Capability> capabilities) =>
        new(BgpVersion, autonomousSystem > ushort.MaxValue ? AsTrans : (ushort)autonomousSystem, holdTime, bgpIdentifier, capabilities.ToEquatableArray());

    /// <summary>The sender's AS: the 4-octet AS capability's value if present, otherwise My Autonomous System.</summary>
    public uint AutonomousSystem
    {
        get
        {
            foreach (var capability in Capabilities)
            {
                if (capability is FourOctetAsCapability fourOctet)
                {
                    return fourOctet.Asn;
                }
            }

            return MyAutonomousSystem;
        }
    }

    /// <summary>The first capability of type <typeparamref name="T"/>, or null.</summary>
    /// <typeparam name="T">The capability type.</typeparam>
    public T? GetCapability<T>()
        where T : Capability
    {
        foreach (var capability in Capabilities)
        {
            if (capability is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>
    /// Decodes an OPEN body and validates what the message alone can tell (RFC 4271 §6.2):
    /// version, hold time, BGP Identifier, parameter lengths and types, capability encodings. The
    /// peer's AS is checked against configuration by the session, not here.
    /// </summary>
    /// <param name="body">The octets after the header.</param>
    public static DecodeResult<OpenMessage> DecodeBody(ReadOnlySpan<byte> body) => OpenCodec.Decode(body);

    private protected override void EncodeBody(ref SpanWriter writer, CodecContext context) => OpenCodec.Encode(this, ref writer);

    /// <summary>Text such as <c>OPEN as 65001 hold 90 id 192.0.2.1 caps [...]</c>.</summary>
    public override string ToString() =>
        $"OPEN version {Version} as {AutonomousSystem} hold {HoldTime} id {BgpIdentifier} capabilities {Capabilities}";
}
