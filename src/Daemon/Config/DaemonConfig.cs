using System.Collections.Immutable;
using BgpStack.Bgp.Speaker;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Rib;

namespace BgpStack.Daemon.Config;

/// <summary>
/// The daemon's whole configuration, as read from its YAML file by <see cref="DaemonConfigFile"/>:
/// the speaker's options (peers carry their import and export <see cref="RoutePolicy"/>), where the
/// control socket and state live, the routes to originate and the kernel settings. Immutable.
/// Equality is by content (two parses of the same text are equal); the speaker's clock and
/// logger factory, which do not come from the file, are not compared.
/// </summary>
internal sealed record DaemonConfig
{
    /// <summary>Where the control socket goes when the file does not say.</summary>
    public const string DefaultControlSocket = "/run/bgpstack/bgpstackd.sock";

    /// <summary>Where state goes when the file does not say.</summary>
    public const string DefaultStateDirectory = "/var/lib/bgpstack";

    /// <summary>
    /// The configuration bgpstackd runs on without a file: router ID 198.18.0.1 (from the
    /// benchmarking range, RFC 2544, so it never collides with a real network's ID), private AS
    /// 64512, no peers, listening on [::]:179 (dual stack), control socket
    /// <c>/run/bgpstack/bgpstackd.sock</c>, state in <c>/var/lib/bgpstack</c>, no kernel routes.
    /// </summary>
    public static DaemonConfig Default { get; } = new()
    {
        Speaker = new BgpSpeakerOptions { RouterId = new RouterId(0xC6120001), LocalAs = 64512 },
    };

    /// <summary>The speaker's options: router ID, AS, listen addresses, peers, dynamic neighbours, ECMP.</summary>
    public required BgpSpeakerOptions Speaker { get; init; }

    /// <summary>The path of the control socket (Unix stream socket, mode 0600).</summary>
    public string ControlSocket { get; init; } = DefaultControlSocket;

    /// <summary>The directory for persistent state (restart detection, the file datastore).</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>The routes to originate, in file order.</summary>
    public ImmutableArray<StaticRoute> StaticRoutes { get; init; } = [];

    /// <summary>The kernel settings; null when the file has no <c>kernel</c> section (nothing is installed).</summary>
    public KernelConfig? Kernel { get; init; }

    /// <summary>The named policies, in file order (including any no peer uses).</summary>
    public ImmutableArray<RoutePolicy> Policies { get; init; } = [];

    /// <summary>The policy called <paramref name="name"/>, or null.</summary>
    /// <param name="name">The policy name.</param>
    public RoutePolicy? FindPolicy(string name)
    {
        foreach (var policy in Policies)
        {
            if (string.Equals(policy.Name, name, StringComparison.Ordinal))
            {
                return policy;
            }
        }

        return null;
    }

    /// <summary>What changes when going from this configuration to <paramref name="next"/> (a reload).</summary>
    /// <param name="next">The new configuration.</param>
    public ConfigDiff Diff(DaemonConfig next) => ConfigDiff.Compute(this, next);

    /// <summary>True when both hold the same settings.</summary>
    /// <param name="other">The other configuration.</param>
    public bool Equals(DaemonConfig? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        var a = Speaker;
        var b = other.Speaker;
        return a.RouterId == b.RouterId
            && a.LocalAs == b.LocalAs
            && a.ClusterId == b.ClusterId
            && a.Restarting == b.Restarting
            && a.Listen.SequenceEqual(b.Listen)
            && a.Rib.Decision == b.Rib.Decision
            && a.Peers.Length == b.Peers.Length
            && a.Peers.Zip(b.Peers).All(p => PeerSettings.Equal(p.First, p.Second))
            && a.DynamicNeighbors.Length == b.DynamicNeighbors.Length
            && a.DynamicNeighbors.Zip(b.DynamicNeighbors).All(d => DynamicNeighborsEqual(d.First, d.Second))
            && string.Equals(ControlSocket, other.ControlSocket, StringComparison.Ordinal)
            && string.Equals(StateDirectory, other.StateDirectory, StringComparison.Ordinal)
            && StaticRoutes.SequenceEqual(other.StaticRoutes)
            && Equals(Kernel, other.Kernel)
            && Policies.SequenceEqual(other.Policies);
    }

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Speaker.RouterId, Speaker.LocalAs, Speaker.Peers.Length, StaticRoutes.Length, ControlSocket, StateDirectory);

    /// <summary>True when two dynamic neighbour ranges are configured the same.</summary>
    /// <param name="a">One range.</param>
    /// <param name="b">The other.</param>
    internal static bool DynamicNeighborsEqual(DynamicNeighborRange a, DynamicNeighborRange b) =>
        a.Prefix == b.Prefix && a.MinAs == b.MinAs && a.MaxAs == b.MaxAs && PeerSettings.Equal(a.Template, b.Template);
}
