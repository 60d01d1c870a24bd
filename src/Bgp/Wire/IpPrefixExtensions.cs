namespace BgpStack.Bgp.Wire;

// One NLRI entry is the RIB's RouteKey (a prefix and its ADD-PATH path identifier): the projects
// that speak BGP name it Nlri with a global using alias in their project files.

/// <summary>BGP views of <see cref="IpPrefix"/>.</summary>
public static class IpPrefixExtensions
{
    extension(IpPrefix prefix)
    {
        /// <summary>The MP-BGP address family of the prefix.</summary>
        public Afi Afi => prefix.IsIPv6 ? Afi.Ipv6 : Afi.Ipv4;
    }
}
