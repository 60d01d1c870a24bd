using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace BgpStack.Bgp.Speaker.Policy;

/// <summary>
/// The attribute changes a policy statement makes to the routes it selects. Applied in this
/// order: LOCAL_PREF, MED, communities removed then added, large communities removed then added,
/// AS path prepend, next hop.
/// </summary>
public sealed record PolicyModifications
{
    /// <summary>No changes.</summary>
    public static PolicyModifications None { get; } = new();

    /// <summary>Set LOCAL_PREF to this value (null: unchanged).</summary>
    public uint? LocalPref { get; init; }

    /// <summary>Set MULTI_EXIT_DISC to this value (null: unchanged).</summary>
    public uint? MultiExitDisc { get; init; }

    /// <summary>Communities added when not already present, in this order after the existing ones.</summary>
    public EquatableArray<Community> CommunitiesToAdd { get; init; }

    /// <summary>Communities removed wherever present.</summary>
    public EquatableArray<Community> CommunitiesToRemove { get; init; }

    /// <summary>Large communities added when not already present.</summary>
    public EquatableArray<LargeCommunity> LargeCommunitiesToAdd { get; init; }

    /// <summary>Large communities removed wherever present.</summary>
    public EquatableArray<LargeCommunity> LargeCommunitiesToRemove { get; init; }

    /// <summary>How many times our AS toward the peer (<see cref="PolicyPeer.LocalAs"/>) is prepended to the AS path; zero for none.</summary>
    public int Prepend
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, AsPath.MaxSegmentLength);
            field = value;
        }
    }

    /// <summary>
    /// The next hop to set (null: unchanged). A next hop of the other address family than the
    /// route's prefix, or <see cref="NextHopRewrite.Self"/> before the session has a local address,
    /// leaves the next hop unchanged.
    /// </summary>
    public NextHopRewrite? NextHop { get; init; }

    /// <summary>True when this changes nothing.</summary>
    public bool IsEmpty =>
        LocalPref is null && MultiExitDisc is null && CommunitiesToAdd.IsEmpty && CommunitiesToRemove.IsEmpty
        && LargeCommunitiesToAdd.IsEmpty && LargeCommunitiesToRemove.IsEmpty && Prepend == 0 && NextHop is null;

    /// <summary>Applies the changes to one route.</summary>
    /// <param name="prefix">The route's prefix (decides which next hop family fits).</param>
    /// <param name="attributes">The route's attributes.</param>
    /// <param name="peer">The peer (our AS and session address).</param>
    /// <returns><paramref name="attributes"/> itself when nothing actually changes; otherwise a new set.</returns>
    public PathAttributes ApplyTo(IpPrefix prefix, PathAttributes attributes, in PolicyPeer peer)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var changed = false;

        var localPref = attributes.LocalPref;
        if (LocalPref is { } lp && localPref != lp)
        {
            localPref = lp;
            changed = true;
        }

        var med = attributes.MultiExitDisc;
        if (MultiExitDisc is { } m && med != m)
        {
            med = m;
            changed = true;
        }

        var communities = Edit(attributes.Communities, CommunitiesToRemove, CommunitiesToAdd, ref changed);
        var large = Edit(attributes.LargeCommunities, LargeCommunitiesToRemove, LargeCommunitiesToAdd, ref changed);

        var asPath = attributes.AsPath;
        if (Prepend > 0)
        {
            asPath = (asPath ?? AsPath.Empty).Prepend(peer.LocalAs, Prepend);
            changed = true;
        }

        var nextHop = attributes.NextHop;
        if (NextHop is not null && ChooseNextHop(prefix, NextHop, peer) is { } address && !address.Equals(nextHop))
        {
            nextHop = address;
            changed = true;
        }

        if (!changed)
        {
            return attributes;
        }

        return attributes with
        {
            LocalPref = localPref,
            MultiExitDisc = med,
            Communities = communities,
            LargeCommunities = large,
            AsPath = asPath,
            NextHop = nextHop,
        };
    }

    private static IPAddress? ChooseNextHop(IpPrefix prefix, NextHopRewrite rewrite, in PolicyPeer peer)
    {
        var address = rewrite.Address ?? peer.LocalAddress;
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var wanted = prefix.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return address.AddressFamily == wanted ? address : null;
    }

    private static EquatableArray<T> Edit<T>(EquatableArray<T> current, EquatableArray<T> remove, EquatableArray<T> add, ref bool changed)
        where T : IEquatable<T>
    {
        var span = current.AsSpan();
        var removeSpan = remove.AsSpan();
        var addSpan = add.AsSpan();
        var needsRemove = false;
        foreach (var value in span)
        {
            if (removeSpan.Contains(value))
            {
                needsRemove = true;
                break;
            }
        }

        var needsAdd = false;
        foreach (var value in addSpan)
        {
            // A value both removed and added ends up present (remove runs first).
            if (!span.Contains(value) || removeSpan.Contains(value))
            {
                needsAdd = true;
                break;
            }
        }

        if (!needsRemove && !needsAdd)
        {
            return current;
        }

        // Count first so the result is one exactly sized array, wrapped without a copy.
        var count = 0;
        foreach (var value in span)
        {
            if (!removeSpan.Contains(value))
            {
                count++;
            }
        }

        for (var i = 0; i < addSpan.Length; i++)
        {
            if (IsNewAddition(span, removeSpan, addSpan, i))
            {
                count++;
            }
        }

        var result = new T[count];
        var position = 0;
        foreach (var value in span)
        {
            if (!removeSpan.Contains(value))
            {
                result[position++] = value;
            }
        }

        for (var i = 0; i < addSpan.Length; i++)
        {
            if (IsNewAddition(span, removeSpan, addSpan, i))
            {
                result[position++] = addSpan[i];
            }
        }

        changed = true;
        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    // True when add[index] is not kept from current and not listed earlier in add.
    private static bool IsNewAddition<T>(ReadOnlySpan<T> current, ReadOnlySpan<T> remove, ReadOnlySpan<T> add, int index)
        where T : IEquatable<T>
    {
        var value = add[index];
        return (!current.Contains(value) || remove.Contains(value)) && !add[..index].Contains(value);
    }
}
