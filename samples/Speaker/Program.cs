using System.Net;
using BgpStack.Bgp.Speaker;
using BgpStack.Rib;

// An embedded speaker in AS 65001 that peers with a top-of-rack switch and announces a pod block.
// Usage: dotnet run -- [PEER-ADDRESS] [PEER-AS] [SECONDS]
var peer = IPAddress.Parse(args.Length > 0 ? args[0] : "198.18.0.2");
var peerAs = args.Length > 1 ? uint.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 65000u;
var seconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30;

await using var speaker = new BgpSpeaker(new BgpSpeakerOptions
{
    RouterId = RouterId.Parse("198.18.0.1"),
    LocalAs = 65001,
    Listen = [], // active only: we dial the switch
    Peers = [new PeerOptions { Address = peer, RemoteAs = peerAs }],
});

var states = speaker.SubscribePeerStates();
await speaker.StartAsync();
await speaker.OriginateAsync(IpPrefix.Parse("10.244.1.0/26"), new PathAttributes
{
    Origin = Origin.Igp,
    AsPath = AsPath.Empty,
    Communities = [Community.Create(65001, 100)],
});

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
try
{
    await foreach (var status in states.ReadAllAsync(stop.Token))
    {
        Console.WriteLine($"{status.Address} AS {status.RemoteAs}: {status.State} ({status.Info})");
    }
}
catch (OperationCanceledException)
{
}

foreach (var route in await speaker.GetRoutesAsync())
{
    Console.WriteLine($"{route.Prefix} via {route.Best?.Attributes.NextHop?.ToString() ?? "us"} ({route.Reason})");
}
