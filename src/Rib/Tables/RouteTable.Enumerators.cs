using System.Collections;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Tables;

/// <summary>The paths of one prefix as a foreach-able value (no allocation).</summary>
public readonly struct PathEnumerable : IEnumerable<Route>
{
    private readonly RouteTable table;
    private readonly int head;

    internal PathEnumerable(RouteTable table, int head)
    {
        this.table = table;
        this.head = head;
    }

    /// <summary>True when the prefix has no path.</summary>
    public bool IsEmpty => head == 0;

    /// <summary>Starts the walk.</summary>
    public PathEnumerator GetEnumerator() => new(table, head, false);

    IEnumerator<Route> IEnumerable<Route>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The paths of one source as a foreach-able value (no allocation).</summary>
public readonly struct SourcePathEnumerable : IEnumerable<Route>
{
    private readonly RouteTable table;
    private readonly int head;

    internal SourcePathEnumerable(RouteTable table, int head)
    {
        this.table = table;
        this.head = head;
    }

    /// <summary>Starts the walk.</summary>
    public PathEnumerator GetEnumerator() => new(table, head, true);

    IEnumerator<Route> IEnumerable<Route>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Walks a chain of paths (of one prefix, or of one source). The table must not change meanwhile.</summary>
public struct PathEnumerator : IEnumerator<Route>
{
    private readonly RouteTable table;
    private readonly int head;
    private readonly bool bySource;
    private int current;
    private int next;

    internal PathEnumerator(RouteTable table, int head, bool bySource)
    {
        this.table = table;
        this.head = head;
        this.bySource = bySource;
        current = 0;
        next = head;
    }

    /// <summary>The current path.</summary>
    public readonly Route Current => table.MakeRoute(current);

    readonly object IEnumerator.Current => Current;

    /// <summary>Moves to the next path.</summary>
    public bool MoveNext()
    {
        if (next == 0)
        {
            current = 0;
            return false;
        }

        current = next;
        next = bySource ? table.NextInSource(current) : table.NextInPrefix(current);
        return true;
    }

    /// <summary>Starts over.</summary>
    public void Reset()
    {
        current = 0;
        next = head;
    }

    /// <summary>Nothing to release.</summary>
    public readonly void Dispose()
    {
    }
}

/// <summary>Prefixes of a table in <see cref="IpPrefix"/> order as a foreach-able value (no allocation).</summary>
public readonly struct PrefixEnumerable : IEnumerable<IpPrefix>
{
    private readonly PrefixTrie<int>.Enumerator walk;

    internal PrefixEnumerable(PrefixTrie<int>.Enumerator walk) => this.walk = walk;

    /// <summary>Starts the walk.</summary>
    public PrefixEnumerator GetEnumerator() => new(walk);

    IEnumerator<IpPrefix> IEnumerable<IpPrefix>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Walks prefixes in <see cref="IpPrefix"/> order. The table must not change meanwhile.</summary>
public struct PrefixEnumerator : IEnumerator<IpPrefix>
{
    private PrefixTrie<int>.Enumerator walk;

    internal PrefixEnumerator(PrefixTrie<int>.Enumerator walk) => this.walk = walk;

    /// <summary>The current prefix.</summary>
    public readonly IpPrefix Current => walk.CurrentPrefix;

    readonly object IEnumerator.Current => Current;

    /// <summary>Moves to the next prefix.</summary>
    public bool MoveNext() => walk.MoveNext();

    /// <summary>Starts over.</summary>
    public void Reset() => walk.Reset();

    /// <summary>Nothing to release.</summary>
    public readonly void Dispose()
    {
    }
}

/// <summary>The prefixes covering a prefix, shortest first, as a foreach-able value (no allocation).</summary>
public readonly struct CoveringPrefixEnumerable : IEnumerable<IpPrefix>
{
    private readonly PrefixTrie<int>.CoveringEnumerator walk;

    internal CoveringPrefixEnumerable(PrefixTrie<int>.CoveringEnumerator walk) => this.walk = walk;

    /// <summary>Starts the walk.</summary>
    public CoveringPrefixEnumerator GetEnumerator() => new(walk);

    IEnumerator<IpPrefix> IEnumerable<IpPrefix>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Walks the prefixes covering a prefix, shortest first. The table must not change meanwhile.</summary>
public struct CoveringPrefixEnumerator : IEnumerator<IpPrefix>
{
    private PrefixTrie<int>.CoveringEnumerator walk;

    internal CoveringPrefixEnumerator(PrefixTrie<int>.CoveringEnumerator walk) => this.walk = walk;

    /// <summary>The current prefix.</summary>
    public readonly IpPrefix Current => walk.CurrentPrefix;

    readonly object IEnumerator.Current => Current;

    /// <summary>Moves to the next prefix.</summary>
    public bool MoveNext() => walk.MoveNext();

    /// <summary>Starts over.</summary>
    public void Reset() => walk.Reset();

    /// <summary>Nothing to release.</summary>
    public readonly void Dispose()
    {
    }
}
