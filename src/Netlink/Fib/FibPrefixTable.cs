using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

/// <summary>What the FIB writer knows about one prefix: the shapes (see <see cref="FibShapes"/>) it wants and holds.</summary>
/// <param name="Desired">The shape the RIB wants in the kernel, or 0 for none.</param>
/// <param name="Installed">The shape the kernel holds (as far as the writer knows), or 0 for none.</param>
/// <param name="Flags">Bookkeeping bits (<see cref="FibPrefixTable.Held"/>, <see cref="FibPrefixTable.Seen"/>).</param>
internal readonly record struct FibEntry(int Desired, int Installed, byte Flags);

/// <summary>
/// The FIB writer's per-prefix state in two open-addressing tables of plain structs (16 octets a slot
/// for IPv4, 32 for IPv6; linear probing, deletion by backward shift, no tombstones), so a million
/// routes cost the garbage collector two arrays rather than a million objects. A prefix is present
/// while it wants or holds a route.
/// </summary>
internal sealed class FibPrefixTable
{
    /// <summary>A withdrawal waits so that a whole nexthop object can go at once.</summary>
    public const byte Held = 1;

    /// <summary>Found in the kernel during the resync under way.</summary>
    public const byte Seen = 2;

    private readonly SlotTable<Slot4> ipv4 = new();
    private readonly SlotTable<Slot6> ipv6 = new();

    /// <summary>How many prefixes want or hold a route.</summary>
    public int Count => ipv4.Count + ipv6.Count;

    /// <summary>The octets the two slot arrays take.</summary>
    public long AllocatedBytes => ipv4.AllocatedBytes + ipv6.AllocatedBytes;

    /// <summary>The prefix's entry, or the empty entry when it has none.</summary>
    /// <param name="prefix">The prefix.</param>
    public FibEntry Get(in IpPrefix prefix) => prefix.IsIPv6 ? ipv6.Get(prefix) : ipv4.Get(prefix);

    /// <summary>The prefix's entry (or the empty one) and its slot (-1 when absent) for <see cref="SetAt"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="slot">The slot, valid until the table next changes.</param>
    public FibEntry Get(in IpPrefix prefix, out int slot) => prefix.IsIPv6 ? ipv6.Get(prefix, out slot) : ipv4.Get(prefix, out slot);

    /// <summary>As <see cref="Set"/>, with the slot a <see cref="Get(in IpPrefix, out int)"/> of the same prefix just gave (one lookup fewer).</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="slot">The slot, or -1.</param>
    /// <param name="entry">The entry.</param>
    public void SetAt(in IpPrefix prefix, int slot, FibEntry entry)
    {
        if (prefix.IsIPv6)
        {
            ipv6.SetAt(prefix, slot, entry);
        }
        else
        {
            ipv4.SetAt(prefix, slot, entry);
        }
    }

    /// <summary>
    /// Clears the installed shape <paramref name="shape"/> (and the held flag) in every entry in one
    /// pass over the slots, dropping entries left empty and shrinking the table to fit.
    /// </summary>
    /// <param name="shape">The installed shape.</param>
    /// <returns>How many entries held it.</returns>
    public int ClearInstalled(int shape) => ipv4.ClearInstalled(shape) + ipv6.ClearInstalled(shape);

    /// <summary>Sets the prefix's entry; an entry that neither wants nor holds a route is removed.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="entry">The entry.</param>
    public void Set(in IpPrefix prefix, FibEntry entry)
    {
        if (prefix.IsIPv6)
        {
            ipv6.Set(prefix, entry);
        }
        else
        {
            ipv4.Set(prefix, entry);
        }
    }

    /// <summary>Calls <paramref name="visit"/> for every entry (the table must not change meanwhile).</summary>
    /// <param name="visit">Called with each prefix and entry.</param>
    public void ForEach(Action<IpPrefix, FibEntry> visit)
    {
        ipv4.ForEach(visit);
        ipv6.ForEach(visit);
    }

