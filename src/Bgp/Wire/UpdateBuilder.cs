using System.Buffers;
using System.Runtime.InteropServices;

namespace BgpStack.Bgp.Wire;

/// <summary>
/// What to send for one address family with one set of path attributes: routes to announce and
/// routes to withdraw. IPv4 unicast travels in the classic NLRI and Withdrawn Routes fields unless
/// <see cref="Ipv4ViaMpReach"/>; every other family travels in MP_REACH_NLRI / MP_UNREACH_NLRI
/// (RFC 4760) with <see cref="MpNextHop"/>.
/// </summary>
public sealed record UpdateRequest
{
    /// <summary>The address family.</summary>
    public AfiSafi Family { get; init; } = AfiSafi.Ipv4Unicast;

    /// <summary>The path attributes of the announced routes (not sent with withdrawals alone).</summary>
    public PathAttributes Attributes { get; init; } = PathAttributes.Empty;

    /// <summary>The MP_REACH_NLRI next-hop field (4, 16 or 32 octets for the unicast families), when the routes travel in MP_REACH_NLRI.</summary>
    public EquatableArray<byte> MpNextHop { get; init; }

    /// <summary>Send IPv4 unicast routes in MP_REACH_NLRI / MP_UNREACH_NLRI rather than the classic fields.</summary>
    public bool Ipv4ViaMpReach { get; init; }

    /// <summary>IPv4 or IPv6 unicast routes to announce.</summary>
    public IReadOnlyList<Nlri> Announce { get; init; } = [];

    /// <summary>IPv4 or IPv6 unicast routes to withdraw.</summary>
    public IReadOnlyList<Nlri> Withdraw { get; init; } = [];

    /// <summary>For families this codec keeps raw: each route's NLRI encoding, to announce.</summary>
    public IReadOnlyList<EquatableArray<byte>> RawAnnounce { get; init; } = [];

    /// <summary>For families this codec keeps raw: each route's NLRI encoding, to withdraw.</summary>
    public IReadOnlyList<EquatableArray<byte>> RawWithdraw { get; init; } = [];

    /// <summary>True when the routes travel in the classic IPv4 fields.</summary>
    internal bool UsesClassicFields => Family == AfiSafi.Ipv4Unicast && !Ipv4ViaMpReach;
}

