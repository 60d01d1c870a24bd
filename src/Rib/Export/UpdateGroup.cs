using BgpStack.Rib.Feed;
using BgpStack.Rib.Trie;

namespace BgpStack.Rib.Export;

/// <summary>
/// Peers that share an export policy, and the Adj-RIB-Out computed once for all of them: per
/// prefix, the attributes last advertised, so only real changes go out.
/// </summary>
internal sealed class UpdateGroup(UpdateGroupKey key, IExportPolicy policy, ChangeSubscription subscription)
{
    public UpdateGroupKey Key { get; } = key;

    public IExportPolicy Policy { get; } = policy;

    /// <summary>What the group's peers were last sent, per prefix.</summary>
    public PrefixTrie<PathAttributes> AdjRibOut { get; } = new(ipv4LookupIndex: false);

    public List<UpdateGroupMember> Members { get; } = [];

    /// <summary>The group's view of the Loc-RIB: a replay of the table, then its changes.</summary>
    public ChangeSubscription Subscription { get; } = subscription;

    /// <summary>How many batches the group has read from <see cref="Subscription"/>.</summary>
    public long BatchesRead { get; set; }

    /// <summary>True once the group has read the whole replay: its Adj-RIB-Out reflects the whole Loc-RIB.</summary>
    public bool IsFilled { get; set; }

    /// <summary>Members that joined before the group was filled and get the fill as it comes (no dump needed).</summary>
    public List<UpdateGroupMember> Founders { get; } = [];

    /// <summary>Runs the export function for a Loc-RIB change; returns the change to send, or null when nothing changes for the group.</summary>
    public ExportChange? Apply(in RibChange change)
    {
        var exported = change.IsWithdrawn ? null : Policy.Export(change);
        var had = AdjRibOut.TryGetValue(change.Prefix, out var advertised);
        if (exported is null)
        {
            if (!had)
            {
                return null;
            }

            AdjRibOut.Remove(change.Prefix);
            return new ExportChange(change.Prefix, null);
        }

        if (had && (ReferenceEquals(advertised, exported) || advertised.Equals(exported)))
        {
            return null;
        }

        AdjRibOut[change.Prefix] = exported;
        return new ExportChange(change.Prefix, exported);
    }

    public void Send(in ExportChange change)
    {
        foreach (var member in Members)
        {
            member.Add(change);
        }
    }
}
