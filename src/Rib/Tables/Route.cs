namespace BgpStack.Rib.Tables;

/// <summary>
/// A read-only copy of one path of a prefix as the decision process and the CLI see it: who sent
/// it, with which path identifier and attributes, when it arrived, and whether it is stale, the
/// best path or in the multipath set.
/// </summary>
public readonly struct Route
{
    internal Route(RouteId id, RouteSource source, PathAttributes attributes, AttributeSetId attributeSetId, uint pathId, uint arrivalOrder, bool isStale, bool isBest, bool isMultipath)
    {
        Id = id;
        Source = source;
        Attributes = attributes;
        AttributeSetId = attributeSetId;
        PathId = pathId;
        ArrivalOrder = arrivalOrder;
        IsStale = isStale;
        IsBest = isBest;
        IsMultipath = isMultipath;
    }

    /// <summary>The handle of the path in its table.</summary>
    public RouteId Id { get; }

    /// <summary>Who the path came from.</summary>
    public RouteSource Source { get; }

    /// <summary>The path attributes (the interned instance, shared with every path that has an equal set).</summary>
    public PathAttributes Attributes { get; }

    /// <summary>The interned id of <see cref="Attributes"/>; equal ids mean equal attribute sets.</summary>
    public AttributeSetId AttributeSetId { get; }

    /// <summary>The ADD-PATH path identifier (RFC 7911); 0 when the source does not use ADD-PATH.</summary>
    public uint PathId { get; }

    /// <summary>
    /// When the path (or its latest attributes) arrived, as a wrapping counter: compare two paths
    /// with <see cref="IsOlderThan"/>, not with &lt;.
    /// </summary>
    public uint ArrivalOrder { get; }

    /// <summary>True when the source was marked stale (graceful restart) and has not announced this path since.</summary>
    public bool IsStale { get; }

    /// <summary>True when the decision process recorded this path as the best of its prefix.</summary>
    public bool IsBest { get; }

    /// <summary>True when the decision process recorded this path in its prefix's multipath set (the best path included).</summary>
    public bool IsMultipath { get; }

    /// <summary>True when this path arrived before <paramref name="other"/> (serial-number arithmetic, RFC 1982, so the counter may wrap).</summary>
    /// <param name="other">Another path.</param>
    public bool IsOlderThan(Route other) => (int)(ArrivalOrder - other.ArrivalOrder) < 0;

    /// <summary>Text for logs: source, path id and attributes.</summary>
    public override string ToString() =>
        $"{Source.Name} path-id {PathId} {Attributes}{(IsBest ? " best" : string.Empty)}{(IsMultipath ? " multipath" : string.Empty)}{(IsStale ? " stale" : string.Empty)}";
}
