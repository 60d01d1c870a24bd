using System.Net;

namespace BgpStack.Bgp.Transport;

/// <summary>
/// How one peer's TCP connection is set up and buffered: source binding, TCP MD5 (RFC 2385), GTSM
/// (RFC 5082) or a plain outgoing TTL, and the bound on buffered bytes in each direction.
/// </summary>
/// <remarks>
/// The speaker decides the policy (for example TTL 1 toward a directly connected eBGP peer); the
/// transport only applies what it is given. <see cref="Validate"/> reports a bad value before any
/// socket is touched.
/// </remarks>
public sealed record TransportOptions
{
    /// <summary>The default bound on buffered bytes per direction (1 MiB).</summary>
    public const long DefaultMaxBufferedBytes = 1024 * 1024;

    /// <summary>The smallest accepted <see cref="MaxBufferedBytes"/>.</summary>
    public const long MinMaxBufferedBytes = 4096;

    /// <summary>The TTL (hop limit) GTSM sends with and counts allowed hops down from (RFC 5082 §3).</summary>
    public const int GtsmTtl = 255;

    /// <summary>Options with every default: no binding, no MD5, no TTL change, 1 MiB per direction.</summary>
    public static TransportOptions Default { get; } = new();

    /// <summary>The local address outgoing connections are bound to before connect; null lets the kernel choose.</summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>The local port outgoing connections are bound to before connect; 0 lets the kernel choose.</summary>
    public int SourcePort { get; init; }

    /// <summary>
    /// The TCP MD5 signature password (RFC 2385) for the peer's address; null or empty for none. At
    /// most 80 octets in UTF-8 (TCP_MD5SIG_MAXKEYLEN).
    /// </summary>
    public string? Md5Password { get; init; }

    /// <summary>
    /// GTSM (RFC 5082): send with TTL / hop limit 255 and drop arriving segments whose TTL is below
    /// 256 - <see cref="TtlSecurityHops"/> (IP_MINTTL, IPV6_MINHOPCOUNT). When set, <see cref="Ttl"/> is ignored.
    /// </summary>
    public bool TtlSecurity { get; init; }

    /// <summary>
    /// The outgoing TTL / hop limit (1..255), for example 1 toward a directly connected eBGP peer or
    /// the multihop count; null leaves the system default. Ignored when <see cref="TtlSecurity"/> is set.
    /// </summary>
    public int? Ttl { get; init; }

    /// <summary>With <see cref="TtlSecurity"/>: how many hops away the peer may be (1..254); null is 1 (directly connected).</summary>
    public int? TtlSecurityHops { get; init; }

    /// <summary>
    /// The bound on bytes buffered in each direction (pipe pause threshold; writing resumes below
    /// half of it). A peer that does not read makes <see cref="BgpConnection.SendAsync(Wire.BgpMessage, CancellationToken)"/>
    /// wait once this many bytes are queued; a session that does not read stops reading from the
    /// socket, so TCP flow control slows the peer. The receive side always allows at least two
    /// maximum-size messages so a whole message can be buffered.
    /// </summary>
    public long MaxBufferedBytes { get; init; } = DefaultMaxBufferedBytes;

    /// <summary>
    /// How long disposing a connection waits, twice at most: for queued octets (say a NOTIFICATION)
    /// to reach the socket, then for the peer to acknowledge them (or close) before the socket is
    /// closed anyway. See <see cref="BgpConnection.DisposeAsync"/>.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The minimum TTL arriving segments must carry: 256 - hops with GTSM, otherwise null (no check).</summary>
    public int? MinimumTtl => TtlSecurity ? GtsmTtl + 1 - (TtlSecurityHops ?? 1) : null;

    /// <summary>The TTL our segments leave with: 255 with GTSM, otherwise <see cref="Ttl"/>.</summary>
    public int? OutgoingTtl => TtlSecurity ? GtsmTtl : Ttl;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (SourcePort is < 0 or > 65535)
        {
            throw new ArgumentException($"SourcePort {SourcePort} is outside 0..65535.", nameof(SourcePort));
        }

        if (Ttl is < 1 or > 255)
        {
            throw new ArgumentException($"Ttl {Ttl} is outside 1..255.", nameof(Ttl));
        }

        if (TtlSecurityHops is < 1 or > 254)
        {
            throw new ArgumentException($"TtlSecurityHops {TtlSecurityHops} is outside 1..254.", nameof(TtlSecurityHops));
        }

        if (MaxBufferedBytes < MinMaxBufferedBytes)
        {
            throw new ArgumentException($"MaxBufferedBytes {MaxBufferedBytes} is below {MinMaxBufferedBytes}.", nameof(MaxBufferedBytes));
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("DrainTimeout is negative.", nameof(DrainTimeout));
        }

        Md5Key.Validate(Md5Password, nameof(Md5Password));
    }
}
