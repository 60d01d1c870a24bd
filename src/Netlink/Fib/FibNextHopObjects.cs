using BgpStack.Netlink.Nexthops;
using BgpStack.Netlink.Routes;

namespace BgpStack.Netlink.Fib;

/// <summary>
/// The nexthop objects (RTM_NEWNEXTHOP) the FIB writer owns: one per single next hop its routes use,
/// so a million routes through one gateway point at one object, and deleting the object removes
/// them all in one kernel operation. Ids come from a range of the table's own
/// (<c>0x10000000 + (table mod 4096) × 65536</c> onwards) and carry our protocol number, so writers
/// of other tables in the namespace, and other daemons, keep theirs.
/// </summary>
internal sealed class FibNextHopObjects
{
    private const uint RangeLength = 1 << 16;

    // EEXIST: the id is taken by someone else's object.
    private const int Exists = 17;

    private readonly FibWriterOptions options;
    private readonly uint first;
    private readonly Dictionary<NextHop, uint> byHop = [];
    private readonly Dictionary<uint, NextHopObject> byId = [];
    private readonly HashSet<NextHop> refused = [];
    private uint next;

    /// <summary>Creates the registry of a writer.</summary>
    /// <param name="options">The writer's options.</param>
    public FibNextHopObjects(FibWriterOptions options)
    {
        this.options = options;
        first = 0x10000000u + ((options.Table & 0xFFF) * RangeLength);
        next = first;
    }

    /// <summary>How many objects the writer owns.</summary>
    public int Count => byId.Count;

    /// <summary>The ids of the objects the writer owns.</summary>
    public IReadOnlyCollection<uint> Ids => byId.Keys;

    /// <summary>True when <paramref name="id"/> is one of the writer's objects.</summary>
    /// <param name="id">The id.</param>
    public bool Owns(uint id) => byId.ContainsKey(id);

    /// <summary>The next hop (as the writer maps it) of our object <paramref name="id"/>, or null when it is not ours.</summary>
    /// <param name="id">The id.</param>
    public NextHop? HopOf(uint id)
    {
        foreach (var (hop, held) in byHop)
        {
            if (held == id)
            {
                return hop;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="id"/> lies in the range of ids this writer hands out.</summary>
    /// <param name="id">The id.</param>
    public bool InRange(uint id) => id - first < RangeLength;

    /// <summary>
    /// The object for next hop <paramref name="hop"/>, created when there is none yet; null when
    /// the kernel refuses it (say, the gateway is unreachable), so the route goes out with its next
    /// hop inline and any refusal is reported for that route. A refusal is not asked again until
    /// <see cref="ForgetRefusals"/>.
    /// </summary>
    /// <param name="client">The writer's netlink client.</param>
    /// <param name="hop">The next hop (a gateway).</param>
    /// <param name="failure">The kernel's answer when it refused.</param>
    public uint? GetOrCreate(NetlinkClient client, NextHop hop, out NetlinkException? failure)
    {
        failure = null;
        if (byHop.TryGetValue(hop, out var known))
        {
            return known;
        }

        if (refused.Contains(hop) || hop.Gateway is not { } gateway)
        {
            return null;
        }

        try
        {
            // A gateway object needs its device: the tunnel for onlink hops, else where the kernel routes the gateway.
            var device = hop.InterfaceIndex != 0 ? hop.InterfaceIndex : client.GetOutputInterface(gateway);
            if (device is not { } index)
            {
                _ = refused.Add(hop);
                return null;
            }

            for (var attempt = 0; attempt < 64; attempt++)
            {
                var id = Allocate();
                var made = new NextHopObject { Id = id, Gateway = gateway, InterfaceIndex = index, OnLink = hop.OnLink, Protocol = options.Protocol };
                try
                {
                    client.AddNextHop(made);
                }
                catch (NetlinkException e) when (e.Errno == Exists)
                {
                    continue;
                }

                byHop[hop] = id;
                byId[id] = made;
                return id;
            }

            failure = new NetlinkException($"No free nexthop object id in {first}..{first + RangeLength - 1}.");
        }
        catch (NetlinkException e)
        {
            failure = e;
        }

        _ = refused.Add(hop);
        return null;
    }

    /// <summary>Takes over objects of ours left in the kernel (from before a restart).</summary>
    /// <param name="kernel">The kernel's nexthop objects.</param>
    /// <param name="tunnelIndex">The tunnel device's index, or 0.</param>
    public void Adopt(IEnumerable<NextHopObject> kernel, int tunnelIndex)
    {
        foreach (var held in kernel)
        {
            if (held.Protocol != options.Protocol || !InRange(held.Id) || held.Gateway is null || held.Blackhole || !held.Group.IsEmpty)
            {
                continue;
            }

            var hop = new NextHop { Gateway = held.Gateway, InterfaceIndex = held.OnLink ? tunnelIndex : 0, OnLink = held.OnLink };
            if (byHop.TryAdd(hop, held.Id))
            {
                byId[held.Id] = held;
            }
        }
    }

    /// <summary>Creates again, with the same ids, any of our objects that are gone from <paramref name="kernel"/>.</summary>
    /// <param name="client">The writer's netlink client.</param>
    /// <param name="kernel">The kernel's nexthop objects.</param>
    /// <returns>The ids that could not be made again (forgotten: their routes go out anew).</returns>
    public List<uint> Restore(NetlinkClient client, IReadOnlyList<NextHopObject> kernel)
    {
        var present = new HashSet<uint>();
        foreach (var held in kernel)
        {
            _ = present.Add(held.Id);
        }

        var lost = new List<uint>();
        foreach (var (id, made) in byId)
        {
            if (present.Contains(id))
            {
                continue;
            }

            try
            {
                client.ReplaceNextHop(made);
            }
            catch (NetlinkException)
            {
                lost.Add(id);
            }
        }

        foreach (var id in lost)
        {
            Forget(id);
        }

        return lost;
    }

    /// <summary>Forgets an object (deleted, or lost).</summary>
    /// <param name="id">The id.</param>
    public void Forget(uint id)
    {
        if (byId.Remove(id, out var made))
        {
            _ = byHop.Remove(new NextHop { Gateway = made.Gateway, InterfaceIndex = made.OnLink ? made.InterfaceIndex : 0, OnLink = made.OnLink });
        }

        // An adopted object's hop key may differ (tunnel index): drop any key still pointing at it.
        foreach (var (hop, held) in byHop)
        {
            if (held == id)
            {
                _ = byHop.Remove(hop);
                break;
            }
        }
    }

    /// <summary>Lets refused next hops be tried again (at a resync).</summary>
    public void ForgetRefusals() => refused.Clear();

    private uint Allocate()
    {
        for (var i = 0; i < RangeLength; i++)
        {
            var id = next;
            next = next + 1 - first >= RangeLength ? first : next + 1;
            if (!byId.ContainsKey(id))
            {
                return id;
            }
        }

        throw new NetlinkException($"Every nexthop object id in {first}..{first + RangeLength - 1} is in use.");
    }
}
