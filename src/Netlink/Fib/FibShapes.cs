using BgpStack.Netlink.Routes;
using BgpStack.Rib;

namespace BgpStack.Netlink.Fib;

/// <summary>
/// What a route of ours is apart from its destination (the table, protocol and metric are the
/// writer's): its type, its next hops and, when it points at one, the nexthop object it uses.
/// </summary>
/// <param name="Type">The route type.</param>
/// <param name="NextHops">The next hops (those of the nexthop object when there is one).</param>
/// <param name="NextHopId">The nexthop object (RTA_NH_ID), or null.</param>
internal sealed record FibShape(RouteType Type, EquatableArray<NextHop> NextHops, uint? NextHopId)
{
    /// <summary>The shape of a kernel or mapped route.</summary>
    /// <param name="route">The route.</param>
    public static FibShape Of(Route route) => new(route.Type, route.NextHops, route.NextHopId);

    /// <summary>The route with this shape to <paramref name="destination"/> under the writer's options.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="options">The writer's options.</param>
    /// <param name="forKernel">True for a request: a route through a nexthop object carries only its id.</param>
    public Route ToRoute(IpPrefix destination, FibWriterOptions options, bool forKernel) => new()
    {
        Destination = destination,
        Type = Type,
        Table = options.Table,
        Protocol = options.Protocol,
        Metric = options.Metric,
        NextHops = forKernel && NextHopId is not null ? default : NextHops,
        NextHopId = NextHopId,
    };
}

/// <summary>
/// Interned route shapes: every prefix refers to its desired and installed shape by a small id
/// (0 is none), so a million routes through one gateway share one shape. A shape is counted per
/// reference, desired and installed apart, and its id is reused once nothing refers to it.
/// </summary>
internal sealed class FibShapes
{
    private readonly Dictionary<FibShape, int> ids = [];
    private readonly Stack<int> free = new();
    private FibShape?[] shapes = new FibShape?[16];
    private int[] desiredReferences = new int[16];
    private int[] installedReferences = new int[16];
    private readonly Dictionary<uint, int> objectUse = [];
    private int next = 1;

    /// <summary>Called with a shape that nothing refers to any more, just before its id is freed.</summary>
    public Action<FibShape>? Released { get; set; }

    /// <summary>How many installed references there are: one per prefix the kernel holds a route of ours for.</summary>
    public int InstalledTotal { get; private set; }

    /// <summary>True while a shape in use points at nexthop object <paramref name="id"/>.</summary>
    /// <param name="id">The object id.</param>
    public bool NamesObject(uint id) => objectUse.ContainsKey(id);

    /// <summary>How many shapes are in use.</summary>
    public int Count => ids.Count;

    /// <summary>The shape with id <paramref name="id"/> (not 0).</summary>
    /// <param name="id">The id.</param>
    public FibShape this[int id] => shapes[id] ?? throw new InvalidOperationException($"FIB shape {id} is not in use.");

    /// <summary>How many prefixes want the shape.</summary>
    /// <param name="id">The id.</param>
    public int DesiredReferences(int id) => desiredReferences[id];

    /// <summary>How many prefixes hold the shape in the kernel.</summary>
    /// <param name="id">The id.</param>
    public int InstalledReferences(int id) => installedReferences[id];

    /// <summary>The id of <paramref name="shape"/>, made when it is new. It lasts while something refers to it.</summary>
    /// <param name="shape">The shape.</param>
    public int Intern(FibShape shape)
    {
        if (ids.TryGetValue(shape, out var id))
        {
            return id;
        }

        id = free.Count > 0 ? free.Pop() : next++;
        if (id >= shapes.Length)
        {
            Array.Resize(ref shapes, shapes.Length * 2);
            Array.Resize(ref desiredReferences, shapes.Length);
            Array.Resize(ref installedReferences, shapes.Length);
        }

        shapes[id] = shape;
        ids[shape] = id;
        if (shape.NextHopId is { } nh)
        {
            objectUse[nh] = objectUse.GetValueOrDefault(nh) + 1;
        }

        return id;
    }

    /// <summary>Moves one desired reference from <paramref name="from"/> to <paramref name="to"/> (either may be 0).</summary>
    /// <param name="from">The old id.</param>
    /// <param name="to">The new id.</param>
    public void MoveDesired(int from, int to)
    {
        if (from == to)
        {
            return;
        }

        if (to != 0)
        {
            desiredReferences[to]++;
        }

        if (from != 0)
        {
            desiredReferences[from]--;
            ReleaseIfUnused(from);
        }
    }

    /// <summary>Moves one installed reference from <paramref name="from"/> to <paramref name="to"/> (either may be 0).</summary>
    /// <param name="from">The old id.</param>
    /// <param name="to">The new id.</param>
    public void MoveInstalled(int from, int to)
    {
        if (from == to)
        {
            return;
        }

        if (to != 0)
        {
            installedReferences[to]++;
            InstalledTotal += from == 0 ? 1 : 0;
        }

        if (from != 0)
        {
            InstalledTotal -= to == 0 ? 1 : 0;
            installedReferences[from]--;
            ReleaseIfUnused(from);
        }
    }

    /// <summary>Drops <paramref name="count"/> installed references of <paramref name="id"/> at once.</summary>
    /// <param name="id">The id.</param>
    /// <param name="count">How many.</param>
    public void RemoveInstalled(int id, int count)
    {
        installedReferences[id] -= count;
        InstalledTotal -= count;
        ReleaseIfUnused(id);
    }

    /// <summary>Frees a shape interned but never referred to (a lookup that found no use).</summary>
    /// <param name="id">The id.</param>
    public void ReleaseIfUnused(int id)
    {
        if (id == 0 || desiredReferences[id] != 0 || installedReferences[id] != 0 || shapes[id] is not { } shape)
        {
            return;
        }

        _ = ids.Remove(shape);
        if (shape.NextHopId is { } nh && --objectUse[nh] == 0)
        {
            _ = objectUse.Remove(nh);
        }

        Released?.Invoke(shape);
        shapes[id] = null;
        free.Push(id);
    }
}
