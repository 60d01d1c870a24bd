namespace BgpStack.Integration.Tests.Bgpstackd;

/// <summary>bgpstackd against BIRD 2, IPv4 and IPv6, eBGP and iBGP.</summary>
public sealed class BgpstackdBirdTests
{
    [Fact]
    public void Ebgp_ipv4_and_ipv6_routes_flow_both_ways_with_attributes() => PeerScenarios.ExchangeRoutes(PeerKind.Bird, internalSession: false);

    [Fact]
    public void Ibgp_ipv4_and_ipv6_routes_flow_both_ways_with_local_pref() => PeerScenarios.ExchangeRoutes(PeerKind.Bird, internalSession: true);
}

/// <summary>bgpstackd against FRR bgpd, IPv4 and IPv6, eBGP and iBGP.</summary>
public sealed class BgpstackdFrrTests
{
    [Fact]
    public void Ebgp_ipv4_and_ipv6_routes_flow_both_ways_with_attributes() => PeerScenarios.ExchangeRoutes(PeerKind.Frr, internalSession: false);

    [Fact]
    public void Ibgp_ipv4_and_ipv6_routes_flow_both_ways_with_local_pref() => PeerScenarios.ExchangeRoutes(PeerKind.Frr, internalSession: true);
}

/// <summary>bgpstackd against GoBGP, IPv4 and IPv6, eBGP and iBGP.</summary>
public sealed class BgpstackdGobgpTests
{
    [Fact]
    public void Ebgp_ipv4_and_ipv6_routes_flow_both_ways_with_attributes() => PeerScenarios.ExchangeRoutes(PeerKind.Gobgp, internalSession: false);

    [Fact]
    public void Ibgp_ipv4_and_ipv6_routes_flow_both_ways_with_local_pref() => PeerScenarios.ExchangeRoutes(PeerKind.Gobgp, internalSession: true);
}
