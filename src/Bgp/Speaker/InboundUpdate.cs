using System.Collections.Immutable;
using System.Net;
using BgpStack.Bgp.Speaker.Policy;
using BgpStack.Bgp.Wire;

namespace BgpStack.Bgp.Speaker;

/// <summary>
/// Turns one received UPDATE into RIB updates for a peer's source: withdrawals from both the
/// WITHDRAWN ROUTES field and MP_UNREACH_NLRI, announcements from NLRI and MP_REACH_NLRI with the
/// MP next hop in <see cref="PathAttributes.NextHop"/>, the import rules and policy applied, and
/// refused routes turned into withdrawals (the peer's previous path for the prefix must go).
/// </summary>
internal sealed class InboundUpdate
{
    private readonly List<RouteKey> withdrawn = [];
    private readonly Dictionary<PathAttributes, List<RouteKey>> byPolicyResult = [];

    /// <summary>The number of prefixes announced in the last UPDATE, per family (IPv4, IPv6), before rules and policy.</summary>
    public (int Ipv4, int Ipv6) Announced { get; private set; }

    /// <summary>How many routes the rules or policy refused in the last UPDATE.</summary>
    public int Refused { get; private set; }

    /// <summary>Converts <paramref name="update"/> and hands the resulting RIB updates to <paramref name="post"/>.</summary>
    /// <param name="update">The UPDATE (not an End-of-RIB marker).</param>
    /// <param name="families">The families negotiated on the session; others are ignored.</param>
    /// <param name="source">The peer's route source.</param>
    /// <param name="rules">The peer's rules.</param>
    /// <param name="importPolicy">The peer's import policy, or null.</param>
    /// <param name="policyPeer">The peer as the policy sees it.</param>
    /// <param name="post">Receives each RIB update, in order.</param>
    public async ValueTask ApplyAsync(
        UpdateMessage update,
        ImmutableArray<AfiSafi> families,
        RouteSource source,
        PeerRules rules,
        IRoutePolicy? importPolicy,
        PolicyPeer policyPeer,
        Func<RibUpdate, ValueTask> post)
    {
        withdrawn.Clear();
        Refused = 0;
        Announced = default;
        var ipv4 = families.Contains(AfiSafi.Ipv4Unicast);
        var ipv6 = families.Contains(AfiSafi.Ipv6Unicast);

        if (ipv4)
        {
            withdrawn.AddRange(update.WithdrawnRoutes.AsSpan());
        }

        if (update.MpUnreach is { } unreach && IsWanted(unreach.Family, ipv4, ipv6))
        {
            withdrawn.AddRange(unreach.Nlri.AsSpan());
        }

        var v4 = ipv4 ? update.Nlri : default;
        var mp = update.MpReach is { } reach && IsWanted(reach.Family, ipv4, ipv6) ? reach : null;
        Announced = (v4.Count + (mp is { Family.Afi: Afi.Ipv4 } ? mp.Nlri.Count : 0), mp is { Family.Afi: Afi.Ipv6 } ? mp.Nlri.Count : 0);

        if (update.TreatAsWithdraw)
        {
            // RFC 7606 §2: the routes of an UPDATE with a malformed attribute are withdrawn.
            withdrawn.AddRange(v4.AsSpan());
            if (mp is not null)
            {
                withdrawn.AddRange(mp.Nlri.AsSpan());
            }
        }
        else
        {
            if (!v4.IsEmpty)
            {
                await AnnounceAsync(update.Attributes, v4, source, rules, importPolicy, policyPeer, post).ConfigureAwait(false);
            }

            if (mp is not null && !mp.Nlri.IsEmpty)
            {
                var attributes = mp.NextHopAddress is { } nextHop ? update.Attributes with { NextHop = nextHop } : update.Attributes;
                await AnnounceAsync(attributes, mp.Nlri, source, rules, importPolicy, policyPeer, post).ConfigureAwait(false);
            }
        }

        if (withdrawn.Count > 0)
        {
            await post(new RouteWithdrawal(source, [.. withdrawn])).ConfigureAwait(false);
        }
    }

    private async ValueTask AnnounceAsync(
        PathAttributes received,
        EquatableArray<Nlri> nlri,
        RouteSource source,
        PeerRules rules,
        IRoutePolicy? importPolicy,
        PolicyPeer policyPeer,
        Func<RibUpdate, ValueTask> post)
    {
        if (RouteRules.Import(received, rules, out var attributes) != ImportRejection.None)
        {
            Refused += nlri.Count;
            withdrawn.AddRange(nlri.AsSpan());
            return;
        }

        if (importPolicy is null)
        {
            // The decoded entries are the RIB's keys: the array goes as it is.
            await post(new RouteAnnouncement(source, attributes, nlri.AsImmutableArray())).ConfigureAwait(false);
            return;
        }

        // The policy may give each prefix its own attributes: one announcement per distinct result.
        byPolicyResult.Clear();
        for (var i = 0; i < nlri.Count; i++)
        {
            var key = nlri[i];
            var result = importPolicy.Apply(key.Prefix, attributes, policyPeer);
            if (result is null)
            {
                Refused++;
                withdrawn.Add(key);
                continue;
            }

            if (!byPolicyResult.TryGetValue(result, out var keys))
            {
                byPolicyResult[result] = keys = [];
            }

            keys.Add(key);
        }

        foreach (var (result, keys) in byPolicyResult)
        {
            await post(new RouteAnnouncement(source, result, [.. keys])).ConfigureAwait(false);
        }
    }

    private static bool IsWanted(AfiSafi family, bool ipv4, bool ipv6) =>
        (family == AfiSafi.Ipv4Unicast && ipv4) || (family == AfiSafi.Ipv6Unicast && ipv6);

    /// <summary>The address as the speaker compares it: IPv4-mapped IPv6 addresses as plain IPv4.</summary>
    /// <param name="address">An address from a socket or configuration.</param>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
