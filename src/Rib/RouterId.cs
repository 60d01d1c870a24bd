using System.Buffers.Binary;
using System.Net;

namespace BgpStack.Rib;

/// <summary>
/// A 4-octet identifier written as a dotted quad: a BGP Identifier, ORIGINATOR_ID, CLUSTER_LIST
/// entry or the address in AGGREGATOR.
/// </summary>
/// <param name="Value">The identifier as a host-order number.</param>
public readonly record struct RouterId(uint Value)
{
    /// <summary>Converts from an IPv4 address.</summary>
    /// <param name="address">An IPv4 address.</param>
    public static RouterId FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[4];
        if (!address.TryWriteBytes(bytes, out var written) || written != 4)
        {
            throw new ArgumentException("A router ID is an IPv4 address.", nameof(address));
        }

        return new RouterId(BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    /// <summary>Parses a dotted quad.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">The text is not a dotted quad.</exception>
    public static RouterId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a dotted-quad identifier.");

    /// <summary>Parses a dotted quad.</summary>
    /// <param name="text">The text.</param>
    /// <param name="id">The identifier.</param>
    /// <returns>True when the text is a dotted quad.</returns>
    public static bool TryParse(string? text, out RouterId id)
    {
        id = default;
        if (text is null || text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        id = FromIPAddress(address);
        return true;
    }

    /// <summary>The identifier as an IPv4 address.</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Value);
        return new IPAddress(bytes);
    }

    /// <summary>The dotted quad.</summary>
    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}";
}
