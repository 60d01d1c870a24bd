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

    /// <summary>
    /// An IPv4 UPDATE with the typical attribute set and as many /24s as fit in 4096 octets
    /// (4096 - 19 header - 4 length fields - the attributes, 4 octets per /24).
    /// </summary>
    public static UpdateMessage Ipv4Update(out int prefixCount)
    {
        var attributesLength = new UpdateMessage { Attributes = TypicalAttributes }.ToBytes(CodecContext.Default).Length - 23;
        prefixCount = (CodecContext.StandardMaxMessageLength - 23 - attributesLength) / 4;
        var nlri = new Nlri[prefixCount];
        for (var i = 0; i < nlri.Length; i++)
        {
            nlri[i] = new Nlri(IpPrefix.FromIPv4(0x0A000000u + ((uint)i << 8), 24));
        }

        return new UpdateMessage { Attributes = TypicalAttributes, Nlri = nlri };
    }

    /// <summary>An IPv6 UPDATE: MP_REACH_NLRI (global + link-local next hop) with as many /48s as fit in 4096 octets.</summary>
    public static UpdateMessage Ipv6Update(out int prefixCount)
    {
        var attributes = TypicalAttributes with { NextHop = null };
        var empty = MpReachNlri.Create(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1"), []);
        var baseLength = new UpdateMessage { Attributes = attributes, MpReach = empty }.ToBytes(CodecContext.Default).Length;
        prefixCount = (CodecContext.StandardMaxMessageLength - baseLength - 1) / 7; // 1 length + 6 octets per /48; -1 for a possible extended length
        var nlri = new Nlri[prefixCount];
        var basePrefix = UInt128.Parse("42540766411282592856903984951653826560", System.Globalization.CultureInfo.InvariantCulture); // 2001:db8::
        for (var i = 0; i < nlri.Length; i++)
        {
            nlri[i] = new Nlri(IpPrefix.FromIPv6(basePrefix + ((UInt128)(uint)i << 80), 48));
        }

        return new UpdateMessage { Attributes = attributes, MpReach = empty with { Nlri = nlri } };
    }
}
