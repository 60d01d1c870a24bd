using System.Text.Json;
using BgpStack.Bgp.Wire;
using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Ctl.Json;

/// <summary>
/// Writes MRT records as JSON objects, one per record, for JSON Lines output: the header (time,
/// type, subtype) and, per record kind, the peers, the BGP message or the RIB entries.
/// </summary>
public static class MrtJsonWriter
{
    /// <summary>Writes one record object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="record">The record.</param>
    /// <param name="peers">The last PEER_INDEX_TABLE read, to name the peers of RIB entries; or null.</param>
    public static void WriteRecord(Utf8JsonWriter writer, MrtRecord record, PeerIndexTableRecord? peers)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("timestamp", MrtNames.Time(record.Timestamp));
        writer.WriteNumber("type", (ushort)record.Type);
        writer.WriteString("type_name", MrtNames.Type(record.Type));
        writer.WriteNumber("subtype", record.Subtype);
        writer.WriteString("subtype_name", MrtNames.Subtype(record.Type, record.Subtype));
        switch (record)
        {
            case Bgp4mpMessageRecord message:
                WritePeers(writer, message);
                if (message.Message is { } bgp)
                {
                    writer.WritePropertyName("message");
                    MessageJsonWriter.WriteMessage(writer, bgp, message.Context, message.MessageBytes.Count);
                }
                else
                {
                    writer.WritePropertyName("error");
                    MessageJsonWriter.WriteError(writer, message.MessageError!);
                    writer.WriteString("message_hex", Convert.ToHexStringLower(message.MessageBytes.AsSpan()));
                }

                break;
            case Bgp4mpStateChangeRecord change:
                WritePeers(writer, change);
                writer.WriteString("old_state", MrtNames.State(change.OldState));
                writer.WriteString("new_state", MrtNames.State(change.NewState));
                break;
            case PeerIndexTableRecord table:
                writer.WriteString("collector_bgp_id", table.CollectorBgpId.ToString());
                writer.WriteString("view_name", table.ViewName);
                writer.WriteStartArray("peers");
                for (var i = 0; i < table.Peers.Count; i++)
                {
                    var peer = table.Peers[i];
                    writer.WriteStartObject();
                    writer.WriteNumber("index", i);
                    writer.WriteString("bgp_id", peer.PeerBgpId.ToString());
                    writer.WriteString("address", peer.PeerAddress.ToString());
                    writer.WriteNumber("asn", peer.PeerAs);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case RibRecord rib:
                writer.WriteString("family", rib.Family.ToString());
                writer.WriteNumber("sequence", rib.SequenceNumber);
                writer.WriteString("prefix", rib.Prefix.ToString());
                writer.WriteStartArray("entries");
                foreach (var entry in rib.Entries)
                {
                    WriteRibEntry(writer, entry, peers);
                }

                writer.WriteEndArray();
                break;
            case RibGenericRecord generic:
                writer.WriteString("family", generic.Family.ToString());
                writer.WriteNumber("sequence", generic.SequenceNumber);
                writer.WriteString("body", Convert.ToHexStringLower(generic.Body.AsSpan()));
                break;
            case UnknownMrtRecord unknown:
                writer.WriteString("body", Convert.ToHexStringLower(unknown.Body.AsSpan()));
                break;
            case MalformedMrtRecord malformed:
                writer.WriteString("malformed", malformed.Reason);
                writer.WriteString("hex", Convert.ToHexStringLower(malformed.Bytes.AsSpan()));
                break;
        }

        writer.WriteEndObject();
    }

    private static void WritePeers(Utf8JsonWriter writer, Bgp4mpRecord record)
    {
        writer.WriteString("peer_address", record.PeerAddress.ToString());
        writer.WriteNumber("peer_as", record.PeerAs);
        writer.WriteString("local_address", record.LocalAddress.ToString());
        writer.WriteNumber("local_as", record.LocalAs);
        writer.WriteNumber("interface_index", record.InterfaceIndex);
    }

    private static void WriteRibEntry(Utf8JsonWriter writer, RibEntry entry, PeerIndexTableRecord? peers)
    {
        writer.WriteStartObject();
        writer.WriteNumber("peer_index", entry.PeerIndex);
        if (peers is not null && peers.TryGetPeer(entry.PeerIndex, out var peer))
        {
            writer.WriteString("peer_address", peer.PeerAddress.ToString());
            writer.WriteNumber("peer_as", peer.PeerAs);
        }

        writer.WriteString("originated", MrtNames.Time(entry.OriginatedTime));
        writer.WriteNumber("path_id", entry.PathId);
        if (entry.Error is { } error)
        {
            writer.WritePropertyName("error");
            MessageJsonWriter.WriteError(writer, error);
            writer.WriteString("attributes_hex", Convert.ToHexStringLower(entry.RawAttributes.AsSpan()));
            writer.WriteEndObject();
            return;
        }

        writer.WritePropertyName("attributes");
        MessageJsonWriter.WriteAttributes(writer, entry.Attributes);
        if (entry.MpReach is { } reach)
        {
            if (reach.NextHop.Count is 4 or 16 or 32)
            {
                writer.WriteString("mp_next_hop", reach.NextHopAddress!.ToString());
                if (reach.LinkLocalNextHop is { } linkLocal)
                {
                    writer.WriteString("mp_link_local_next_hop", linkLocal.ToString());
                }
            }
            else
            {
                writer.WriteString("mp_next_hop_hex", Convert.ToHexStringLower(reach.NextHop.AsSpan()));
            }
        }

        if (!entry.AttributeErrors.IsEmpty)
        {
            writer.WriteStartArray("attribute_errors");
            foreach (var attributeError in entry.AttributeErrors)
            {
                writer.WriteStartObject();
                writer.WriteString("action", AttributeError.ActionName(attributeError.Action));
                writer.WriteNumber("attribute_type", attributeError.AttributeType);
                writer.WritePropertyName("error");
                MessageJsonWriter.WriteError(writer, attributeError.Error);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
