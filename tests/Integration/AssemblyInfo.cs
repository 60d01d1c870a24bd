using System.Runtime.Versioning;

// Network namespaces, veth links and the peers' daemons exist only on Linux.
[assembly: SupportedOSPlatform("linux")]

// Each test starts several routing daemons; on a 2-core machine running them in parallel makes
// timing-dependent waits flaky, so the tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
