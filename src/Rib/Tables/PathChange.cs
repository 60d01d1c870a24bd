namespace BgpStack.Rib.Tables;

/// <summary>What <see cref="RouteTable.Upsert(IpPrefix, RouteSource, uint, AttributeSetId)"/> did to the paths of a prefix.</summary>
public enum PathChange
{
    /// <summary>A new path (prefix, source, path id) was added; the decision process must run for the prefix.</summary>
    Added,

    /// <summary>The path existed with other attributes, which were replaced (implicit withdraw, RFC 4271 §3.1); the decision process must run.</summary>
    Replaced,

    /// <summary>The path existed with the same attributes but was stale; it is fresh again. The candidates are otherwise unchanged.</summary>
    Refreshed,

    /// <summary>The path existed with the same attributes and was not stale: nothing changed.</summary>
    Unchanged,
}
