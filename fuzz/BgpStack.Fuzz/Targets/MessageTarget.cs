using System.Text;
using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz.Targets;

/// <summary>
/// <see cref="BgpMessage.Decode"/> and <see cref="BgpMessage.TryDecodeNext"/> under every fuzz
/// context. A message that decodes cleanly must encode (or be too large) and decode again to the
/// same value.
/// </summary>
public sealed class MessageTarget : FuzzTarget
{
    /// <inheritdoc/>
    public override string Name => "message";

    /// <inheritdoc/>
    public override string Execute(ReadOnlySpan<byte> input)
    {
        // Distinct per-context outcomes, so that eight contexts agreeing count as one outcome.
        var signature = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var context in FuzzContexts.All)
        {
            var result = BgpMessage.Decode(input, context);
            if (result.TryGetValue(out var message, out _))
            {
                RoundTrip(message, context);
            }

            signature.Add(Describe(result) + ";" + WalkStream(input, context));
        }

        return string.Join('|', signature);
    }

    /// <summary>Encodes and decodes again; a clean message must come back equal.</summary>
    internal static void RoundTrip(BgpMessage message, CodecContext context)
    {
        byte[] encoded;
        try
        {
            encoded = message.ToBytes(context);
        }
        catch (MessageTooLargeException)
        {
            return; // a decoded message can grow when re-encoded (for instance AS4_PATH added); too large is a legitimate refusal
        }

        var again = BgpMessage.Decode(encoded, context);
        FuzzInvariantException.Check(again.IsSuccess, () => $"our own encoding of {message} does not decode under {FuzzContexts.Label(context)}: {again.Error}");
        if (message is UpdateMessage { AttributeErrors.Count: > 0 })
        {
            return; // RFC 7606 dropped or withdrew something; the re-encoding is a different message by design
        }

        FuzzInvariantException.Check(Equals(message, again.Value), () => $"round trip under {FuzzContexts.Label(context)} changed {message} into {again.Value}");
    }

    private static string WalkStream(ReadOnlySpan<byte> input, CodecContext context)
    {
        // The same octets as a TCP stream: several messages back to back, perhaps a partial one at the end.
        var count = 0;
        var rest = input;
        while (BgpMessage.TryDecodeNext(rest, context, out var result, out var consumed))
        {
            count++;
            var available = rest.Length;
            FuzzInvariantException.Check(consumed >= 0 && consumed <= available, () => $"TryDecodeNext consumed {consumed} of {available}");
            if (consumed == 0)
            {
                FuzzInvariantException.Check(!result.IsSuccess, () => "TryDecodeNext succeeded without consuming anything");
                break;
            }

            rest = rest[consumed..];
        }

        return $"n{Math.Min(count, 4)}";
    }

    private static string Describe(DecodeResult<BgpMessage> result)
    {
        if (!result.TryGetValue(out var message, out var error))
        {
            return FuzzContexts.Label(error);
        }

        return message switch
        {
            OpenMessage open => "open" + FuzzContexts.Shape(open.Capabilities),
            UpdateMessage update => "update" + UpdateShape(update),
            NotificationMessage notification => $"notification{(byte)notification.Code}.{notification.Subcode}",
            RouteRefreshMessage refresh => $"refresh{(byte)refresh.Subtype}",
            _ => message.Type.ToString(),
        };
    }

    private static string UpdateShape(UpdateMessage update)
    {
        var builder = new StringBuilder();
        builder.Append(update.WithdrawnRoutes.IsEmpty ? "" : ".w").Append(update.Nlri.IsEmpty ? "" : ".n")
            .Append(update.MpReach is null ? "" : ".r" + FuzzContexts.Label(update.MpReach.Family))
            .Append(update.MpUnreach is null ? "" : ".u" + FuzzContexts.Label(update.MpUnreach.Family));
        var a = update.Attributes;
        builder.Append(a.Origin is null ? "" : ".o").Append(a.AsPath is null ? "" : ".p" + Math.Min(a.AsPath.Segments.Count, 3))
            .Append(a.NextHop is null ? "" : ".h").Append(a.MultiExitDisc is null ? "" : ".m").Append(a.LocalPref is null ? "" : ".l")
            .Append(a.AtomicAggregate ? ".a" : "").Append(a.Aggregator is null ? "" : ".g").Append(a.Communities.IsEmpty ? "" : ".c")
            .Append(a.OriginatorId is null ? "" : ".i").Append(a.HasClusterList ? ".k" : "").Append(a.ExtendedCommunities.IsEmpty ? "" : ".x")
            .Append(a.Ipv6ExtendedCommunities.IsEmpty ? "" : ".x6").Append(a.LargeCommunities.IsEmpty ? "" : ".L");
        builder.Append(a.UnknownAttributes.IsEmpty ? "" : ".unknown");
        return builder.Append(FuzzContexts.Shape(update.AttributeErrors)).ToString();
    }
}
