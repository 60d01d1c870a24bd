namespace BgpStack.Rib;

/// <summary>
/// Interned (hash-consed) path attribute sets with reference counts: equal sets share one id and
/// one stored <see cref="PathAttributes"/>, so a million routes that share a set store it once,
/// and a set is released when its last reference goes. Not thread-safe: the RIB loop owns it.
/// </summary>
/// <remarks>
/// Usage on ingest: <see cref="Acquire"/> the set of an UPDATE once, hand the id to every route of
/// that UPDATE (each route takes its own reference), then <see cref="Release"/> the caller's
/// reference. Acquiring the very same <see cref="PathAttributes"/> instance again is answered
/// without hashing it.
/// </remarks>
public sealed class AttributeTable
{
    private readonly Dictionary<PathAttributes, int> ids = [];
    private PathAttributes?[] sets = new PathAttributes?[16];
    private int[] references = new int[16];
    private int[] free = new int[16];
    private int freeCount;
    private int highWater = 1;
    private PathAttributes? lastAcquired;
    private int lastAcquiredId;

    /// <summary>The number of distinct sets held.</summary>
    public int Count => ids.Count;

    /// <summary>The attribute set of an id.</summary>
    /// <param name="id">A live id.</param>
    /// <exception cref="ArgumentException">The id is not live.</exception>
    public PathAttributes this[AttributeSetId id] =>
        (uint)id.Value < (uint)highWater && sets[id.Value] is { } set ? set : throw new ArgumentException($"Attribute set {id} is not live.", nameof(id));

    /// <summary>The number of references to a set (0 for an id that is not live).</summary>
    /// <param name="id">The id.</param>
    public int ReferenceCount(AttributeSetId id) =>
        (uint)id.Value < (uint)highWater ? references[id.Value] : 0;

    /// <summary>Finds the id of a set without taking a reference.</summary>
    /// <param name="attributes">The set.</param>
    /// <param name="id">Its id when held.</param>
    /// <returns>True when an equal set is held.</returns>
    public bool TryGetId(PathAttributes attributes, out AttributeSetId id)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var found = ids.TryGetValue(attributes, out var value);
        id = new AttributeSetId(found ? value : 0);
        return found;
    }

    /// <summary>Interns a set and takes one reference to it.</summary>
    /// <param name="attributes">The set.</param>
    /// <returns>The id of the set (the same for equal sets while any reference is held).</returns>
    public AttributeSetId Acquire(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (ReferenceEquals(attributes, lastAcquired) && ReferenceEquals(sets[lastAcquiredId], attributes))
        {
            references[lastAcquiredId]++;
            return new AttributeSetId(lastAcquiredId);
        }

        if (!ids.TryGetValue(attributes, out var id))
        {
            id = AllocateSlot();
            sets[id] = attributes;
            ids.Add(attributes, id);
        }

        references[id]++;
        lastAcquired = attributes;
        lastAcquiredId = id;
        return new AttributeSetId(id);
    }

    /// <summary>Takes one more reference to a live set.</summary>
    /// <param name="id">The id.</param>
    /// <exception cref="ArgumentException">The id is not live.</exception>
    public void AddReference(AttributeSetId id)
    {
        if ((uint)id.Value >= (uint)highWater || references[id.Value] == 0)
        {
            throw new ArgumentException($"Attribute set {id} is not live.", nameof(id));
        }

        references[id.Value]++;
    }

    /// <summary>Drops one reference; the set is released when none is left.</summary>
    /// <param name="id">The id.</param>
    /// <returns>True when this released the set.</returns>
    /// <exception cref="ArgumentException">The id is not live.</exception>
    public bool Release(AttributeSetId id)
    {
        var slot = id.Value;
        if ((uint)slot >= (uint)highWater || references[slot] == 0)
        {
            throw new ArgumentException($"Attribute set {id} is not live.", nameof(id));
        }

        if (--references[slot] > 0)
        {
            return false;
        }

        ids.Remove(sets[slot]!);
        sets[slot] = null;
        if (lastAcquiredId == slot)
        {
            lastAcquired = null;
            lastAcquiredId = 0;
        }

        if (freeCount == free.Length)
        {
            Array.Resize(ref free, free.Length * 2);
        }

        free[freeCount++] = slot;
        return true;
    }

    private int AllocateSlot()
    {
        if (freeCount > 0)
        {
            return free[--freeCount];
        }

        if (highWater == sets.Length)
        {
            Array.Resize(ref sets, sets.Length * 2);
            Array.Resize(ref references, references.Length * 2);
        }

        return highWater++;
    }
}
