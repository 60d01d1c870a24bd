using System.Net;
using BgpStack.Rib.Decision;
using static BgpStack.Rib.Tests.Decision.Paths;

namespace BgpStack.Rib.Tests.Decision;

public class AllocationTests
{
    [Fact]
    public void Decide_does_not_allocate_once_its_buffers_have_grown()
    {
        var resolver = new TableResolver(new() { ["192.0.2.1"] = 10, ["192.0.2.2"] = 10 });
        var process = new DecisionProcess(new DecisionOptions { MaximumPaths = 4, MultipathRelax = true }, resolver);
        PathCandidate[] paths =
        [
            Candidate(Ebgp(1, 65001, "198.18.0.1", "10.0.0.1"), Attributes(65001, 65100) with { MultiExitDisc = 10 }),
            Candidate(Ebgp(2, 65001, "198.18.0.2", "10.0.0.2"), Attributes(65001, 65100) with { MultiExitDisc = 5 }),
            Candidate(Ebgp(3, 65002, "2001:db8::3", "10.0.0.3"), Attributes(65002, 65100) with { NextHop = IPAddress.Parse("192.0.2.2") }),
            Candidate(Ibgp(4, "198.18.0.4", "10.0.0.4"), Attributes(65003, 65100, 65200) with { LocalPref = 100, OriginatorId = new RouterId(9), ClusterList = [new RouterId(1)] }),
        ];
        Span<int> multipath = stackalloc int[4];
        var summary = process.Decide(paths, multipath);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            summary = process.Decide(paths, multipath);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1, summary.BestIndex);
        Assert.Equal([1, 2], multipath[..summary.MultipathCount].ToArray());
    }
}
