using System.Net;
using BgpStack.Rib.Decision;

namespace BgpStack.Rib.Tests.Decision;

/// <summary>Builders for the sources and candidates the decision tests use.</summary>
internal static class Paths
{
    public const uint LocalAs = 65000;

    public static RouteSource Ebgp(int id, uint peerAs, string address, string routerId, int adminPreference = 0) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAs = peerAs,
        LocalAs = LocalAs,
        PeerAddress = IPAddress.Parse(address),
        PeerRouterId = RouterId.Parse(routerId),
        AdminPreference = adminPreference,
    };

    public static RouteSource Ibgp(int id, string address, string routerId) => Ebgp(id, LocalAs, address, routerId);

    public static RouteSource NonBgp(int id, RouteSourceKind kind, int adminPreference = 0) => new()
    {
        Id = id,
        Kind = kind,
        LocalAs = LocalAs,
        AdminPreference = adminPreference,
    };

    public static PathAttributes Attributes(
        params uint[] asPath) => new()
        {
            Origin = Origin.Igp,
            AsPath = AsPath.FromSequence(asPath),
            NextHop = IPAddress.Parse("192.0.2.1"),
        };

    public static PathCandidate Candidate(RouteSource source, PathAttributes attributes, uint pathId = 0, long arrival = 0) =>
        new(source, attributes, pathId, arrival);

    /// <summary>A path's identity for comparing outcomes across orders.</summary>
    public static (int Source, uint PathId) Key(PathCandidate candidate) => (candidate.Source.Id, candidate.PathId);
}

/// <summary>A resolver with a fixed IGP cost per next hop; next hops it does not list do not resolve.</summary>
internal sealed class TableResolver(Dictionary<string, uint> costs) : INextHopResolver
{
    public bool TryResolve(IPAddress nextHop, out uint igpCost) => costs.TryGetValue(nextHop.ToString(), out igpCost);
}
