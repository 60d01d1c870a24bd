namespace BgpStack.Netlink.Protocol;

/// <summary>Message types, flags and attribute numbers from linux/netlink.h, linux/rtnetlink.h,
/// linux/if_link.h, linux/if_addr.h, linux/neighbour.h and linux/nexthop.h.</summary>
internal static class Rtnl
{
    // linux/netlink.h: message header and control messages.
    internal const int HeaderLength = 16;
    internal const ushort NLMSG_NOOP = 1;
    internal const ushort NLMSG_ERROR = 2;
    internal const ushort NLMSG_DONE = 3;
    internal const ushort NLMSG_OVERRUN = 4;

    internal const ushort NLM_F_REQUEST = 0x01;
    internal const ushort NLM_F_MULTI = 0x02;
    internal const ushort NLM_F_ACK = 0x04;
    internal const ushort NLM_F_DUMP_INTR = 0x10;
    internal const ushort NLM_F_ROOT = 0x100;
    internal const ushort NLM_F_MATCH = 0x200;
    internal const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    internal const ushort NLM_F_REPLACE = 0x100;
    internal const ushort NLM_F_EXCL = 0x200;
    internal const ushort NLM_F_CREATE = 0x400;
    internal const ushort NLM_F_CAPPED = 0x100;
    internal const ushort NLM_F_ACK_TLVS = 0x200;

    internal const ushort NLMSGERR_ATTR_MSG = 1;
    internal const ushort NLMSGERR_ATTR_OFFS = 2;

    internal const ushort NLA_F_NESTED = 0x8000;
    internal const ushort NLA_TYPE_MASK = 0x3fff;

    // linux/rtnetlink.h message types.
    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_SETLINK = 19;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_GETADDR = 22;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;
    internal const ushort RTM_NEWNEIGH = 28;
    internal const ushort RTM_DELNEIGH = 29;
    internal const ushort RTM_GETNEIGH = 30;
    internal const ushort RTM_NEWNEXTHOP = 104;
    internal const ushort RTM_DELNEXTHOP = 105;
    internal const ushort RTM_GETNEXTHOP = 106;

    // Multicast groups (RTNLGRP_*), numbered from 1.
    internal const int RTNLGRP_LINK = 1;
    internal const int RTNLGRP_IPV4_IFADDR = 5;
    internal const int RTNLGRP_IPV4_ROUTE = 7;
    internal const int RTNLGRP_IPV6_IFADDR = 9;
    internal const int RTNLGRP_IPV6_ROUTE = 11;

    internal const byte AF_UNSPEC = 0;
    internal const byte AF_INET = 2;
    internal const byte AF_INET6 = 10;
    internal const byte AF_BRIDGE = 7;

    // struct rtmsg is 12 octets; route attributes.
    internal const int RtMsgLength = 12;
    internal const ushort RTA_DST = 1;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_PRIORITY = 6;
    internal const ushort RTA_PREFSRC = 7;
    internal const ushort RTA_MULTIPATH = 9;
    internal const ushort RTA_TABLE = 15;
    internal const ushort RTA_VIA = 18;
    internal const ushort RTA_NH_ID = 30;
    internal const byte RTNH_F_ONLINK = 4;
    internal const int RtNextHopLength = 8;
    internal const uint RT_TABLE_MAIN = 254;

    // struct ifinfomsg is 16 octets; link attributes.
    internal const int IfInfoMsgLength = 16;
    internal const ushort IFLA_ADDRESS = 1;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;
    internal const ushort IFLA_LINK = 5;
    internal const ushort IFLA_OPERSTATE = 16;
    internal const ushort IFLA_LINKINFO = 18;
    internal const ushort IFLA_NET_NS_FD = 28;
    internal const ushort IFLA_INFO_KIND = 1;
    internal const ushort IFLA_INFO_DATA = 2;
    internal const ushort VETH_INFO_PEER = 1;
    internal const uint IFF_UP = 0x1;

    // linux/if_tunnel.h: IFLA_IPTUN_*.
    internal const ushort IFLA_IPTUN_LINK = 1;
    internal const ushort IFLA_IPTUN_LOCAL = 2;
    internal const ushort IFLA_IPTUN_REMOTE = 3;
    internal const ushort IFLA_IPTUN_TTL = 4;
    internal const ushort IFLA_IPTUN_PMTUDISC = 10;

    // linux/if_link.h: IFLA_VXLAN_*.
    internal const ushort IFLA_VXLAN_ID = 1;
    internal const ushort IFLA_VXLAN_LINK = 3;
    internal const ushort IFLA_VXLAN_LOCAL = 4;
    internal const ushort IFLA_VXLAN_LEARNING = 7;
    internal const ushort IFLA_VXLAN_PORT = 15;
    internal const ushort IFLA_VXLAN_LOCAL6 = 17;

    // struct ifaddrmsg is 8 octets; address attributes.
    internal const int IfAddrMsgLength = 8;
    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const ushort IFA_FLAGS = 8;
    internal const uint IFA_F_NODAD = 0x02;

    // struct ndmsg is 12 octets; neighbour attributes.
    internal const int NdMsgLength = 12;
    internal const ushort NDA_DST = 1;
    internal const ushort NDA_LLADDR = 2;
    internal const ushort NUD_PERMANENT = 0x80;

    // struct nhmsg is 8 octets; nexthop attributes.
    internal const int NhMsgLength = 8;
    internal const ushort NHA_ID = 1;
    internal const ushort NHA_GROUP = 2;
    internal const ushort NHA_BLACKHOLE = 4;
    internal const ushort NHA_OIF = 5;
    internal const ushort NHA_GATEWAY = 6;

    /// <summary>Rounds a length up to the 4-octet netlink alignment (NLMSG_ALIGN / RTA_ALIGN).</summary>
    /// <param name="length">The length.</param>
    internal static int Align(int length) => (length + 3) & ~3;
}