    /// <summary>Clears <paramref name="flags"/> in every entry.</summary>
    /// <param name="flags">The bits.</param>
    public void ClearFlags(byte flags)
    {
        ipv4.ClearFlags(flags);
        ipv6.ClearFlags(flags);
    }

    /// <summary>One slot of a table: a prefix of one family and its entry.</summary>
    /// <typeparam name="TSelf">The slot type.</typeparam>
    private interface ISlot<TSelf>
        where TSelf : struct, ISlot<TSelf>
    {
        bool Used { get; }

        IpPrefix Prefix { get; }

        FibEntry Entry { get; set; }

        static abstract ulong Hash(in IpPrefix prefix);

        static abstract TSelf Create(in IpPrefix prefix, FibEntry entry);

        bool Holds(in IpPrefix prefix);
    }

    private struct Slot4 : ISlot<Slot4>
    {
        private uint address;
        private byte length;
        private byte flags;
        private bool used;
        private int desired;
        private int installed;

        public readonly bool Used => used;

        public readonly IpPrefix Prefix => IpPrefix.FromIPv4(address, length);

        public FibEntry Entry
        {
            readonly get => new(desired, installed, flags);
            set => (desired, installed, flags) = value;
        }

        public static ulong Hash(in IpPrefix prefix) => ((ulong)prefix.Ipv4Bits << 8) | (uint)prefix.Length;

        public static Slot4 Create(in IpPrefix prefix, FibEntry entry) =>
            new() { address = prefix.Ipv4Bits, length = (byte)prefix.Length, used = true, Entry = entry };

        public readonly bool Holds(in IpPrefix prefix) => address == prefix.Ipv4Bits && length == prefix.Length;
    }

    private struct Slot6 : ISlot<Slot6>
    {
        private ulong high;
        private ulong low;
        private byte length;
        private byte flags;
        private bool used;
        private int desired;
        private int installed;

        public readonly bool Used => used;

        public readonly IpPrefix Prefix => IpPrefix.FromIPv6(new UInt128(high, low), length);

        public FibEntry Entry
        {
            readonly get => new(desired, installed, flags);
            set => (desired, installed, flags) = value;
        }

        public static ulong Hash(in IpPrefix prefix)
        {
            var bits = prefix.Ipv6Bits;
            return ((ulong)(bits >> 64) * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)bits ^ (uint)prefix.Length;
        }

        public static Slot6 Create(in IpPrefix prefix, FibEntry entry)
        {
            var bits = prefix.Ipv6Bits;
            return new() { high = (ulong)(bits >> 64), low = (ulong)bits, length = (byte)prefix.Length, used = true, Entry = entry };
        }

        public readonly bool Holds(in IpPrefix prefix)
        {
            var bits = prefix.Ipv6Bits;
            return low == (ulong)bits && high == (ulong)(bits >> 64) && length == prefix.Length;
        }
    }

