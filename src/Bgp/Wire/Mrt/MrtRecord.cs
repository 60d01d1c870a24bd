using System.Buffers.Binary;

namespace BgpStack.Bgp.Wire.Mrt;

/// <summary>
/// One MRT record (RFC 6396): its timestamp, type and subtype, and what its body says. Records are
/// immutable and compare by value; they hold copies of what they need, never the reader's buffer.
/// </summary>
public abstract record MrtRecord
{
    private protected MrtRecord(DateTimeOffset timestamp, MrtType type, ushort subtype)
    {
        Timestamp = timestamp;
        Type = type;
        Subtype = subtype;
    }

    /// <summary>When the record was written, to the microsecond for the _ET types (RFC 6396 §3).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The record type.</summary>
    public MrtType Type { get; }

    /// <summary>The record subtype, whose meaning depends on <see cref="Type"/>.</summary>
    public ushort Subtype { get; }

    /// <summary>
    /// Decodes one whole record (common header included, nothing after it). Never throws on
    /// malformed input: content that does not parse yields a <see cref="MalformedMrtRecord"/>, and
    /// a type or subtype this reader does not interpret an <see cref="UnknownMrtRecord"/>.
    /// </summary>
    /// <param name="record">The record octets.</param>
    public static MrtRecord Decode(ReadOnlySpan<byte> record)
    {
        if (!MrtHeader.TryRead(record, out var header))
        {
            return new MalformedMrtRecord(default, $"{record.Length} octets is shorter than the {MrtHeader.Size}-octet MRT header", record);
        }

        var available = (uint)(record.Length - MrtHeader.Size);
        if (available < header.Length)
        {
            return new MalformedMrtRecord(header, $"the header says {header.Length} octets follow but only {available} do", record);
        }

        if (available > header.Length)
        {
            return new MalformedMrtRecord(header, $"{available - header.Length} octets follow the {header.Length}-octet record", record);
        }

        return DecodeBody(header, record);
    }

    /// <summary>Decodes a record whose length has been checked against its header.</summary>
    internal static MrtRecord DecodeBody(MrtHeader header, ReadOnlySpan<byte> record)
    {
        var body = record[MrtHeader.Size..];
        var timestamp = header.Timestamp;
        if (header.HasMicroseconds)
        {
            // RFC 6396 §3: the _ET types carry microseconds in the first 4 octets of the body.
            if (!BinaryPrimitives.TryReadUInt32BigEndian(body, out var microseconds))
            {
                return new MalformedMrtRecord(header, $"an extended-timestamp record of {body.Length} octets has no microsecond field", record);
            }

            timestamp = timestamp.AddTicks(microseconds * (long)TimeSpan.TicksPerMicrosecond);
            body = body[4..];
        }

        return header.Type switch
        {
            MrtType.Bgp4mp or MrtType.Bgp4mpEt => Bgp4mpDecoder.Decode(header, timestamp, body, record),
            MrtType.TableDumpV2 => TableDumpV2Decoder.Decode(header, timestamp, body, record),
            _ => new UnknownMrtRecord(timestamp, header.Type, header.Subtype, body),
        };
    }
}

/// <summary>A record of a type or subtype this reader does not interpret, kept as its raw body. Not an error.</summary>
public sealed record UnknownMrtRecord : MrtRecord
{
    /// <summary>Creates the record.</summary>
    /// <param name="timestamp">When it was written.</param>
    /// <param name="type">The type.</param>
    /// <param name="subtype">The subtype.</param>
    /// <param name="body">The body after the common header (after the microsecond field for _ET types).</param>
    public UnknownMrtRecord(DateTimeOffset timestamp, MrtType type, ushort subtype, ReadOnlySpan<byte> body)
        : base(timestamp, type, subtype)
    {
        Body = EquatableArray.Create(body);
    }

    /// <summary>The body after the common header (after the microsecond field for _ET types).</summary>
    public EquatableArray<byte> Body { get; }

    /// <inheritdoc/>
    public override string ToString() => $"MRT {Timestamp:O} type {(ushort)Type} subtype {Subtype} ({Body.Count} octets)";
}

/// <summary>
/// A record whose content does not parse: its header, what was wrong, and the octets as read
/// (header included). A record whose header is itself cut short has a zero type and subtype and the
/// Unix epoch as timestamp.
/// </summary>
public sealed record MalformedMrtRecord : MrtRecord
{
    /// <summary>Creates the record.</summary>
    /// <param name="header">The common header as read.</param>
    /// <param name="reason">What was wrong.</param>
    /// <param name="bytes">The record octets as read, header included.</param>
    public MalformedMrtRecord(MrtHeader header, string reason, ReadOnlySpan<byte> bytes)
        : base(header.Timestamp, header.Type, header.Subtype)
    {
        Header = header;
        Reason = reason;
        Bytes = EquatableArray.Create(bytes);
    }

    /// <summary>The common header as read (all zero when fewer than 12 octets were there).</summary>
    public MrtHeader Header { get; }

    /// <summary>What was wrong, for logs and CLIs.</summary>
    public string Reason { get; }

    /// <summary>The record octets as read, header included (possibly only part of the record).</summary>
    public EquatableArray<byte> Bytes { get; }

    /// <inheritdoc/>
    public override string ToString() => $"MRT {Timestamp:O} type {(ushort)Type} subtype {Subtype} malformed: {Reason}";
}
