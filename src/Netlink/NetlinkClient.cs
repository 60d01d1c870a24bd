using BgpStack.Netlink.Namespaces;
using BgpStack.Netlink.Protocol;

namespace BgpStack.Netlink;

/// <summary>
/// An rtnetlink client bound to one network namespace: routes, nexthop objects, links, addresses
/// and neighbours. Every change asks for an ACK; dumps are read to NLMSG_DONE. Request/ACK calls
/// are synchronous (the kernel answers at once) and a client is used by one caller at a time.
/// </summary>
public sealed partial class NetlinkClient : IDisposable
{
    private const int DefaultReceiveBuffer = 4 << 20;

    private readonly NetlinkSocket socket;
    private readonly NetlinkMessageWriter writer = new(16 * 1024);
    private bool disposed;

    private NetlinkClient(NetlinkSocket socket, string? namespaceName)
    {
        this.socket = socket;
        NamespaceName = namespaceName;
    }

    /// <summary>The namespace the socket lives in, or null for the process's own.</summary>
    public string? NamespaceName { get; }

    /// <summary>The port id the kernel gave the socket.</summary>
    public uint PortId => socket.PortId;

    /// <summary>Opens a client in the process's current network namespace.</summary>
    public static NetlinkClient Open() => new(NetlinkSocket.Open(DefaultReceiveBuffer, []), null);

    /// <summary>Opens a client whose socket lives in the named namespace (<c>/run/netns/NAME</c>).</summary>
    /// <param name="namespaceName">The namespace name.</param>
    public static NetlinkClient OpenInNamespace(string namespaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        var socket = NetworkNamespace.Run(namespaceName, () => NetlinkSocket.Open(DefaultReceiveBuffer, []));
        return new NetlinkClient(socket, namespaceName);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            socket.Dispose();
            writer.Dispose();
        }
    }

    // Starts a fresh single-request buffer.
    private NetlinkMessageWriter Begin()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        writer.Reset();
        return writer;
    }

    // Sends what Begin() collected, all with NLM_F_ACK, and throws the first refusal.
    private void Commit(string what) => socket.AcknowledgeOrThrow(writer, _ => what);
}
