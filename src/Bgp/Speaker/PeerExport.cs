using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;
using BgpStack.Rib.Export;
using BgpStack.Rib.Feed;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// The export side of one established session: which selected routes the peer gets and with what
/// attributes (the protocol's rules, then the peer's export policy), as the peer's update group
/// policy in the Adj-RIB-Out builder.
/// </summary>
internal sealed class PeerExport(PeerRules rules, ImmutableArray<AfiSafi> families, IRoutePolicy? policy, PolicyPeer policyPeer) : IExportPolicy
{
    private const int MaxCachedAttributeSets = 4096;

    private readonly bool ipv4 = families.Contains(AfiSafi.Ipv4Unicast);
    private readonly bool ipv6 = families.Contains(AfiSafi.Ipv6Unicast);

    // The RIB interns attribute sets, so routes sharing a set share an instance; sharing the
    // exported set too keeps the Adj-RIB-Out at one set per distinct input, not one per prefix.
    private readonly Dictionary<(RouteSource Source, PathAttributes Attributes), PathAttributes?> exported = new(ByReference.Instance);

    /// <inheritdoc/>
    public IPAddress? SplitHorizonPeer => rules.PeerAddress;

    /// <inheritdoc/>
    public PathAttributes? Export(in RibChange change)
    {
        if (change.Best is not { } best || !(change.Prefix.IsIPv6 ? ipv6 : ipv4))
        {
            return null;
        }

        if (policy is not null)
        {
            // A policy may look at the prefix, so its result is per route.
            var attributes = RouteRules.Export(best, rules);
            return attributes is null ? null : policy.Apply(change.Prefix, attributes, policyPeer);
        }

        var key = (best.Source, best.Attributes);
        if (!exported.TryGetValue(key, out var result))
        {
            if (exported.Count >= MaxCachedAttributeSets)
            {
                exported.Clear();
            }

            exported[key] = result = RouteRules.Export(best, rules);
        }

        return result;
    }
}

/// <summary>Compares (source, attributes) pairs by identity: the RIB hands out one instance per interned set.</summary>
internal sealed class ByReference : IEqualityComparer<(RouteSource Source, PathAttributes Attributes)>
{
    public static ByReference Instance { get; } = new();

    public bool Equals((RouteSource Source, PathAttributes Attributes) x, (RouteSource Source, PathAttributes Attributes) y) =>
        ReferenceEquals(x.Source, y.Source) && ReferenceEquals(x.Attributes, y.Attributes);

    public int GetHashCode((RouteSource Source, PathAttributes Attributes) obj) =>
        HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Source), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Attributes));
}

/// <summary>
/// Packs a batch of Adj-RIB-Out changes into as few UPDATEs as the codec allows: withdrawals per
/// family together, announcements grouped by identical attributes, IPv6 (and IPv4 with an IPv6 next
/// hop, RFC 8950) through MP_REACH_NLRI.
/// </summary>
internal sealed class OutboundWriter(CodecContext context, bool ipv4ExtendedNextHop)
{
    private readonly UpdateBuilder builder = new(context);
    private readonly List<Nlri> withdraw4 = [];
    private readonly List<Nlri> withdraw6 = [];
    private readonly Dictionary<PathAttributes, List<Nlri>> announce = [];

    /// <summary>Routes that could not be encoded (an IPv4 route with an IPv6 next hop and no extended next hop).</summary>
    public long Unencodable { get; private set; }

    /// <summary>Builds the requests for one batch.</summary>
    /// <param name="batch">The changes.</param>
    /// <param name="announced">The number of announcements among them.</param>
    /// <param name="withdrawnCount">The number of withdrawals among them.</param>
    public List<UpdateRequest> Build(ImmutableArray<ExportChange> batch, out int announced, out int withdrawnCount)
    {
        withdraw4.Clear();
        withdraw6.Clear();
        announce.Clear();
        announced = 0;
        withdrawnCount = 0;
        foreach (var change in batch)
        {
            var nlri = new Nlri(change.Prefix);
            if (change.Attributes is not { } attributes)
            {
                (change.Prefix.IsIPv6 ? withdraw6 : withdraw4).Add(nlri);
                withdrawnCount++;
                continue;
            }

            if (!announce.TryGetValue(attributes, out var list))
            {
                announce[attributes] = list = [];
            }

            list.Add(nlri);
            announced++;
        }

        var requests = new List<UpdateRequest>(announce.Count + 2);
        if (withdraw4.Count > 0)
        {
            requests.Add(new UpdateRequest { Family = AfiSafi.Ipv4Unicast, Withdraw = [.. withdraw4] });
        }

        if (withdraw6.Count > 0)
        {
            requests.Add(new UpdateRequest { Family = AfiSafi.Ipv6Unicast, Withdraw = [.. withdraw6] });
        }

        foreach (var (attributes, list) in announce)
        {
            if (ToRequest(attributes, list) is { } request)
            {
                requests.Add(request);
            }
        }

        return requests;
    }

    /// <summary>Writes the requests' UPDATEs; returns the number of messages written.</summary>
    /// <param name="requests">The requests from <see cref="Build"/>.</param>
    /// <param name="writer">Where the messages go.</param>
    public int Write(List<UpdateRequest> requests, System.Buffers.IBufferWriter<byte> writer)
    {
        var written = 0;
        foreach (var request in requests)
        {
            written += builder.WriteTo(request, writer);
        }

        return written;
    }

    private UpdateRequest? ToRequest(PathAttributes attributes, List<Nlri> nlri)
    {
        var ipv6Route = nlri[0].Prefix.IsIPv6;
        var nextHop = attributes.NextHop;
        if (!ipv6Route && (nextHop is null || nextHop.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            return new UpdateRequest { Family = AfiSafi.Ipv4Unicast, Attributes = attributes, Announce = [.. nlri] };
        }

        if (!ipv6Route && !ipv4ExtendedNextHop)
        {
            Unencodable += nlri.Count;
            return null;
        }

        // IPv6 routes (and IPv4 ones with an IPv6 next hop) carry the next hop in MP_REACH_NLRI; an
        // IPv4 next hop for an IPv6 route becomes the IPv4-mapped address (RFC 4291 §2.5.5.2).
        var mpNextHop = nextHop is null ? IPAddress.IPv6Any : nextHop.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? nextHop.MapToIPv6() : nextHop;
        return new UpdateRequest
        {
            Family = ipv6Route ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast,
            Attributes = attributes with { NextHop = null },
            MpNextHop = [.. mpNextHop.GetAddressBytes()],
            Ipv4ViaMpReach = !ipv6Route,
            Announce = [.. nlri],
        };
    }
}
