using System.Buffers;

namespace BgpStack.Bgp.Tests.Transport;

/// <summary>A memory pool that counts blocks rented and not yet returned.</summary>
internal sealed class CountingPool : MemoryPool<byte>
{
    private int _outstanding;

    public int Outstanding => Volatile.Read(ref _outstanding);

    public override int MaxBufferSize => int.MaxValue;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        Interlocked.Increment(ref _outstanding);
        return new Owner(this, new byte[Math.Max(minBufferSize, 4096)]);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Owner(CountingPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _disposed;

        public Memory<byte> Memory => array;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref pool._outstanding);
            }
        }
    }
}
