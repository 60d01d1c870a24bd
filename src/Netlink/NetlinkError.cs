using System.Runtime.InteropServices;

namespace BgpStack.Netlink;

/// <summary>
/// The kernel's refusal of one netlink request: the errno, the extended-ack text the kernel gave
/// (NLMSGERR_ATTR_MSG) and the offset of the offending attribute in the request (NLMSGERR_ATTR_OFFS).
/// </summary>
/// <param name="Errno">The positive errno value.</param>
/// <param name="KernelMessage">The kernel's extended-ack message, when it sent one.</param>
/// <param name="AttributeOffset">The offset of the offending attribute within the request message, when given.</param>
/// <param name="Request">What the request was, for people reading the error.</param>
public sealed record NetlinkError(int Errno, string? KernelMessage, int? AttributeOffset, string Request)
{
    /// <summary>The C library's text for <see cref="Errno"/>.</summary>
    public string ErrnoText => Marshal.GetPInvokeErrorMessage(Errno);

    /// <summary>One line: the request, errno, its text and the kernel's message.</summary>
    public override string ToString() =>
        KernelMessage is { Length: > 0 }
            ? $"{Request}: errno {Errno} ({ErrnoText}): {KernelMessage}"
            : $"{Request}: errno {Errno} ({ErrnoText})";
}
