using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using BgpStack.Netlink.Addresses;
using BgpStack.Netlink.Links;
using BgpStack.Netlink.Neighbours;

namespace BgpStack.Netlink.Tests;

public sealed class LinkTests
{
    [Fact]
    public void Veth_with_the_peer_in_a_second_namespace_carries_a_ping()
    {
        using var host = TestNamespace.Create();
        using var pod = TestNamespace.Create();
        using var hostClient = NetlinkClient.OpenInNamespace(host.Name);
        using var podClient = NetlinkClient.OpenInNamespace(pod.Name);

        hostClient.CreateVethPair(new VethPairOptions { Name = "cali0", PeerName = "eth0", PeerNamespace = pod.Name, Mtu = 1400 });
        var hostEnd = hostClient.GetLink("cali0")!;
        var podEnd = podClient.GetLink("eth0")!;
        Assert.Equal("veth", hostEnd.Kind);
        Assert.Null(hostClient.GetLink("eth0"));
        Assert.Equal(1400, host.IpJson("link", "show", "cali0")[0].GetProperty("mtu").GetInt32());

        hostClient.AddAddress(new InterfaceAddress { InterfaceIndex = hostEnd.Index, Address = IPAddress.Parse("198.18.3.1"), PrefixLength = 30 });
        podClient.AddAddress(new InterfaceAddress { InterfaceIndex = podEnd.Index, Address = IPAddress.Parse("198.18.3.2"), PrefixLength = 30 });
        podClient.AddAddress(new InterfaceAddress { InterfaceIndex = podEnd.Index, Address = IPAddress.Parse("2001:db8:3::2"), PrefixLength = 64, NoDuplicateAddressDetection = true });
        hostClient.SetLink(new LinkChange { Index = hostEnd.Index, Up = true });
        podClient.SetLink(new LinkChange { Index = podEnd.Index, Up = true });

        Assert.True(hostClient.GetLink(hostEnd.Index)!.IsUp);
        var shown = pod.IpJson("addr", "show", "dev", "eth0")[0].GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToHashSet();
        Assert.Contains("198.18.3.2/30", shown);
        Assert.Contains("2001:db8:3::2/64", shown);
        var ours = podClient.GetAddresses().Where(a => a.InterfaceIndex == podEnd.Index && a.Scope == 0)
            .Select(a => $"{a.Address}/{a.PrefixLength}").ToHashSet();
        Assert.Equal(shown.Where(s => !s.StartsWith("fe80", StringComparison.Ordinal)).Order(), ours.Order());

        Assert.Equal(0, pod.Exec("ping", "-c", "1", "-W", "2", "198.18.3.1"));

        podClient.DeleteAddress(new InterfaceAddress { InterfaceIndex = podEnd.Index, Address = IPAddress.Parse("198.18.3.2"), PrefixLength = 30 });
        Assert.DoesNotContain(podClient.GetAddresses(AddressFamily.InterNetwork), a => a.Address.Equals(IPAddress.Parse("198.18.3.2")));
        hostClient.DeleteLink(hostEnd.Index);
        Assert.Null(podClient.GetLink("eth0"));
    }

