using BgpStack.Rib.Trie;
using System.Net.Sockets;

namespace BgpStack.Rib;

/// <summary>
/// A plain route store for the loop: a prefix trie of path lists, attribute sets interned in an
/// <see cref="AttributeTable"/>, and per source the set of prefixes it has paths for, so removing a
/// source costs in proportion to its own routes.
/// </summary>
internal sealed class TrieRouteStore : IRouteStore
{
    private readonly PrefixTrie<List<Entry>?> routes = new();
    private readonly AttributeTable attributes = new();
    private readonly Dictionary<int, HashSet<IpPrefix>> bySource = [];

    private struct Entry
    {
        public RouteSource Source;
        public uint PathId;
        public AttributeSetId Attributes;
        public long Arrival;
        public bool IsStale;
    }

    /// <summary>The number of distinct attribute sets held.</summary>
    public int AttributeSetCount => attributes.Count;

    public bool Announce(RouteSource source, RouteKey key, PathAttributes pathAttributes, long arrival)
    {
        ref var list = ref routes.GetOrAddValueRef(key.Prefix, out _);
        list ??= new List<Entry>(1);
        var id = attributes.Acquire(pathAttributes);
        var at = Find(list, source, key.PathId);
        if (at >= 0)
        {
            var entry = list[at];
            var changed = entry.Attributes != id || entry.IsStale;
            attributes.Release(entry.Attributes);
            entry.Attributes = id;
            entry.IsStale = false;
            if (changed)
            {
                entry.Arrival = arrival;
            }

            list[at] = entry;
            return changed;
        }

        list.Add(new Entry { Source = source, PathId = key.PathId, Attributes = id, Arrival = arrival });
        PrefixesOf(source).Add(key.Prefix);
        return true;
    }

    public bool Withdraw(RouteSource source, RouteKey key)
    {
        if (!routes.TryGetValue(key.Prefix, out var list) || list is null)
        {
            return false;
        }

        var at = Find(list, source, key.PathId);
        if (at < 0)
        {
            return false;
        }

        attributes.Release(list[at].Attributes);
        list.RemoveAt(at);
        AfterRemoval(source, key.Prefix, list);
        return true;
    }

    public void CollectPrefixes(RouteSource source, bool staleOnly, AddressFamily? family, List<IpPrefix> prefixes)
    {
        if (!bySource.TryGetValue(source.Id, out var set))
        {
            return;
        }

        foreach (var prefix in set)
        {
            if (InFamily(prefix, family) && (!staleOnly || HasStale(prefix, source)))
            {
                prefixes.Add(prefix);
            }
        }
    }

    public void Remove(RouteSource source, bool staleOnly, AddressFamily? family, List<IpPrefix> touched)
    {
        if (!bySource.TryGetValue(source.Id, out var set))
        {
            return;
        }

        var prefixes = new List<IpPrefix>(set.Count);
        foreach (var prefix in set)
        {
            if (InFamily(prefix, family))
            {
                prefixes.Add(prefix);
            }
        }

        foreach (var prefix in prefixes)
        {
            var list = routes[prefix]!;
            var removed = list.RemoveAll(e =>
            {
                var match = e.Source.Id == source.Id && (!staleOnly || e.IsStale);
                if (match)
                {
                    attributes.Release(e.Attributes);
                }

                return match;
            });
            if (removed > 0)
            {
                touched.Add(prefix);
                AfterRemoval(source, prefix, list);
            }
        }
    }

    public void MarkStale(RouteSource source, AddressFamily? family)
    {
        if (!bySource.TryGetValue(source.Id, out var set))
        {
            return;
        }

        foreach (var prefix in set)
        {
            if (!InFamily(prefix, family))
            {
                continue;
            }

            var list = routes[prefix]!;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Source.Id == source.Id)
                {
                    var entry = list[i];
                    entry.IsStale = true;
                    list[i] = entry;
                }
            }
        }
    }

    public void GetPaths(IpPrefix prefix, List<StoredPath> paths)
    {
        paths.Clear();
        if (!routes.TryGetValue(prefix, out var list) || list is null)
        {
            return;
        }

        foreach (var e in list)
        {
            paths.Add(new StoredPath(e.Source, attributes[e.Attributes], e.PathId, e.Arrival, e.IsStale));
        }
    }

    public void CollectMoreSpecifics(IpPrefix prefix, int limit, List<IpPrefix> prefixes)
    {
        var count = 0;
        foreach (var pair in routes.MoreSpecifics(prefix, includeSelf: true))
        {
            if (count++ == limit)
            {
                return;
            }

            prefixes.Add(pair.Key);
        }
    }

    private static int Find(List<Entry> list, RouteSource source, uint pathId)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Source.Id == source.Id && list[i].PathId == pathId)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasSource(List<Entry> list, RouteSource source)
    {
        foreach (var e in list)
        {
            if (e.Source.Id == source.Id)
            {
                return true;
            }
        }

        return false;
    }

    private bool HasStale(IpPrefix prefix, RouteSource source)
    {
        foreach (var e in routes[prefix]!)
        {
            if (e.Source.Id == source.Id && e.IsStale)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InFamily(IpPrefix prefix, AddressFamily? family) => family is null || prefix.Family == family;

    private HashSet<IpPrefix> PrefixesOf(RouteSource source)
    {
        if (!bySource.TryGetValue(source.Id, out var set))
        {
            set = [];
            bySource[source.Id] = set;
        }

        return set;
    }

    private void AfterRemoval(RouteSource source, IpPrefix prefix, List<Entry> list)
    {
        if (!HasSource(list, source))
        {
            var set = bySource[source.Id];
            set.Remove(prefix);
            if (set.Count == 0)
            {
                bySource.Remove(source.Id);
            }
        }

        if (list.Count == 0)
        {
            routes.Remove(prefix);
        }
    }
}
