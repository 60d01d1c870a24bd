using System.Globalization;
using BgpStack.Netlink.Namespaces;

namespace BgpStack.Netlink.Sysctl;

/// <summary>
/// Reads and writes networking sysctls (<c>/proc/sys/net/...</c>) as seen from a network namespace:
/// /proc/sys/net shows the values of the namespace of the thread that looks, so the access runs on a
/// thread inside it.
/// </summary>
public static class NamespaceSysctl
{
    /// <summary>Reads a sysctl under /proc/sys/net.</summary>
    /// <param name="namespaceName">The namespace, or null for the current one.</param>
    /// <param name="key">The key below net, dotted or slashed (<c>ipv4.ip_forward</c>, <c>ipv4/conf/eth0/proxy_arp</c>).</param>
    public static string Read(string? namespaceName, string key)
    {
        var path = PathOf(key);
        return NetworkNamespace.Run(namespaceName, () => File.ReadAllText(path).Trim());
    }

    /// <summary>Writes a sysctl under /proc/sys/net.</summary>
    /// <param name="namespaceName">The namespace, or null for the current one.</param>
    /// <param name="key">The key below net.</param>
    /// <param name="value">The value.</param>
    public static void Write(string? namespaceName, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(key);
        _ = NetworkNamespace.Run(namespaceName, () =>
        {
            File.WriteAllText(path, value);
            return 0;
        });
    }

    /// <summary>Turns IPv4 or IPv6 forwarding on or off (for <c>all</c> or one interface).</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="ipv6">IPv6 rather than IPv4.</param>
    /// <param name="interfaceName">The interface, or <c>all</c>.</param>
    /// <param name="enabled">On or off.</param>
    public static void SetForwarding(string? namespaceName, bool ipv6, string interfaceName, bool enabled) =>
        Write(namespaceName, $"{(ipv6 ? "ipv6" : "ipv4")}/conf/{Checked(interfaceName)}/forwarding", Flag(enabled));

    /// <summary>Turns proxy ARP on or off for an interface (a pod's host-side veth answers for its gateway).</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="enabled">On or off.</param>
    public static void SetProxyArp(string? namespaceName, string interfaceName, bool enabled) =>
        Write(namespaceName, $"ipv4/conf/{Checked(interfaceName)}/proxy_arp", Flag(enabled));

    /// <summary>Turns route_localnet on or off for an interface.</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="enabled">On or off.</param>
    public static void SetRouteLocalnet(string? namespaceName, string interfaceName, bool enabled) =>
        Write(namespaceName, $"ipv4/conf/{Checked(interfaceName)}/route_localnet", Flag(enabled));

    /// <summary>Turns proxy NDP on or off for an interface.</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="enabled">On or off.</param>
    public static void SetProxyNdp(string? namespaceName, string interfaceName, bool enabled) =>
        Write(namespaceName, $"ipv6/conf/{Checked(interfaceName)}/proxy_ndp", Flag(enabled));

    private static string Flag(bool enabled) => enabled ? "1" : "0";

    private static string Checked(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (interfaceName.Contains('/', StringComparison.Ordinal) || interfaceName is "." or "..")
        {
            throw new ArgumentException($"'{interfaceName}' is not an interface name.", nameof(interfaceName));
        }

        return interfaceName;
    }

    private static string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var relative = key.Contains('/', StringComparison.Ordinal) ? key : key.Replace('.', '/');
        if (relative.StartsWith('/') || relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{key}' is not a key below net."), nameof(key));
        }

        return "/proc/sys/net/" + relative;
    }
}