    [Fact]
    public void Link_changes_mtu_mac_name_and_namespace_are_read_back()
    {
        using var ns = TestNamespace.Create();
        using var other = TestNamespace.Create();
        using var client = NetlinkClient.OpenInNamespace(ns.Name);
        client.CreateVethPair(new VethPairOptions { Name = "a0", PeerName = "b0" });
        var a0 = client.GetLink("a0")!;
        var mac = PhysicalAddress.Parse("02-00-5E-10-00-01");
        client.SetLink(new LinkChange { Index = a0.Index, Mtu = 1450, MacAddress = mac, Name = "a1", Up = true });

        var shown = ns.IpJson("link", "show", "a1")[0];
        Assert.Equal(1450, shown.GetProperty("mtu").GetInt32());
        Assert.Equal("02:00:5e:10:00:01", shown.GetProperty("address").GetString());
        Assert.Contains("UP", shown.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var read = client.GetLink(a0.Index)!;
        Assert.Equal(("a1", 1450, mac), (read.Name, read.Mtu, read.MacAddress));

        var dumped = client.GetLinks().Select(l => (l.Index, l.Name)).Order().ToArray();
        var theirs = ns.IpJson("link", "show").EnumerateArray().Select(l => (l.GetProperty("ifindex").GetInt32(), l.GetProperty("ifname").GetString()!)).Order().ToArray();
        Assert.Equal(theirs, dumped);

        client.SetLink(new LinkChange { Index = client.GetLink("b0")!.Index, Namespace = other.Name });
        Assert.Null(client.GetLink("b0"));
        Assert.Equal("b0", other.IpJson("link", "show", "b0")[0].GetProperty("ifname").GetString());

        client.SetLink(new LinkChange { Index = a0.Index, Up = false });
        Assert.False(client.GetLink("a1")!.IsUp);
    }

    [Fact]
    public void Vxlan_device_is_created_with_vni_local_port_and_underlay()
    {
        using var ns = TestNamespace.Create();
        using var client = NetlinkClient.OpenInNamespace(ns.Name);
        client.CreateVethPair(new VethPairOptions { Name = "u0", PeerName = "u1" });
        var underlay = client.GetLink("u0")!.Index;
        client.CreateVxlan(new VxlanOptions { Name = "vxlan.calico", Vni = 4096, Local = IPAddress.Parse("198.18.4.1"), Port = 4789, UnderlayIndex = underlay, Mtu = 1410 });

        var info = ns.IpJson("-d", "link", "show", "vxlan.calico")[0];
        var data = info.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal("vxlan", info.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(4096, data.GetProperty("id").GetInt32());
        Assert.Equal("198.18.4.1", data.GetProperty("local").GetString());
        Assert.Equal(4789, data.GetProperty("port").GetInt32());
        Assert.Equal("u0", data.GetProperty("link").GetString());
        Assert.False(data.GetProperty("learning").GetBoolean());
        Assert.Equal(1410, info.GetProperty("mtu").GetInt32());
        Assert.Equal("vxlan", client.GetLink("vxlan.calico")!.Kind);
    }

    [Fact]
    public void Ipip_tunnel_is_created_where_the_kernel_has_ipip_and_refused_like_iproute2_where_not()
    {
        using var ns = TestNamespace.Create();
        using var client = NetlinkClient.OpenInNamespace(ns.Name);
        var probe = TestNamespace.RunCode("ip", ["-n", ns.Name, "link", "add", "probe0", "type", "ipip", "local", "198.18.5.9"], out var probeOutput);
        var options = new IpipTunnelOptions { Name = "tun1", Local = IPAddress.Parse("198.18.5.1"), Ttl = 64 };
        if (probe != 0)
        {
            // This kernel lacks ipip (iproute2 says so too): our request must fail the same way, with the kernel's text.
            var refused = Assert.Throws<NetlinkException>(() => client.CreateIpipTunnel(options));
            Assert.Contains("Unknown device type", probeOutput.StdErr, StringComparison.Ordinal);
            Assert.Equal(95, refused.Errno); // EOPNOTSUPP
            Assert.Contains("Unknown device type", refused.Error.KernelMessage, StringComparison.Ordinal);
            return;
        }

        client.CreateIpipTunnel(options);
        var info = ns.IpJson("-d", "link", "show", "tun1")[0];
        var data = info.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal("ipip", info.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("198.18.5.1", data.GetProperty("local").GetString());
        Assert.Equal(64, data.GetProperty("ttl").GetInt32());
        Assert.Equal("ipip", client.GetLink("tun1")!.Kind);
    }

    [Fact]
    public void Static_neighbours_for_arp_and_ndp_are_added_read_back_and_deleted()
    {
        using var ns = TestNamespace.Create();
        using var client = NetlinkClient.OpenInNamespace(ns.Name);
        client.CreateVethPair(new VethPairOptions { Name = "n0", PeerName = "n1" });
        var n0 = client.GetLink("n0")!.Index;
        var mac = PhysicalAddress.Parse("EE-EE-EE-EE-EE-EE");
        client.SetNeighbour(new Neighbour { InterfaceIndex = n0, Address = IPAddress.Parse("169.254.1.1"), LinkLayerAddress = mac });
        client.SetNeighbour(new Neighbour { InterfaceIndex = n0, Address = IPAddress.Parse("2001:db8:6::1"), LinkLayerAddress = mac });

        var shown = ns.IpJson("neigh", "show", "dev", "n0").EnumerateArray().ToDictionary(n => n.GetProperty("dst").GetString()!);
        Assert.Equal("ee:ee:ee:ee:ee:ee", shown["169.254.1.1"].GetProperty("lladdr").GetString());
        Assert.Contains("PERMANENT", shown["2001:db8:6::1"].GetProperty("state").EnumerateArray().Select(s => s.GetString()));
        var ours = client.GetNeighbours().Where(n => n.InterfaceIndex == n0).ToDictionary(n => n.Address.ToString());
        Assert.True(ours["169.254.1.1"].IsPermanent);
        Assert.Equal(mac, ours["2001:db8:6::1"].LinkLayerAddress);

        client.DeleteNeighbour(new Neighbour { InterfaceIndex = n0, Address = IPAddress.Parse("169.254.1.1") });
        Assert.DoesNotContain(client.GetNeighbours(AddressFamily.InterNetwork), n => n.InterfaceIndex == n0);
    }
}
