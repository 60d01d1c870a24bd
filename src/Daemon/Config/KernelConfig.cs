namespace BgpStack.Daemon.Config;

/// <summary>Which selected routes the daemon writes into the kernel table.</summary>
[Flags]
internal enum KernelRouteKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Routes learned over BGP.</summary>
    Bgp = 1,

    /// <summary>Routes from the configuration's <c>static-routes</c>.</summary>
    Static = 2,
}

/// <summary>The daemon's kernel (FIB) settings: where and how selected routes are installed.</summary>
internal sealed record KernelConfig
{
    /// <summary>Whether routes are written to the kernel at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The kernel routing table (254 is <c>main</c>).</summary>
    public uint Table { get; init; } = 254;

    /// <summary>The route metric (priority) of installed routes.</summary>
    public uint Metric { get; init; } = 20;

    /// <summary>The most next hops of one installed multipath route.</summary>
    public int MaxPaths { get; init; } = 1;

    /// <summary>Which routes are installed.</summary>
    public KernelRouteKinds Install { get; init; } = KernelRouteKinds.Bgp | KernelRouteKinds.Static;

    /// <summary>Whether our routes are removed from the kernel when the daemon stops (otherwise they stay for a graceful restart).</summary>
    public bool FlushOnShutdown { get; init; }
}
