namespace BgpStack.Bgp.Wire;

/// <summary>
/// UPDATE (RFC 4271 §4.3, RFC 4760). IPv4 unicast routes travel in <see cref="WithdrawnRoutes"/>
/// and <see cref="Nlri"/>; every family can also travel in <see cref="MpReach"/> and
/// <see cref="MpUnreach"/>. A decoded UPDATE carries the RFC 7606 verdicts on any malformed
/// attribute it survived in <see cref="AttributeErrors"/>.
/// </summary>
public sealed record UpdateMessage : BgpMessage
{
    /// <inheritdoc/>
    public override BgpMessageType Type => BgpMessageType.Update;

    /// <summary>Withdrawn IPv4 unicast routes.</summary>
    public EquatableArray<Nlri> WithdrawnRoutes { get; init; }

    /// <summary>The path attributes (empty when the UPDATE carries none).</summary>
    public PathAttributes Attributes { get; init; } = PathAttributes.Empty;

    /// <summary>MP_REACH_NLRI, or null.</summary>
    public MpReachNlri? MpReach { get; init; }

    /// <summary>MP_UNREACH_NLRI, or null.</summary>
    public MpUnreachNlri? MpUnreach { get; init; }

    /// <summary>Reachable IPv4 unicast routes.</summary>
    public EquatableArray<Nlri> Nlri { get; init; }

    /// <summary>Malformed attributes that did not reset the session, with what RFC 7606 says to do (empty for a clean UPDATE).</summary>
    public EquatableArray<AttributeError> AttributeErrors { get; init; }

    /// <summary>True when RFC 7606 says to treat every route this UPDATE announces as withdrawn.</summary>
    public bool TreatAsWithdraw
    {
        get
        {
            foreach (var error in AttributeErrors)
            {
                if (error.Action == AttributeErrorAction.TreatAsWithdraw)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The End-of-RIB marker for <paramref name="family"/> (RFC 4724 §2).</summary>
    /// <param name="family">The address family.</param>
    public static UpdateMessage EndOfRib(AfiSafi family) =>
        family == AfiSafi.Ipv4Unicast ? new UpdateMessage() : new UpdateMessage { MpUnreach = new MpUnreachNlri(family, default) };

    /// <summary>True when this is an End-of-RIB marker, and for which family.</summary>
    /// <param name="family">The family.</param>
    public bool IsEndOfRib(out AfiSafi family)
    {
        family = default;
        if (!WithdrawnRoutes.IsEmpty || !Nlri.IsEmpty || MpReach is not null || AttributeErrors.Count > 0)
        {
            return false;
        }

        if (MpUnreach is null)
        {
            if (Attributes == PathAttributes.Empty)
            {
                family = AfiSafi.Ipv4Unicast;
                return true;
            }

            return false;
        }

        if (MpUnreach.Nlri.IsEmpty && MpUnreach.RawNlri.IsEmpty && Attributes == PathAttributes.Empty)
        {
            family = MpUnreach.Family;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Decodes an UPDATE body. Never throws on malformed input: an error that RFC 7606 handles by
    /// attribute discard, treat-as-withdraw or AFI/SAFI disable yields a message with
    /// <see cref="AttributeErrors"/>; anything that needs a session reset yields the error.
    /// </summary>
    /// <param name="body">The octets after the header.</param>
    /// <param name="context">The negotiated context for the direction the message travelled.</param>
    public static DecodeResult<UpdateMessage> DecodeBody(ReadOnlySpan<byte> body, CodecContext context) => UpdateCodec.Decode(body, context);

    private protected override void EncodeBody(ref SpanWriter writer, CodecContext context) => UpdateCodec.Encode(this, ref writer, context);

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsEndOfRib(out var family))
        {
            return $"UPDATE End-of-RIB {family}";
        }

        var parts = new List<string> { "UPDATE" };
        if (!WithdrawnRoutes.IsEmpty)
        {
            parts.Add($"withdrawn {WithdrawnRoutes}");
        }

        if (Attributes != PathAttributes.Empty)
        {
            parts.Add(Attributes.ToString());
        }

        if (MpReach is not null)
        {
            parts.Add(MpReach.ToString());
        }

        if (MpUnreach is not null)
        {
            parts.Add(MpUnreach.ToString());
        }

        if (!Nlri.IsEmpty)
        {
            parts.Add($"nlri {Nlri}");
        }

        foreach (var error in AttributeErrors)
        {
            parts.Add(error.ToString());
        }

        return string.Join(' ', parts);
    }
}
