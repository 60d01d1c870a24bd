using System.Buffers;
using System.Net;
using BgpStack.Bgp.Wire;
using BgpStack.Rib;

// Announce a pod block from AS 65001: build the UPDATE, put it on the wire, read it back.
var update = new UpdateMessage
{
    Attributes = new PathAttributes
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001),
        NextHop = IPAddress.Parse("198.18.0.1"),
        Communities = [Community.Create(65001, 100), Community.NoExport],
    },
    Nlri = [new RouteKey(IpPrefix.Parse("10.244.1.0/26"))], // one NLRI entry: a prefix and its ADD-PATH id
};

var context = CodecContext.Default; // 4-octet AS, no ADD-PATH, 4096-octet messages
var wire = new ArrayBufferWriter<byte>();
update.Encode(wire, context);
Console.WriteLine($"{wire.WrittenCount} octets: {Convert.ToHexString(wire.WrittenSpan)}");

var decoded = BgpMessage.Decode(wire.WrittenSpan, context);
if (!decoded.TryGetValue(out var message, out var error))
{
    Console.WriteLine($"malformed: {error}");
    return 1;
}

Console.WriteLine(message);
return message == update ? 0 : 1;
