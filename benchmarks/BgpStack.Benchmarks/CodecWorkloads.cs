using System.Net;
using BgpStack.Bgp.Wire;

namespace BgpStack.Benchmarks;

/// <summary>The messages the codec benchmarks run on, built once from the model.</summary>
public static class CodecWorkloads
{
    /// <summary>The typical attribute set: ORIGIN, a 4-hop AS_PATH, NEXT_HOP, MED and two communities.</summary>
    public static PathAttributes TypicalAttributes { get; } = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 3356, 1299, 64512),
        NextHop = IPAddress.Parse("198.18.0.1"),
        MultiExitDisc = 100,
        Communities = [Community.Create(65001, 100), Community.Create(3356, 2)],
    };

    /// <summary>The number of /24s in <see cref="Ipv4Update"/>: with the typical attributes the message is 4073 octets.</summary>
    public const int Ipv4PrefixCount = 1000;

    /// <summary>The number of /48s in <see cref="Ipv6Update"/>: with the typical attributes the message is just under 4096 octets.</summary>
    public const int Ipv6PrefixCount = 560;

    /// <summary>An IPv4 UPDATE with the typical attribute set and <see cref="Ipv4PrefixCount"/> /24s.</summary>
    public static UpdateMessage Ipv4Update()
    {
        var nlri = new Nlri[Ipv4PrefixCount];
        for (var i = 0; i < nlri.Length; i++)
        {
            nlri[i] = new Nlri(IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24));
        }

        return new UpdateMessage { Attributes = TypicalAttributes, Nlri = nlri };
    }

    /// <summary>An IPv6 UPDATE: MP_REACH_NLRI (global + link-local next hop) with <see cref="Ipv6PrefixCount"/> /48s.</summary>
    public static UpdateMessage Ipv6Update()
    {
        var nlri = new Nlri[Ipv6PrefixCount];
        var documentation = IpPrefix.Parse("2001:db8::/32").Ipv6Bits;
        for (var i = 0; i < nlri.Length; i++)
        {
            nlri[i] = new Nlri(IpPrefix.FromIPv6(documentation + ((UInt128)(uint)i << 80), 48));
        }

        return new UpdateMessage
        {
            Attributes = TypicalAttributes with { NextHop = null },
            MpReach = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1"), nlri),
        };
    }
}
