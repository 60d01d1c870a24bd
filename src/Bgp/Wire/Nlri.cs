namespace BgpStack.Bgp.Wire;

/// <summary>One NLRI entry: a prefix and, when ADD-PATH (RFC 7911) is in use for its family, its path identifier.</summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="PathId">The path identifier; 0 when ADD-PATH is not in use.</param>
public readonly record struct Nlri(IpPrefix Prefix, uint PathId = 0)
{
    /// <summary>Text such as <c>10.0.0.0/24</c>, with <c> path-id N</c> when the identifier is not 0.</summary>
    public override string ToString() => PathId == 0 ? Prefix.ToString() : $"{Prefix} path-id {PathId}";
}

/// <summary>BGP views of <see cref="IpPrefix"/>.</summary>
public static class IpPrefixExtensions
{
    extension(IpPrefix prefix)
    {
        /// <summary>The MP-BGP address family of the prefix.</summary>
        public Afi Afi => prefix.IsIPv6 ? Afi.Ipv6 : Afi.Ipv4;
    }
}
