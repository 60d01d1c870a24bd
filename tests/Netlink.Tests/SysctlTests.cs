using BgpStack.Netlink.Links;
using BgpStack.Netlink.Sysctl;

namespace BgpStack.Netlink.Tests;

public sealed class SysctlTests
{
    [Fact]
    public void Sysctls_are_set_inside_the_namespace_and_not_in_the_root_namespace()
    {
        using var ns = TestNamespace.Create();
        using (var client = NetlinkClient.OpenInNamespace(ns.Name))
        {
            client.CreateVethPair(new VethPairOptions { Name = "s0", PeerName = "s1" });
        }

        var rootForwarding = File.ReadAllText("/proc/sys/net/ipv4/conf/all/forwarding").Trim();
        var rootV6Forwarding = File.ReadAllText("/proc/sys/net/ipv6/conf/all/forwarding").Trim();
        var flipped = rootForwarding == "1" ? false : true;

        NamespaceSysctl.SetForwarding(ns.Name, ipv6: false, "all", flipped);
        NamespaceSysctl.SetForwarding(ns.Name, ipv6: true, "all", true);
        NamespaceSysctl.SetProxyArp(ns.Name, "s0", true);
        NamespaceSysctl.SetRouteLocalnet(ns.Name, "s0", true);
        NamespaceSysctl.SetProxyNdp(ns.Name, "s0", true);

        Assert.Equal(flipped ? "1" : "0", NamespaceSysctl.Read(ns.Name, "ipv4.conf.all.forwarding"));
        Assert.Equal("1", NamespaceSysctl.Read(ns.Name, "ipv4/conf/s0/proxy_arp"));
        Assert.Equal("1", NamespaceSysctl.Read(ns.Name, "ipv4/conf/s0/route_localnet"));
        Assert.Equal("1", NamespaceSysctl.Read(ns.Name, "ipv6/conf/s0/proxy_ndp"));
        Assert.Equal(0, ns.Exec("sh", "-c", "test \"$(cat /proc/sys/net/ipv4/conf/s0/proxy_arp)\" = 1"));
        Assert.Equal(flipped ? 0 : 1, ns.Exec("sh", "-c", "test \"$(cat /proc/sys/net/ipv4/ip_forward)\" = 1"));

        Assert.Equal(rootForwarding, File.ReadAllText("/proc/sys/net/ipv4/conf/all/forwarding").Trim());
        Assert.Equal(rootV6Forwarding, File.ReadAllText("/proc/sys/net/ipv6/conf/all/forwarding").Trim());
        Assert.False(Directory.Exists("/proc/sys/net/ipv4/conf/s0"));
        Assert.Throws<ArgumentException>(() => NamespaceSysctl.Read(ns.Name, "ipv4/../../kernel/hostname"));
    }
}
