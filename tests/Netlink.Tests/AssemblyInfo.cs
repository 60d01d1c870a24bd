using System.Runtime.Versioning;

// The kernel tests drive rtnetlink and network namespaces, which exist only on Linux.
[assembly: SupportedOSPlatform("linux")]
