using System.Collections.Immutable;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>
/// A declarative route policy: statements tried in order. The first statement whose match selects
/// the route makes its changes and then accepts the route, rejects it, or (<see cref="PolicyAction.Next"/>)
/// passes the changed route on to the following statements. When no statement accepts or rejects,
/// <see cref="DefaultAccept"/> decides, keeping the changes made so far. Immutable and thread-safe;
/// a route no statement changes comes back as the same <see cref="PathAttributes"/> instance.
/// </summary>
public sealed class RoutePolicy : IRoutePolicy, IEquatable<RoutePolicy>
{
    /// <summary>Creates a policy.</summary>
    /// <param name="name">The policy's name, for configuration and logs.</param>
    /// <param name="statements">The statements, tried in order.</param>
    /// <param name="defaultAccept">Whether a route no statement decides is accepted (true) or rejected.</param>
    public RoutePolicy(string name, IEnumerable<PolicyStatement> statements, bool defaultAccept = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(statements);
        Name = name;
        Statements = [.. statements];
        foreach (var statement in Statements)
        {
            ArgumentNullException.ThrowIfNull(statement, nameof(statements));
        }

        DefaultAccept = defaultAccept;
    }

    /// <summary>A policy that accepts every route unchanged.</summary>
    public static RoutePolicy AcceptAll { get; } = new("accept-all", [], defaultAccept: true);

    /// <summary>A policy that rejects every route.</summary>
    public static RoutePolicy RejectAll { get; } = new("reject-all", [], defaultAccept: false);

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>The statements, in the order they are tried.</summary>
    public ImmutableArray<PolicyStatement> Statements { get; }

    /// <summary>Whether a route no statement accepts or rejects is accepted.</summary>
    public bool DefaultAccept { get; }

    /// <inheritdoc/>
    public PathAttributes? Apply(IpPrefix prefix, PathAttributes attributes, in PolicyPeer peer)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var current = attributes;
        foreach (var statement in Statements)
        {
            // Later statements see the changes earlier "next" statements made, as in BIRD filters.
            if (!statement.Match.Matches(prefix, current))
            {
                continue;
            }

            if (statement.Action == PolicyAction.Reject)
            {
                return null;
            }

            current = statement.Set.ApplyTo(prefix, current, peer);
            if (statement.Action == PolicyAction.Accept)
            {
                return current;
            }
        }

        return DefaultAccept ? current : null;
    }

    /// <summary>Same name, statements and default.</summary>
    /// <param name="other">The other policy.</param>
    public bool Equals(RoutePolicy? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Name, other.Name, StringComparison.Ordinal)
                && DefaultAccept == other.DefaultAccept
                && Statements.AsSpan().SequenceEqual(other.Statements.AsSpan())));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RoutePolicy);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), DefaultAccept, Statements.Length);

    /// <summary>The policy's name.</summary>
    public override string ToString() => Name;
}
