using System.Net;

namespace BgpStack.Bgp.Wire;

/// <summary>
/// MP_REACH_NLRI (RFC 4760 §3). For IPv4 and IPv6 unicast the NLRI are decoded into
/// <see cref="Nlri"/>; for any other family they are kept as <see cref="RawNlri"/>, so a peer that
/// speaks more families is not torn down. The next hop is kept as its raw octets.
/// </summary>
/// <param name="Family">The address family.</param>
/// <param name="NextHop">The next-hop field: 4 or 16 octets, 32 for IPv6 global + link-local, 16/32 for IPv4 NLRI over IPv6 (RFC 8950).</param>
/// <param name="Nlri">The reachable prefixes (unicast families).</param>
public sealed record MpReachNlri(AfiSafi Family, EquatableArray<byte> NextHop, EquatableArray<Nlri> Nlri)
{
    /// <summary>The NLRI octets of a family this codec does not decode into prefixes.</summary>
    public EquatableArray<byte> RawNlri { get; init; }

    /// <summary>Creates the attribute for a unicast family from addresses.</summary>
    /// <param name="family">IPv4 or IPv6 unicast.</param>
    /// <param name="nextHop">The (global) next hop: IPv4, or IPv6 (also for IPv4 NLRI per RFC 8950).</param>
    /// <param name="linkLocalNextHop">An IPv6 link-local next hop, or null.</param>
    /// <param name="nlri">The prefixes.</param>
    public static MpReachNlri Create(AfiSafi family, IPAddress nextHop, IPAddress? linkLocalNextHop, IEnumerable<Nlri> nlri)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        var bytes = new List<byte>(nextHop.GetAddressBytes());
        if (linkLocalNextHop is not null)
        {
            bytes.AddRange(linkLocalNextHop.GetAddressBytes());
        }

        return new MpReachNlri(family, bytes.ToEquatableArray(), nlri.ToEquatableArray());
    }

    /// <summary>The (global) next hop as an address when it is 4, 16 or 32 octets; otherwise null.</summary>
    public IPAddress? NextHopAddress => NextHop.Count switch
    {
        4 => new IPAddress(NextHop.AsSpan()),
        16 or 32 => new IPAddress(NextHop.AsSpan()[..16]),
        _ => null,
    };

    /// <summary>The IPv6 link-local next hop when the field is 32 octets; otherwise null.</summary>
    public IPAddress? LinkLocalNextHop => NextHop.Count == 32 ? new IPAddress(NextHop.AsSpan()[16..]) : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"MP_REACH {Family} next-hop {(NextHopAddress?.ToString() ?? Convert.ToHexString(NextHop.AsSpan()))}{(LinkLocalNextHop is { } ll ? " " + ll : "")} " +
        (RawNlri.IsEmpty ? Nlri.ToString() : "raw " + Convert.ToHexString(RawNlri.AsSpan()));
}

/// <summary>
/// MP_UNREACH_NLRI (RFC 4760 §4): withdrawn prefixes of a family; with no NLRI it is the
/// End-of-RIB marker of that family (RFC 4724 §2).
/// </summary>
/// <param name="Family">The address family.</param>
/// <param name="Nlri">The withdrawn prefixes (unicast families).</param>
public sealed record MpUnreachNlri(AfiSafi Family, EquatableArray<Nlri> Nlri)
{
    /// <summary>The NLRI octets of a family this codec does not decode into prefixes.</summary>
    public EquatableArray<byte> RawNlri { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"MP_UNREACH {Family} " + (RawNlri.IsEmpty ? Nlri.ToString() : "raw " + Convert.ToHexString(RawNlri.AsSpan()));
}
