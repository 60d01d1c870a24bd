namespace BgpStack.Rib.Tests.Tables;

/// <summary>The segmented array under the route table and the tries.</summary>
public class SegmentedArrayTests
{
    private const int SegmentSize = 4096;

    [Fact]
    public void Elements_survive_growth_through_the_first_segment_and_across_segments()
    {
        var array = new SegmentedArray<long>();
        var count = (3 * SegmentSize) + 17;
        for (var i = 0; i < count; i++)
        {
            array.EnsureIndex(i);
            array[i] = (i * 7919L) + 1;
        }

        for (var i = 0; i < count; i++)
        {
            Assert.Equal((i * 7919L) + 1, array[i]);
        }

        Assert.Equal(4 * SegmentSize, array.Capacity);
    }

    [Fact]
    public void Spare_capacity_stays_under_one_segment()
    {
        var array = new SegmentedArray<int>();
        foreach (var size in new[] { 1, 17, SegmentSize - 1, SegmentSize, SegmentSize + 1, 10 * SegmentSize, (100 * SegmentSize) + 5 })
        {
            array.EnsureIndex(size - 1);
            Assert.InRange(array.Capacity - size, 0, SegmentSize - 1);
            Assert.InRange(array.AllocatedBytes, (long)size * sizeof(int), ((long)size * sizeof(int)) + (SegmentSize * sizeof(int)) + (256 * IntPtr.Size));
        }
    }
}
