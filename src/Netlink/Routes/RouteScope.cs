namespace BgpStack.Netlink.Routes;

/// <summary>rtm_scope values (RT_SCOPE_*).</summary>
public enum RouteScope : byte
{
    /// <summary>RT_SCOPE_UNIVERSE: reached through a gateway.</summary>
    Universe = 0,

    /// <summary>RT_SCOPE_SITE.</summary>
    Site = 200,

    /// <summary>RT_SCOPE_LINK: directly on the link (device routes).</summary>
    Link = 253,

    /// <summary>RT_SCOPE_HOST: a local address.</summary>
    Host = 254,

    /// <summary>RT_SCOPE_NOWHERE.</summary>
    Nowhere = 255,
}
