using System.Net.Sockets;
using BgpStack.Netlink.Links;
using BgpStack.Netlink.Namespaces;
using BgpStack.Netlink.Protocol;
using Microsoft.Win32.SafeHandles;

namespace BgpStack.Netlink;

// Links of the rtnetlink client; the type is documented in NetlinkClient.cs.
public sealed partial class NetlinkClient
{
    private const int ENODEV = 19;
    private const ushort CreateFlags = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;

    /// <summary>Dumps every link.</summary>
    public IReadOnlyList<Link> GetLinks()
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, socket.NextSequence());
        LinkCodec.WriteHeader(request, 0, 0, 0);
        request.EndMessage();
        return socket.Dump<Link>(request, LinkCodec.TryParse, "dump links");
    }

    /// <summary>Gets a link by name, or null when there is none.</summary>
    /// <param name="name">The interface name.</param>
    public Link? GetLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST, socket.NextSequence());
        LinkCodec.WriteHeader(request, 0, 0, 0);
        request.AddString(Rtnl.IFLA_IFNAME, name);
        request.EndMessage();
        return socket.Get<Link>(request, LinkCodec.TryParse, ENODEV, $"get link {name}");
    }

    /// <summary>Gets a link by index, or null when there is none.</summary>
    /// <param name="index">The interface index.</param>
    public Link? GetLink(int index)
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST, socket.NextSequence());
        LinkCodec.WriteHeader(request, index, 0, 0);
        request.EndMessage();
        return socket.Get<Link>(request, LinkCodec.TryParse, ENODEV, $"get link #{index}");
    }

    /// <summary>Creates a veth pair; the peer may be created directly inside another namespace.</summary>
    /// <param name="options">The pair.</param>
    public void CreateVethPair(VethPairOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var peerNamespace = options.PeerNamespace is null ? null : NetworkNamespace.OpenHandle(options.PeerNamespace);
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_NEWLINK, CreateFlags, socket.NextSequence());
        LinkCodec.WriteHeader(request, 0, 0, 0);
        request.AddString(Rtnl.IFLA_IFNAME, options.Name);
        if (options.Mtu is { } mtu)
        {
            request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        }

        var linkInfo = request.BeginNested(Rtnl.IFLA_LINKINFO);
        request.AddString(Rtnl.IFLA_INFO_KIND, "veth");
        var data = request.BeginNested(Rtnl.IFLA_INFO_DATA);
        var peer = request.BeginNested(Rtnl.VETH_INFO_PEER);
        LinkCodec.WriteHeader(request, 0, 0, 0);
        request.AddString(Rtnl.IFLA_IFNAME, options.PeerName);
        if (options.Mtu is { } peerMtu)
        {
            request.AddUInt32(Rtnl.IFLA_MTU, (uint)peerMtu);
        }

        if (options.PeerMacAddress is { } mac)
        {
            request.AddAttribute(Rtnl.IFLA_ADDRESS, mac.GetAddressBytes());
        }

        if (peerNamespace is not null)
        {
            request.AddUInt32(Rtnl.IFLA_NET_NS_FD, (uint)peerNamespace.DangerousGetHandle());
        }

        request.EndNested(peer);
        request.EndNested(data);
        request.EndNested(linkInfo);
        request.EndMessage();
        Commit($"create veth {options.Name} peer {options.PeerName}");
    }

    /// <summary>Creates an IPIP tunnel device.</summary>
    /// <param name="options">The tunnel.</param>
    public void CreateIpipTunnel(IpipTunnelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var request = Begin();
        LinkCodec.WriteIpip(request, CreateFlags, socket.NextSequence(), options);
        Commit($"create ipip {options.Name}");
    }

    /// <summary>Creates a VXLAN device.</summary>
    /// <param name="options">The device.</param>
    public void CreateVxlan(VxlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Vni, 0xFFFFFFu, nameof(options));
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_NEWLINK, CreateFlags, socket.NextSequence());
        LinkCodec.WriteHeader(request, 0, 0, 0);
        request.AddString(Rtnl.IFLA_IFNAME, options.Name);
        if (options.Mtu is { } mtu)
        {
            request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        }

        if (options.MacAddress is { } mac)
        {
            request.AddAttribute(Rtnl.IFLA_ADDRESS, mac.GetAddressBytes());
        }

        var linkInfo = request.BeginNested(Rtnl.IFLA_LINKINFO);
        request.AddString(Rtnl.IFLA_INFO_KIND, "vxlan");
        var data = request.BeginNested(Rtnl.IFLA_INFO_DATA);
        request.AddUInt32(Rtnl.IFLA_VXLAN_ID, options.Vni);
        if (options.Local is { } local)
        {
            AddressBytes.Add(request, local.AddressFamily == AddressFamily.InterNetworkV6 ? Rtnl.IFLA_VXLAN_LOCAL6 : Rtnl.IFLA_VXLAN_LOCAL, local);
        }

        if (options.UnderlayIndex != 0)
        {
            request.AddUInt32(Rtnl.IFLA_VXLAN_LINK, (uint)options.UnderlayIndex);
        }

        request.AddUInt16BigEndian(Rtnl.IFLA_VXLAN_PORT, options.Port);
        request.AddUInt8(Rtnl.IFLA_VXLAN_LEARNING, options.Learning ? (byte)1 : (byte)0);
        request.EndNested(data);
        request.EndNested(linkInfo);
        request.EndMessage();
        Commit($"create vxlan {options.Name} vni {options.Vni}");
    }

    /// <summary>Changes a link: up/down, MTU, MAC, name, namespace.</summary>
    /// <param name="change">The change.</param>
    public void SetLink(LinkChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        using SafeFileHandle? target = change.Namespace is null ? null : NetworkNamespace.OpenHandle(change.Namespace);
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, socket.NextSequence());
        LinkCodec.WriteHeader(request, change.Index, change.Up == true ? Rtnl.IFF_UP : 0, change.Up is null ? 0 : Rtnl.IFF_UP);
        if (change.Mtu is { } mtu)
        {
            request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        }

        if (change.MacAddress is { } mac)
        {
            request.AddAttribute(Rtnl.IFLA_ADDRESS, mac.GetAddressBytes());
        }

        if (change.Name is { } name)
        {
            request.AddString(Rtnl.IFLA_IFNAME, name);
        }

        if (target is not null)
        {
            request.AddUInt32(Rtnl.IFLA_NET_NS_FD, (uint)target.DangerousGetHandle());
        }

        request.EndMessage();
        Commit($"set link #{change.Index}");
    }

    /// <summary>Deletes a link (for a veth, both ends go).</summary>
    /// <param name="index">The interface index.</param>
    public void DeleteLink(int index)
    {
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_DELLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, socket.NextSequence());
        LinkCodec.WriteHeader(request, index, 0, 0);
        request.EndMessage();
        Commit($"delete link #{index}");
    }
}
