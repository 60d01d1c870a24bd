using System.Net;
using BgpStack.Rib.Tables;

namespace BgpStack.Benchmarks.Rib;

/// <summary>The RIB workload of issue 3: 1M IPv4 /24s from two eBGP peers, each with one shared attribute set.</summary>
public static class RibWorkloads
{
    /// <summary>The number of routes per peer.</summary>
    public const int RouteCount = 1_000_000;

    /// <summary>The first /24: 1.0.0.0, as BIRD's feeder numbers its static routes.</summary>
    public const uint FirstAddress = 0x01000000;

    /// <summary>The first peer.</summary>
    public static RouteSource PeerA { get; } = new()
    {
        Id = 1,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse("198.18.0.1"),
        PeerRouterId = RouterId.Parse("198.18.0.1"),
        PeerAs = 65001,
        LocalAs = 65000,
    };

    /// <summary>The second peer.</summary>
    public static RouteSource PeerB { get; } = new()
    {
        Id = 2,
        Kind = RouteSourceKind.Bgp,
        PeerAddress = IPAddress.Parse("198.18.0.2"),
        PeerRouterId = RouterId.Parse("198.18.0.2"),
        PeerAs = 65002,
        LocalAs = 65000,
    };

    /// <summary>The first peer's attribute set.</summary>
    public static PathAttributes AttributesA { get; } = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 3356, 1299),
        NextHop = IPAddress.Parse("198.18.0.1"),
        LocalPref = 100,
    };

    /// <summary>The second peer's attribute set.</summary>
    public static PathAttributes AttributesB { get; } = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65002, 174, 1299),
        NextHop = IPAddress.Parse("198.18.0.2"),
        LocalPref = 200,
    };

    /// <summary>The i-th /24 of the workload.</summary>
    /// <param name="i">0 to <see cref="RouteCount"/> - 1.</param>
    public static IpPrefix Prefix(int i) => IpPrefix.FromIPv4(FirstAddress + ((uint)i << 8), 24);

    /// <summary>Adds the workload's routes from one peer, interning its attribute set once.</summary>
    /// <param name="table">The table.</param>
    /// <param name="peer">The peer.</param>
    /// <param name="attributes">Its attribute set.</param>
    public static void AddAll(RouteTable table, RouteSource peer, PathAttributes attributes)
    {
        var id = table.Attributes.Acquire(attributes);
        for (var i = 0; i < RouteCount; i++)
        {
            table.Upsert(Prefix(i), peer, 0, id);
        }

        table.Attributes.Release(id);
    }

    /// <summary>Random IPv4 addresses inside the workload's /24s (every lookup finds a route).</summary>
    /// <param name="count">How many.</param>
    /// <param name="seed">The random seed.</param>
    public static uint[] AddressesInTable(int count, int seed)
    {
        var random = new Random(seed);
        var addresses = new uint[count];
        for (var i = 0; i < count; i++)
        {
            addresses[i] = FirstAddress + (uint)random.Next(RouteCount * 256);
        }

        return addresses;
    }

    /// <summary>Random IPv4 addresses from the whole address space (most miss the table).</summary>
    /// <param name="count">How many.</param>
    /// <param name="seed">The random seed.</param>
    public static uint[] AnyAddresses(int count, int seed)
    {
        var random = new Random(seed);
        var addresses = new uint[count];
        for (var i = 0; i < count; i++)
        {
            addresses[i] = (uint)random.NextInt64(0, 1L << 32);
        }

        return addresses;
    }
}
