using BgpStack.Bgp.Wire;

namespace BgpStack.Fuzz.Targets;

/// <summary>The decode contexts every input is tried under: 2- and 4-octet AS, ADD-PATH off and on, standard and extended messages.</summary>
public static class FuzzContexts
{
    /// <summary>All eight combinations.</summary>
    public static IReadOnlyList<CodecContext> All { get; } =
    [
        .. from fourOctet in new[] { true, false }
           from addPath in new[] { AddPathFamilies.None, AddPathFamilies.Ipv4Unicast | AddPathFamilies.Ipv6Unicast }
           from extended in new[] { false, true }
           select new CodecContext { FourOctetAs = fourOctet, AddPath = addPath, ExtendedMessage = extended },
    ];

    /// <summary>A short label for a context, used in outcome signatures.</summary>
    /// <param name="context">The context.</param>
    public static string Label(CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"{(context.FourOctetAs ? "as4" : "as2")}{(context.AddPath != AddPathFamilies.None ? "+ap" : "")}{(context.ExtendedMessage ? "+ext" : "")}";
    }

    /// <summary>
    /// The shape of a capability list: which kinds occur (unknown ones as one kind), ignoring order
    /// and repetition, so the outcome space stays small enough to be a useful signal.
    /// </summary>
    /// <param name="capabilities">The capabilities.</param>
    public static string Shape(EquatableArray<Capability> capabilities)
    {
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var capability in capabilities)
        {
            kinds.Add(capability is UnknownCapability ? "u" : ((byte)capability.Code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return "." + string.Join('.', kinds);
    }

    /// <summary>The distinct RFC 7606 verdicts (action, attribute type, subcode) of a decode, in a fixed order.</summary>
    /// <param name="errors">The verdicts.</param>
    public static string Shape(EquatableArray<AttributeError> errors)
    {
        if (errors.IsEmpty)
        {
            return "";
        }

        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            kinds.Add(Token(error));
        }

        return "." + string.Join('.', kinds);
    }

    /// <summary>One RFC 7606 verdict as an outcome token: action, attribute type (unknown types as one) and subcode.</summary>
    /// <param name="error">The verdict.</param>
    public static string Token(AttributeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var type = error.AttributeType is <= 18 or 25 or 32 ? error.AttributeType.ToString(System.Globalization.CultureInfo.InvariantCulture) : "x";
        return $"!{(int)error.Action}.{type}.{error.Error.Subcode}";
    }

    /// <summary>A family as an outcome: the two unicast families by name, any other as one kind.</summary>
    /// <param name="family">The family.</param>
    public static string Label(AfiSafi family) => family.IsUnicastIp ? family.ToString() : "other";

    /// <summary>The signature of an error: code and subcode.</summary>
    /// <param name="error">The error.</param>
    public static string Label(BgpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"e{(byte)error.Code}.{error.Subcode}";
    }
}