/// <summary>
/// Packs routes into as few UPDATE messages as the negotiated maximum message size allows
/// (RFC 4271 §4.3, RFC 8654): withdrawals first, then announcements sharing the last message with
/// them, each message filled before the next is started. Routes are sent in the order given; a
/// route both withdrawn and announced in one request ends up announced.
/// </summary>
public sealed class UpdateBuilder
{
    /// <summary>Creates a builder for one direction of a session.</summary>
    /// <param name="context">The negotiated context (AS size, ADD-PATH, maximum message size).</param>
    public UpdateBuilder(CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    /// <summary>The context messages are built for.</summary>
    public CodecContext Context { get; }

    /// <summary>Builds the UPDATE messages for <paramref name="request"/>.</summary>
    /// <param name="request">The routes and attributes.</param>
    /// <returns>The messages, each no larger than <see cref="CodecContext.MaxMessageLength"/>; none when there is nothing to send.</returns>
    /// <exception cref="MessageTooLargeException">The attributes with a single route do not fit in a message.</exception>
    public IReadOnlyList<UpdateMessage> Build(UpdateRequest request)
    {
        var plan = Plan(request, out _);
        var messages = new UpdateMessage[plan.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = ToMessage(request, plan[i]);
        }

        return messages;
    }

    /// <summary>Encodes the UPDATE messages for <paramref name="request"/> straight into <paramref name="writer"/>, header and all.</summary>
    /// <param name="request">The routes and attributes.</param>
    /// <param name="writer">The destination.</param>
    /// <returns>The number of messages written.</returns>
    /// <exception cref="MessageTooLargeException">The attributes with a single route do not fit in a message.</exception>
    public int WriteTo(UpdateRequest request, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var plan = Plan(request, out var attributeBytes);
        var max = Context.MaxMessageLength;
        foreach (var chunk in plan)
        {
            var span = writer.GetSpan(max)[..max];
            var w = new SpanWriter(span);
            w.Reserve(BgpHeader.Size);
            WriteBody(ref w, request, chunk, attributeBytes);
            BgpHeader.Write(span, w.Position, BgpMessageType.Update);
            writer.Advance(w.Position);
        }

        return plan.Count;
    }

    private readonly record struct Chunk(int WithdrawStart, int WithdrawCount, int AnnounceStart, int AnnounceCount);

    private List<Chunk> Plan(UpdateRequest request, out byte[] attributeBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        var classic = request.UsesClassicFields;
        var raw = !request.Family.IsUnicastIp;
        var addPath = Context.HasAddPath(request.Family);
        attributeBytes = EncodeAttributes(request.Attributes);
        var attributeSize = attributeBytes.Length;
        var nextHopSize = request.MpNextHop.Count;
        var max = Context.MaxMessageLength;

        // The octets of one message holding wBytes of withdrawals and aBytes of announcements.
        int Size(int wBytes, bool hasW, int aBytes, bool hasA)
        {
            var size = UpdateCodec.FixedOverhead;
            if (classic)
            {
                return size + wBytes + (hasA ? attributeSize + aBytes : 0);
            }

            if (hasW)
            {
                size += MpSize(3 + wBytes);
            }

            if (hasA)
            {
                size += attributeSize + MpSize(5 + nextHopSize + aBytes);
            }

            return size;
        }

        var withdrawCount = raw ? request.RawWithdraw.Count : request.Withdraw.Count;
        var announceCount = raw ? request.RawAnnounce.Count : request.Announce.Count;
        var plan = new List<Chunk>();
        int wStart = 0, wCount = 0, wBytes = 0;
        for (var i = 0; i < withdrawCount; i++)
        {
            var s = raw ? request.RawWithdraw[i].Count : NlriWriter.Size(request.Withdraw[i], addPath);
            if (Size(wBytes + s, true, 0, false) > max)
            {
                if (wCount == 0)
                {
                    throw new MessageTooLargeException($"A withdrawn route of {s} octets does not fit in a {max}-octet message.");
                }

                plan.Add(new Chunk(wStart, wCount, 0, 0));
                (wStart, wCount, wBytes) = (i, 0, 0);
            }

            wCount++;
            wBytes += s;
        }

        int aStart = 0, aCount = 0, aBytes = 0;
        for (var i = 0; i < announceCount; i++)
        {
            var s = raw ? request.RawAnnounce[i].Count : NlriWriter.Size(request.Announce[i], addPath);
            if (Size(wBytes, wCount > 0, aBytes + s, true) > max)
            {
                if (wCount == 0 && aCount == 0)
                {
                    throw new MessageTooLargeException($"The path attributes ({attributeSize} octets) and one route do not fit in a {max}-octet message.");
                }

                plan.Add(new Chunk(wStart, wCount, aStart, aCount));
                (wStart, wCount, wBytes) = (wStart + wCount, 0, 0);
                (aStart, aCount, aBytes) = (i, 0, 0);
            }

            aCount++;
            aBytes += s;
        }

        if (wCount > 0 || aCount > 0)
        {
            plan.Add(new Chunk(wStart, wCount, aStart, aCount));
        }

        return plan;
    }

    private static int MpSize(int valueSize) => (valueSize > byte.MaxValue ? 4 : 3) + valueSize;

    private byte[] EncodeAttributes(PathAttributes attributes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CodecContext.ExtendedMaxMessageLength);
        try
        {
            var w = new SpanWriter(buffer.AsSpan(0, Context.MaxMessageLength));
            PathAttributeCodec.Encode(attributes, null, null, ref w, Context);
            return w.Written.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static UpdateMessage ToMessage(UpdateRequest request, Chunk chunk)
    {
        var hasA = chunk.AnnounceCount > 0;
        var attributes = hasA ? request.Attributes : PathAttributes.Empty;
        if (request.UsesClassicFields)
        {
            return new UpdateMessage
            {
                WithdrawnRoutes = Slice(request.Withdraw, chunk.WithdrawStart, chunk.WithdrawCount),
                Attributes = attributes,
                Nlri = Slice(request.Announce, chunk.AnnounceStart, chunk.AnnounceCount),
            };
        }

        MpReachNlri? reach = null;
        MpUnreachNlri? unreach = null;
        if (request.Family.IsUnicastIp)
        {
            if (hasA)
            {
                reach = new MpReachNlri(request.Family, request.MpNextHop, Slice(request.Announce, chunk.AnnounceStart, chunk.AnnounceCount));
            }

            if (chunk.WithdrawCount > 0)
            {
                unreach = new MpUnreachNlri(request.Family, Slice(request.Withdraw, chunk.WithdrawStart, chunk.WithdrawCount));
            }
        }
        else
        {
            if (hasA)
            {
                reach = new MpReachNlri(request.Family, request.MpNextHop, default) { RawNlri = Concat(request.RawAnnounce, chunk.AnnounceStart, chunk.AnnounceCount) };
            }

            if (chunk.WithdrawCount > 0)
            {
                unreach = new MpUnreachNlri(request.Family, default) { RawNlri = Concat(request.RawWithdraw, chunk.WithdrawStart, chunk.WithdrawCount) };
            }
        }

        return new UpdateMessage { Attributes = attributes, MpReach = reach, MpUnreach = unreach };
    }

    private void WriteBody(ref SpanWriter w, UpdateRequest request, Chunk chunk, byte[] attributeBytes)
    {
        var addPath = Context.HasAddPath(request.Family);
        var hasA = chunk.AnnounceCount > 0;
        var hasW = chunk.WithdrawCount > 0;
        if (request.UsesClassicFields)
        {
            var withdrawnAt = w.Reserve(2);
            for (var i = 0; i < chunk.WithdrawCount; i++)
            {
                NlriWriter.Write(ref w, request.Withdraw[chunk.WithdrawStart + i], addPath);
            }

            w.WriteUInt16At(withdrawnAt, (ushort)(w.Position - withdrawnAt - 2));
            w.WriteUInt16((ushort)(hasA ? attributeBytes.Length : 0));
            if (hasA)
            {
                w.WriteBytes(attributeBytes);
                for (var i = 0; i < chunk.AnnounceCount; i++)
                {
                    NlriWriter.Write(ref w, request.Announce[chunk.AnnounceStart + i], addPath);
                }
            }

            return;
        }

        var raw = !request.Family.IsUnicastIp;
        w.WriteUInt16(0);
        var attributesAt = w.Reserve(2);
        if (hasA)
        {
            var size = 5 + request.MpNextHop.Count + RangeSize(request.Announce, request.RawAnnounce, chunk.AnnounceStart, chunk.AnnounceCount, raw, addPath);
            WriteMpHeader(ref w, AttributeType.MpReachNlri, size);
            w.WriteUInt16((ushort)request.Family.Afi);
            w.WriteByte((byte)request.Family.Safi);
            w.WriteByte((byte)request.MpNextHop.Count);
            w.WriteBytes(request.MpNextHop.AsSpan());
            w.WriteByte(0);
            WriteRange(ref w, request.Announce, request.RawAnnounce, chunk.AnnounceStart, chunk.AnnounceCount, raw, addPath);
        }

        if (hasW)
        {
            var size = 3 + RangeSize(request.Withdraw, request.RawWithdraw, chunk.WithdrawStart, chunk.WithdrawCount, raw, addPath);
            WriteMpHeader(ref w, AttributeType.MpUnreachNlri, size);
            w.WriteUInt16((ushort)request.Family.Afi);
            w.WriteByte((byte)request.Family.Safi);
            WriteRange(ref w, request.Withdraw, request.RawWithdraw, chunk.WithdrawStart, chunk.WithdrawCount, raw, addPath);
        }

        if (hasA)
        {
            w.WriteBytes(attributeBytes);
        }

        w.WriteUInt16At(attributesAt, (ushort)(w.Position - attributesAt - 2));
    }

    private static void WriteMpHeader(ref SpanWriter w, AttributeType type, int size)
    {
        if (size > byte.MaxValue)
        {
            w.WriteByte((byte)(AttributeFlags.Optional | AttributeFlags.ExtendedLength));
            w.WriteByte((byte)type);
            w.WriteUInt16((ushort)size);
        }
        else
        {
            w.WriteByte((byte)AttributeFlags.Optional);
            w.WriteByte((byte)type);
            w.WriteByte((byte)size);
        }
    }

    private static int RangeSize(IReadOnlyList<Nlri> routes, IReadOnlyList<EquatableArray<byte>> rawRoutes, int start, int count, bool raw, bool addPath)
    {
        var size = 0;
        for (var i = start; i < start + count; i++)
        {
            size += raw ? rawRoutes[i].Count : NlriWriter.Size(routes[i], addPath);
        }

        return size;
    }

    private static void WriteRange(ref SpanWriter w, IReadOnlyList<Nlri> routes, IReadOnlyList<EquatableArray<byte>> rawRoutes, int start, int count, bool raw, bool addPath)
    {
        for (var i = start; i < start + count; i++)
        {
            if (raw)
            {
                w.WriteBytes(rawRoutes[i].AsSpan());
            }
            else
            {
                NlriWriter.Write(ref w, routes[i], addPath);
            }
        }
    }

    private static EquatableArray<Nlri> Slice(IReadOnlyList<Nlri> routes, int start, int count)
    {
        if (count == 0)
        {
            return default;
        }

        var items = new Nlri[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = routes[start + i];
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(items);
    }

    private static EquatableArray<byte> Concat(IReadOnlyList<EquatableArray<byte>> routes, int start, int count)
    {
        var size = 0;
        for (var i = start; i < start + count; i++)
        {
            size += routes[i].Count;
        }

        var bytes = new byte[size];
        var at = 0;
        for (var i = start; i < start + count; i++)
        {
            routes[i].AsSpan().CopyTo(bytes.AsSpan(at));
            at += routes[i].Count;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(bytes);
    }
}
