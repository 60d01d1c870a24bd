using System.Runtime.InteropServices;

namespace BgpStack.Daemon.Hosting;

/// <summary>
/// Takes back SIGHUP for the daemon. A process started under <c>nohup</c> (or by a supervisor that
/// ignores SIGHUP) inherits it ignored, and the .NET runtime keeps an ignored signal ignored: a
/// <see cref="PosixSignalRegistration"/> would then never hear it and reload-on-SIGHUP would
/// silently do nothing. Like BIRD, the daemon owns its signals: an ignored SIGHUP goes back to the
/// default disposition just before the runtime's handler is installed.
/// </summary>
internal static partial class SignalDisposition
{
    private const int SigHup = 1;
    private const nint SigDefault = 0;
    private const nint SigIgnore = 1;

    /// <summary>Resets SIGHUP to its default disposition if it is ignored; true when it was.</summary>
    /// <remarks>
    /// Call right before registering a handler: until then a SIGHUP ends the process. Any other
    /// disposition (the runtime's own handler, when a registration already exists) is left alone.
    /// </remarks>
    public static bool ResetHangup()
    {
        if (!OperatingSystem.IsLinux() || SigAction(SigHup, 0, out var current) != 0 || current.Handler != SigIgnore)
        {
            return false;
        }

        Signal(SigHup, SigDefault);
        return true;
    }

    // sigaction(2) with no new action: reads the current one.
    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, nint action, out SigActionBuffer previous);

    // signal(2): SIGHUP and SIG_DFL are valid, so it cannot fail.
    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    // struct sigaction starts with the handler on Linux (glibc and musl); 256 octets hold the rest.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct SigActionBuffer
    {
        public nint Handler;
    }
}
