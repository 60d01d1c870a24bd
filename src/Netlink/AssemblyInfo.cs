using System.Runtime.Versioning;

// rtnetlink, network namespaces and /proc/sys exist only on Linux.
[assembly: SupportedOSPlatform("linux")]
