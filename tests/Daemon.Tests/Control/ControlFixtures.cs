using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Fsm;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Wire;
using BgpStack.Control;
using BgpStack.Rib.Decision;
using BgpStack.Rib.Feed;

namespace BgpStack.Daemon.Tests.Control;

/// <summary>Speaker snapshots built from the real types, and a handler that serves them.</summary>
internal static class ControlFixtures
{
    public static readonly DateTimeOffset Since = new(2026, 11, 22, 6, 3, 40, TimeSpan.Zero);

    public static PeerStatus EstablishedPeer() => new()
    {
        Address = IPAddress.Parse("198.18.0.2"),
        RemoteAs = 65002,
        LocalAs = 65001,
        Type = PeerType.External,
        State = SessionState.Established,
        Since = Since,
        Info = "Established",
        RemoteRouterId = RouterId.Parse("198.18.0.2"),
        HoldTime = TimeSpan.FromSeconds(90),
        Families = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast],
        PrefixesReceived = ImmutableDictionary<AfiSafi, int>.Empty.Add(AfiSafi.Ipv4Unicast, 1000).Add(AfiSafi.Ipv6Unicast, 5),
        PrefixesSent = ImmutableDictionary<AfiSafi, int>.Empty.Add(AfiSafi.Ipv4Unicast, 3),
        Flaps = 1,
        LastError = "Hold timer expired",
        Description = "tor-a",
    };

    public static PeerStatus ActivePeer() => new()
    {
        Address = IPAddress.Parse("2001:db8::3"),
        RemoteAs = 65001,
        LocalAs = 65001,
        Type = PeerType.RouteReflectorClient,
        Dynamic = true,
        State = SessionState.Active,
        Since = Since.ToOffset(TimeSpan.FromHours(2)),
        Info = "Active Socket: Connection refused",
    };

    public static RouteSource Peer(int id, string address, uint asn) => new()
    {
        Id = id,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse(address),
        PeerRouterId = RouterId.Parse(address),
        PeerAs = asn,
        LocalAs = 65001,
    };

    public static PrefixSnapshot TwoPathPrefix()
    {
        var a = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.FromSequence(65002),
            NextHop = IPAddress.Parse("198.18.0.2"),
            MultiExitDisc = 10,
            Communities = EquatableArray.Create(Community.Create(65001, 100), Community.NoExport),
            LargeCommunities = EquatableArray.Create(new LargeCommunity(65001, 1, 2)),
        };
        var b = new PathAttributes
        {
            Origin = Origin.Incomplete,
            AsPath = AsPath.FromSequence(65001 + 2, 65100),
            NextHop = IPAddress.Parse("198.18.0.4"),
            LocalPref = 100,
            OriginatorId = RouterId.Parse("198.18.0.7"),
            ClusterList = EquatableArray.Create(RouterId.Parse("198.18.0.1")),
            HasClusterList = true,
        };
        return new PrefixSnapshot(
            IpPrefix.Parse("10.244.1.0/24"),
            [
                new PathSnapshot(new RoutePath(Peer(1, "198.18.0.2", 65002), a, 0), 1, false, new PathVerdict(PathStatus.Best, DecisionReason.AsPathLength, -1)),
                new PathSnapshot(new RoutePath(Peer(2, "198.18.0.4", 65001), b, 4), 2, true, new PathVerdict(PathStatus.Lost, DecisionReason.AsPathLength, 0)),
            ],
            0,
            [0],
            DecisionReason.AsPathLength);
    }
}

/// <summary>A control handler over fixed snapshots; routes can be held back to prove one client cannot block another.</summary>
internal sealed class FixedHandler : IControlHandler
{
    public TaskCompletionSource RoutesGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool GateRoutes { get; init; }

    public IpPrefix? LastPrefix { get; private set; }

    public int Reloads { get; private set; }

    public Task<StatusResult> GetStatusAsync(CancellationToken cancellationToken) => Task.FromResult(new StatusResult
    {
        Version = "0.1.0",
        RouterId = "198.18.0.1",
        LocalAs = 65001,
        Started = ControlFixtures.Since,
        Peers = [ControlMapper.ToDto(ControlFixtures.EstablishedPeer()), ControlMapper.ToDto(ControlFixtures.ActivePeer())],
    });

    public async Task<RoutesResult> GetRoutesAsync(IpPrefix? prefix, CancellationToken cancellationToken)
    {
        LastPrefix = prefix;
        if (GateRoutes)
        {
            await RoutesGate.Task.WaitAsync(cancellationToken);
        }

        return new RoutesResult { Routes = [ControlMapper.ToDto(ControlFixtures.TwoPathPrefix())] };
    }

    public Task<StopResult> GracefulRestartAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new StopResult { ForRestart = true, RestartTime = 120 });

    public Task<FibResult> GetFibAsync(CancellationToken cancellationToken) =>
        throw new ControlCommandException("kernel routes are off");

    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        Reloads++;
        throw new ControlCommandException("bgpstackd.yaml:4:3: 'as' must be a number");
    }
}
