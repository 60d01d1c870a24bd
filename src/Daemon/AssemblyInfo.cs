using System.Runtime.Versioning;

// bgpstackd runs on Linux: Unix control socket modes, POSIX signals, and rtnetlink for the FIB.
[assembly: SupportedOSPlatform("linux")]
