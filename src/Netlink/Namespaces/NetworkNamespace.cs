using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using BgpStack.Netlink.Interop;
using Microsoft.Win32.SafeHandles;

namespace BgpStack.Netlink.Namespaces;

/// <summary>
/// Runs code inside a named network namespace (<c>/run/netns/NAME</c>, as <c>ip netns</c> makes them)
/// on a dedicated thread that enters it with setns, so the rest of the process stays where it is.
/// A socket created there keeps that namespace for its whole life, which is how one process manages
/// several namespaces.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Where iproute2 keeps named namespaces.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>Runs <paramref name="action"/> inside the namespace, or on the calling thread when <paramref name="name"/> is null.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="name">The namespace name, or null for the current namespace.</param>
    /// <param name="action">The code to run.</param>
    public static T Run<T>(string? name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (name is null)
        {
            return action();
        }

        var result = default(T);
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = OpenHandle(name);
                using var original = OpenPath("/proc/thread-self/ns/net");
                Enter(target, name);
                try
                {
                    result = action();
                }
                finally
                {
                    // The thread ends right after, so a failed return cannot leak the namespace elsewhere.
                    _ = Libc.SetNs(original, Libc.CLONE_NEWNET);
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    /// <summary>Opens the namespace's descriptor (for IFLA_NET_NS_FD and setns).</summary>
    /// <param name="name">The namespace name.</param>
    /// <exception cref="ArgumentException">The name is not a plain file name.</exception>
    /// <exception cref="NetlinkException">The namespace does not exist.</exception>
    public static SafeFileHandle OpenHandle(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a namespace name.", nameof(name));
        }

        return OpenPath(Path.Combine(RunDirectory, name));
    }

    private static SafeFileHandle OpenPath(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw new NetlinkException(new NetlinkError(Marshal.GetLastPInvokeError(), null, null, $"open({path})"));
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static void Enter(SafeFileHandle target, string name)
    {
        if (Libc.SetNs(target, Libc.CLONE_NEWNET) != 0)
        {
            throw new NetlinkException(new NetlinkError(Marshal.GetLastPInvokeError(), null, null, $"setns({name})"));
        }
    }
}
