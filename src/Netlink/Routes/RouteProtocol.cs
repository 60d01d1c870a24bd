using System.Globalization;

namespace BgpStack.Netlink.Routes;

/// <summary>
/// rtm_protocol: who installed a route. BgpStack marks its routes with its own number so that
/// <c>ip route show proto bgpstack</c> lists exactly ours and reconciliation never touches others'.
/// </summary>
public static class RouteProtocol
{
    /// <summary>
    /// BgpStack's protocol number, 177. The kernel gives no meaning to values above RTPROT_STATIC (4);
    /// 177 is free in iproute2's registry (/etc/iproute2/rt_protos), below FRR's block (186-198:
    /// bgp, isis, ospf, rip, nhrp, eigrp, ldp, sharp, pbr, static, openfabric, srte), away from
    /// BIRD (12), keepalived (18), babel (42), Calico's felix (80) and Open/R (99).
    /// </summary>
    public const byte BgpStack = 177;

    /// <summary>The name registered for <see cref="BgpStack"/>.</summary>
    public const string BgpStackName = "bgpstack";

    /// <summary>RTPROT_KERNEL: routes the kernel made (connected routes).</summary>
    public const byte Kernel = 2;

    /// <summary>RTPROT_BOOT: the default of <c>ip route add</c>.</summary>
    public const byte Boot = 3;

    /// <summary>RTPROT_STATIC: <c>ip route add ... proto static</c>.</summary>
    public const byte Static = 4;

    /// <summary>
    /// Writes iproute2's name registration, <c>rt_protos.d/bgpstack.conf</c>, below
    /// <paramref name="iproute2Directory"/> (for example <c>/etc/iproute2</c>), and returns its path.
    /// </summary>
    /// <param name="iproute2Directory">The iproute2 configuration directory.</param>
    public static string WriteIproute2Registration(string iproute2Directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(iproute2Directory);
        var directory = Path.Combine(iproute2Directory, "rt_protos.d");
        _ = Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, BgpStackName + ".conf");
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"# Routes installed by BgpStack (see RouteProtocol.BgpStack).\n{BgpStack}\t{BgpStackName}\n");
        File.WriteAllText(path, text);
        return path;
    }
}
