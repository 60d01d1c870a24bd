using System.Buffers.Binary;
using System.Net.Sockets;

namespace BgpStack.Rib.Decision;

/// <summary>
/// A candidate with the values every step compares worked out once, so that comparing is
/// allocation-free and never walks an AS_PATH twice.
/// </summary>
internal struct RankedPath
{
    /// <summary>The candidate's position in the caller's span.</summary>
    public int Index;
    public int AdminPreference;
    public uint LocalPref;
    public bool LocallyOriginated;
    public int AsPathLength;
    public int Origin;
    public long Med;

    /// <summary>The neighbouring AS, or -1 when it is unknown (the path starts with an AS_SET).</summary>
    public long NeighborAs;
    public bool IsBgp;
    public bool IsExternal;
    public bool IsInternal;
    public uint IgpCost;
    public long Arrival;
    public uint RouterId;
    public int ClusterListLength;
    public int PeerAddressFamily;
    public UInt128 PeerAddress;
    public int SourceId;
    public uint PathId;

    // A missing MED is worse than the largest MED a peer can send (RFC 4271 allows 0..2^32-1).
    private const long MissingMedWorst = (long)uint.MaxValue + 1;

    /// <summary>Works out the compared values; false when the next hop does not resolve.</summary>
    public static bool TryRank(in PathCandidate candidate, int index, DecisionOptions options, INextHopResolver resolver, out RankedPath ranked)
    {
        ranked = default;
        var source = candidate.Source;
        var attributes = candidate.Attributes;
        uint igpCost = 0;
        if (attributes.NextHop is { } nextHop && !resolver.TryResolve(nextHop, out igpCost))
        {
            return false;
        }

        ranked.Index = index;
        ranked.AdminPreference = source.AdminPreference;
        ranked.LocalPref = attributes.LocalPref ?? options.DefaultLocalPref;
        ranked.IsBgp = source.Kind == RouteSourceKind.Bgp;
        ranked.LocallyOriginated = !ranked.IsBgp;
        ranked.IsInternal = source.IsInternal;
        ranked.IsExternal = ranked.IsBgp && !ranked.IsInternal;
        ranked.AsPathLength = attributes.AsPath?.Length ?? 0;
        ranked.Origin = attributes.Origin is { } origin ? (int)origin : (int)Rib.Origin.Incomplete;
        ranked.Med = attributes.MultiExitDisc is { } med ? med : options.MissingMedAsWorst ? MissingMedWorst : 0;
        ranked.NeighborAs = NeighborAsOf(attributes.AsPath, source.LocalAs);
        ranked.IgpCost = igpCost;
        ranked.Arrival = candidate.Arrival;

        // RFC 4456 §9: a reflected route's ORIGINATOR_ID stands in for the BGP Identifier.
        ranked.RouterId = attributes.OriginatorId is { } originator ? originator.Value : source.PeerRouterId.Value;
        ranked.ClusterListLength = attributes.ClusterList.Count;
        if (source.PeerAddress is { } address)
        {
            Span<byte> bytes = stackalloc byte[16];
            if (address.TryWriteBytes(bytes, out var written))
            {
                ranked.PeerAddressFamily = address.AddressFamily == AddressFamily.InterNetworkV6 ? 2 : 1;
                ranked.PeerAddress = written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
            }
        }

        ranked.SourceId = source.Id;
        ranked.PathId = candidate.PathId;
        return true;
    }

    /// <summary>
    /// The AS the path entered ours from: the first AS of the first AS_SEQUENCE, skipping
    /// confederation segments (RFC 5065 §5.3); our own AS for a path with no AS outside the
    /// confederation; unknown (-1) when the path starts with an AS_SET.
    /// </summary>
    private static long NeighborAsOf(AsPath? path, uint localAs)
    {
        if (path is not null)
        {
            foreach (var segment in path.Segments)
            {
                switch (segment.Type)
                {
                    case AsPathSegmentType.AsSequence when !segment.Asns.IsEmpty:
                        return segment.Asns[0];
                    case AsPathSegmentType.AsSet:
                        return -1;
                    default:
                        break;
                }
            }
        }

        return localAs;
    }
}
