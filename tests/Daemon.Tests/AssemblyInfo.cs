using System.Runtime.Versioning;

// The daemon under test is Linux-only.
[assembly: SupportedOSPlatform("linux")]
