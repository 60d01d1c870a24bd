using System.Runtime.InteropServices;

namespace BgpStack.Netlink.Interop;

/// <summary>Owns one netlink socket descriptor and closes it exactly once.</summary>
internal sealed class SafeNetlinkHandle : SafeHandle
{
    /// <summary>Creates an empty handle (used by the marshaller).</summary>
    public SafeNetlinkHandle()
        : base(-1, ownsHandle: true)
    {
    }

    /// <summary>Wraps a descriptor this handle now owns.</summary>
    /// <param name="fd">The descriptor.</param>
    internal SafeNetlinkHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number, for poll.</summary>
    internal int Fd => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close((int)handle.ToInt64()) == 0;
}
