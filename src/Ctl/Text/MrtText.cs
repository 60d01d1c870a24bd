using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Ctl.Text;

/// <summary>Renders MRT records as text blocks: a header line (time, type, subtype), then the record's fields.</summary>
public static class MrtText
{
    private const string Indent = "  ";

    /// <summary>Writes one record.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="record">The record.</param>
    /// <param name="peers">The last PEER_INDEX_TABLE read, to name the peers of RIB entries; or null.</param>
    public static void WriteRecord(TextWriter output, MrtRecord record, PeerIndexTableRecord? peers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        output.WriteLine($"{MrtNames.Time(record.Timestamp)} {MrtNames.Type(record.Type)} {MrtNames.Subtype(record.Type, record.Subtype)}");
        switch (record)
        {
            case Bgp4mpMessageRecord message:
                WritePeers(output, message);
                if (message.Message is { } bgp)
                {
                    WriteIndented(output, w => MessageText.WriteMessage(w, bgp, message.MessageBytes.Count, Indent));
                }
                else
                {
                    output.WriteLine($"{Indent}MALFORMED message ({message.MessageBytes.Count} octets)");
                    MessageText.WriteError(output, message.MessageError!, Indent + Indent);
                    output.WriteLine($"{Indent}{Indent}octets: {Convert.ToHexStringLower(message.MessageBytes.AsSpan())}");
                }

                break;
            case Bgp4mpStateChangeRecord change:
                WritePeers(output, change);
                output.WriteLine($"{Indent}state {MrtNames.State(change.OldState)} -> {MrtNames.State(change.NewState)}");
                break;
            case PeerIndexTableRecord table:
                output.WriteLine($"{Indent}collector {table.CollectorBgpId} view \"{table.ViewName}\" peers {table.Peers.Count}");
                for (var i = 0; i < table.Peers.Count; i++)
                {
                    var peer = table.Peers[i];
                    output.WriteLine($"{Indent}peer {i}: {peer.PeerAddress} AS{peer.PeerAs} bgp-id {peer.PeerBgpId}");
                }

                break;
            case RibRecord rib:
                output.WriteLine($"{Indent}{rib.Family} {rib.Prefix} sequence {rib.SequenceNumber} entries {rib.Entries.Count}");
                foreach (var entry in rib.Entries)
                {
                    WriteRibEntry(output, entry, peers);
                }

                break;
            case RibGenericRecord generic:
                output.WriteLine($"{Indent}{generic.Family} sequence {generic.SequenceNumber} body {Convert.ToHexStringLower(generic.Body.AsSpan())}");
                break;
            case UnknownMrtRecord unknown:
                output.WriteLine($"{Indent}body {Convert.ToHexStringLower(unknown.Body.AsSpan())}");
                break;
            case MalformedMrtRecord malformed:
                output.WriteLine($"{Indent}MALFORMED record: {malformed.Reason}");
                if (!malformed.Bytes.IsEmpty)
                {
                    output.WriteLine($"{Indent}octets: {Convert.ToHexStringLower(malformed.Bytes.AsSpan())}");
                }

                break;
        }
    }

    private static void WritePeers(TextWriter output, Bgp4mpRecord record) =>
        output.WriteLine($"{Indent}peer {record.PeerAddress} AS{record.PeerAs} local {record.LocalAddress} AS{record.LocalAs} ifindex {record.InterfaceIndex}");

    private static void WriteRibEntry(TextWriter output, RibEntry entry, PeerIndexTableRecord? peers)
    {
        var peer = peers is not null && peers.TryGetPeer(entry.PeerIndex, out var known)
            ? $"{known.PeerAddress} AS{known.PeerAs}"
            : "(not in the peer index table)";
        var pathId = entry.PathId != 0 ? $" path-id {entry.PathId}" : string.Empty;
        output.WriteLine($"{Indent}entry peer {entry.PeerIndex} {peer}{pathId} originated {MrtNames.Time(entry.OriginatedTime)}");
        var inner = Indent + Indent;
        if (entry.Error is { } error)
        {
            output.WriteLine($"{inner}MALFORMED attributes");
            MessageText.WriteError(output, error, inner + Indent);
            output.WriteLine($"{inner}{Indent}octets: {Convert.ToHexStringLower(entry.RawAttributes.AsSpan())}");
            return;
        }

        MessageText.WriteAttributes(output, entry.Attributes, inner);
        if (entry.MpReach is { } reach && reach.NextHop.Count is not (4 or 16 or 32))
        {
            output.WriteLine($"{inner}mp-next-hop: 0x{Convert.ToHexStringLower(reach.NextHop.AsSpan())}");
        }
        else if (entry.MpReach?.NextHopAddress is { } mpNextHop)
        {
            output.WriteLine($"{inner}mp-next-hop: {mpNextHop}{(entry.MpReach.LinkLocalNextHop is { } ll ? $" {ll}" : string.Empty)}");
        }

        foreach (var attributeError in entry.AttributeErrors)
        {
            output.WriteLine($"{inner}attribute-error: {AttributeError.ActionName(attributeError.Action)} (attribute {attributeError.AttributeType})");
            MessageText.WriteError(output, attributeError.Error, inner + Indent);
        }
    }

    private static void WriteIndented(TextWriter output, Action<TextWriter> write)
    {
        using var block = new StringWriter();
        write(block);
        foreach (var line in block.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine(Indent + line.TrimEnd('\r'));
        }
    }
}
