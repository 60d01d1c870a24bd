using System.CommandLine;
using BgpStack.Bgp.Wire;

namespace BgpStack.Ctl.Commands;

/// <summary>
/// The options that give the negotiated context of the direction the messages travel:
/// <c>--as2</c>, <c>--add-path</c> and <c>--extended-message</c>.
/// </summary>
internal sealed class ContextOptions
{
    private readonly Option<bool> as2 = new("--as2") { Description = "The peer speaks 2-octet AS numbers (no 4-octet AS capability)" };

    private readonly Option<string?> addPath = new("--add-path") { Description = "Families whose NLRI carry ADD-PATH path identifiers: ipv4, ipv6 or ipv4,ipv6" };

    private readonly Option<bool> extendedMessage = new("--extended-message") { Description = "Messages up to 65535 octets (RFC 8654)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(as2);
        command.Add(addPath);
        command.Add(extendedMessage);
    }

    /// <summary>Builds the context from the parsed options, or reports why it cannot.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="context">The context.</param>
    /// <param name="problem">What is wrong with the options.</param>
    /// <returns>True when the options make a context.</returns>
    public bool TryGetContext(ParseResult result, out CodecContext context, out string? problem)
    {
        context = CodecContext.Default;
        problem = null;
        var families = AddPathFamilies.None;
        if (result.GetValue(addPath) is { } list)
        {
            foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                switch (part)
                {
                    case "ipv4" or "ipv4-unicast":
                        families |= AddPathFamilies.Ipv4Unicast;
                        break;
                    case "ipv6" or "ipv6-unicast":
                        families |= AddPathFamilies.Ipv6Unicast;
                        break;
                    default:
                        problem = $"--add-path: '{part}' is not ipv4 or ipv6";
                        return false;
                }
            }
        }

        context = new CodecContext
        {
            FourOctetAs = !result.GetValue(as2),
            AddPath = families,
            ExtendedMessage = result.GetValue(extendedMessage),
        };
        return true;
    }
}
