using System.Runtime.CompilerServices;

namespace BgpStack.Rib;

/// <summary>
/// A growable array of structs kept in fixed-size segments (4,096 elements), so that a large
/// table grows without copying what is there and without needing twice its memory for a moment,
/// and leaves little unused space in its last segment.
/// The first segment starts small and doubles up to the segment size, so a small table stays
/// small; while it does, growing moves its elements, so references to elements are valid only
/// until the next <see cref="EnsureIndex"/>. Not thread-safe.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SegmentedArray<T>
    where T : struct
{
    private const int SegmentShift = 12;
    private const int SegmentSize = 1 << SegmentShift;
    private const int SegmentMask = SegmentSize - 1;
    private const int FirstSize = 16;

    private T[][] segments = [new T[FirstSize]];
    private int segmentCount = 1;

    /// <summary>The number of elements that fit without growing.</summary>
    public int Capacity { get; private set; } = FirstSize;

    /// <summary>The managed bytes held by the segments.</summary>
    public long AllocatedBytes => ((long)Capacity * Unsafe.SizeOf<T>()) + ((long)segments.Length * IntPtr.Size);

    /// <summary>A reference to an element, valid until the array next grows.</summary>
    /// <param name="index">Less than <see cref="Capacity"/>.</param>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref segments[index >> SegmentShift][index & SegmentMask];
    }

    // A full segment lives as long as the table. Without references it goes to the pinned object
    // heap, which the GC never compacts: a young segment on the ordinary heap is copied to each
    // older generation in turn while a large table loads, and each copy holds memory for a while.
    private static T[] NewSegment() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T[SegmentSize] : GC.AllocateArray<T>(SegmentSize, pinned: true);

    /// <summary>Grows until index <paramref name="index"/> fits.</summary>
    /// <param name="index">The index that must fit.</param>
    public void EnsureIndex(int index)
    {
        while (index >= Capacity)
        {
            if (Capacity < SegmentSize)
            {
                // Still one segment: double it.
                Array.Resize(ref segments[0], Capacity * 2);
                Capacity *= 2;
            }
            else
            {
                if (segmentCount == segments.Length)
                {
                    // The segment list (one reference per segment) doubles, so adding a segment is amortised O(1).
                    Array.Resize(ref segments, segments.Length * 2);
                }

                segments[segmentCount++] = NewSegment();
                Capacity += SegmentSize;
            }
        }
    }
}
