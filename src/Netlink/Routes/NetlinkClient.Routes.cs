using System.Globalization;
using BgpStack.Netlink.Protocol;
using BgpStack.Netlink.Routes;

namespace BgpStack.Netlink;

// Routes of the rtnetlink client; the type is documented in NetlinkClient.cs.
public sealed partial class NetlinkClient
{
    /// <summary>Adds a route; fails with EEXIST when it exists.</summary>
    /// <param name="route">The route.</param>
    public void AddRoute(Route route) => ThrowFirst(ApplyRoutes([new RouteRequest(RouteOperation.Add, route)]));

    /// <summary>Adds or replaces a route in one step, so it never goes missing.</summary>
    /// <param name="route">The route.</param>
    public void ReplaceRoute(Route route) => ThrowFirst(ApplyRoutes([new RouteRequest(RouteOperation.Replace, route)]));

    /// <summary>Deletes a route, matched by destination, table, type, protocol and metric (not by next hops).</summary>
    /// <param name="route">The route.</param>
    public void DeleteRoute(Route route) => ThrowFirst(ApplyRoutes([new RouteRequest(RouteOperation.Delete, route)]));

    /// <summary>
    /// Sends many route changes in as few sendmsg calls as possible, each with its own ACK.
    /// The kernel applies every request it accepts; the result says, per request, whether it failed.
    /// </summary>
    /// <param name="requests">The changes.</param>
    /// <returns>Per request, in order: null when applied, else the kernel's error for that request.</returns>
    public IReadOnlyList<NetlinkError?> ApplyRoutes(IReadOnlyList<RouteRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var batch = Begin();
        foreach (var request in requests)
        {
            var (type, flags) = request.Operation switch
            {
                RouteOperation.Add => (Rtnl.RTM_NEWROUTE, (ushort)(Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)),
                RouteOperation.Replace => (Rtnl.RTM_NEWROUTE, (ushort)(Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE)),
                _ => (Rtnl.RTM_DELROUTE, (ushort)0),
            };
            RouteCodec.Write(batch, type, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags), socket.NextSequence(), request.Route);
        }

        return socket.Acknowledge(batch, i => Describe(requests[i]));
    }

    /// <summary>Dumps routes matching the filter (the kernel filters with strict checking; the client checks again).</summary>
    /// <param name="filter">The filter, or null for every IPv4 and IPv6 route.</param>
    public IReadOnlyList<Route> GetRoutes(RouteFilter? filter = null)
    {
        filter ??= new RouteFilter();
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, socket.NextSequence());
        var rtm = request.AppendStruct(Rtnl.RtMsgLength);
        rtm[0] = AddressBytes.Family(filter.Family);
        rtm[4] = filter.Table is { } t && t < 256 ? (byte)t : (byte)0;
        rtm[5] = filter.Protocol ?? 0;
        rtm[7] = (byte)(filter.Type ?? 0);
        if (filter.Table is { } table)
        {
            request.AddUInt32(Rtnl.RTA_TABLE, table);
        }

        request.EndMessage();
        var routes = socket.Dump<Route>(request, RouteCodec.TryParse, "dump routes");
        routes.RemoveAll(r => (filter.Table is { } tb && r.Table != tb)
            || (filter.Protocol is { } p && r.Protocol != p)
            || (filter.Type is { } ty && r.Type != ty));
        return routes;
    }

    /// <summary>
    /// The interface the kernel sends packets for <paramref name="destination"/> out of (RTM_GETROUTE),
    /// or null when it has no route there or the route leaves through no interface.
    /// </summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    public int? GetOutputInterface(System.Net.IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var request = Begin();
        request.BeginMessage(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST, socket.NextSequence());
        var rtm = request.AppendStruct(Rtnl.RtMsgLength);
        rtm[0] = AddressBytes.Family(destination);
        rtm[1] = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? (byte)128 : (byte)32;
        AddressBytes.Add(request, Rtnl.RTA_DST, destination);
        request.EndMessage();

        // ENETUNREACH (101): no route to it.
        var route = socket.Get<Route>(request, RouteCodec.TryParse, 101, $"get route to {destination}");
        return route is { Type: RouteType.Unicast, NextHops: [{ InterfaceIndex: > 0 } hop] } ? hop.InterfaceIndex : null;
    }

    private static void ThrowFirst(IReadOnlyList<NetlinkError?> results)
    {
        if (results[0] is { } error)
        {
            throw new NetlinkException(error);
        }
    }

    private static string Describe(RouteRequest request)
    {
        var route = request.Route;
        var via = route.NextHopId is { } id
            ? $" nhid {id}"
            : string.Concat(route.NextHops.Select(h => (h.Gateway is null ? string.Empty : $" via {h.Gateway}") + (h.InterfaceIndex != 0 ? $" dev #{h.InterfaceIndex}" : string.Empty)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Operation.ToString().ToLowerInvariant()} route {route.Type.ToString().ToLowerInvariant()} {route.Destination}{via} table {route.Table}");
    }
}