    private sealed class SlotTable<TSlot>
        where TSlot : struct, ISlot<TSlot>
    {
        private const int InitialCapacity = 16;
        private TSlot[] slots = new TSlot[InitialCapacity];
        private int shift = 64 - 4;

        public int Count { get; private set; }

        public long AllocatedBytes => (long)slots.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<TSlot>();

        public FibEntry Get(in IpPrefix prefix)
        {
            var i = Find(prefix);
            return i < 0 ? default : slots[i].Entry;
        }

        public FibEntry Get(in IpPrefix prefix, out int slot)
        {
            slot = Find(prefix);
            return slot < 0 ? default : slots[slot].Entry;
        }

        public void SetAt(in IpPrefix prefix, int slot, FibEntry entry)
        {
            if (slot < 0)
            {
                Set(prefix, entry);
            }
            else if (entry.Desired == 0 && entry.Installed == 0)
            {
                Remove(slot);
            }
            else
            {
                slots[slot].Entry = entry;
            }
        }

        public int ClearInstalled(int shape)
        {
            var cleared = 0;
            var emptied = 0;
            for (var i = 0; i < slots.Length; i++)
            {
                if (!slots[i].Used)
                {
                    continue;
                }

                var entry = slots[i].Entry;
                if (entry.Installed != shape)
                {
                    continue;
                }

                cleared++;
                if (entry.Desired == 0)
                {
                    slots[i] = default;
                    emptied++;
                }
                else
                {
                    slots[i].Entry = entry with { Installed = 0, Flags = (byte)(entry.Flags & ~Held) };
                }
            }

            if (emptied > 0)
            {
                // Holes break probe runs: the survivors go into a fresh array sized for them.
                Count -= emptied;
                Rebuild();
            }

            return cleared;
        }

        public void Set(in IpPrefix prefix, FibEntry entry)
        {
            var i = Find(prefix);
            var empty = entry.Desired == 0 && entry.Installed == 0;
            if (i >= 0)
            {
                if (empty)
                {
                    Remove(i);
                }
                else
                {
                    slots[i].Entry = entry;
                }

                return;
            }

            if (empty)
            {
                return;
            }

            // Grow at three quarters full: linear probing stays short.
            if ((Count + 1) * 4L > slots.Length * 3L)
            {
                Grow();
            }

            Insert(TSlot.Create(prefix, entry));
            Count++;
        }

        public void ForEach(Action<IpPrefix, FibEntry> visit)
        {
            foreach (var slot in slots)
            {
                if (slot.Used)
                {
                    visit(slot.Prefix, slot.Entry);
                }
            }
        }

        public void ClearFlags(byte flags)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i].Used && (slots[i].Entry.Flags & flags) != 0)
                {
                    var entry = slots[i].Entry;
                    slots[i].Entry = entry with { Flags = (byte)(entry.Flags & ~flags) };
                }
            }
        }

        // Fibonacci hashing: the high bits of the product spread sequential prefixes evenly.
        private int Home(in IpPrefix prefix) => (int)((TSlot.Hash(prefix) * 0x9E3779B97F4A7C15UL) >> shift);

        private int Find(in IpPrefix prefix)
        {
            var mask = slots.Length - 1;
            for (var i = Home(prefix); ; i = (i + 1) & mask)
            {
                if (!slots[i].Used)
                {
                    return -1;
                }

                if (slots[i].Holds(prefix))
                {
                    return i;
                }
            }
        }

        private void Insert(TSlot slot)
        {
            var mask = slots.Length - 1;
            var i = Home(slot.Prefix);
            while (slots[i].Used)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        // Backward-shift deletion: later slots of the probe run move up so lookups never stop early.
        private void Remove(int hole)
        {
            var mask = slots.Length - 1;
            var j = hole;
            while (true)
            {
                j = (j + 1) & mask;
                if (!slots[j].Used)
                {
                    break;
                }

                var home = Home(slots[j].Prefix);
                var movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
                if (movable)
                {
                    slots[hole] = slots[j];
                    hole = j;
                }
            }

            slots[hole] = default;
            Count--;
        }

        private void Grow()
        {
            var old = slots;
            slots = new TSlot[old.Length * 2];
            shift--;
            foreach (var slot in old)
            {
                if (slot.Used)
                {
                    Insert(slot);
                }
            }
        }

        // Rehashes every used slot into the smallest array that keeps them under three quarters full.
        private void Rebuild()
        {
            var length = InitialCapacity;
            var newShift = 64 - 4;
            while (Count * 4L > length * 3L)
            {
                length *= 2;
                newShift--;
            }

            var old = slots;
            slots = new TSlot[length];
            shift = newShift;
            foreach (var slot in old)
            {
                if (slot.Used)
                {
                    Insert(slot);
                }
            }
        }
    }
}
