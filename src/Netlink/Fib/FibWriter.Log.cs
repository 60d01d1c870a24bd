using Microsoft.Extensions.Logging;

namespace BgpStack.Netlink.Fib;

// The writer's structured logs; the type is documented in FibWriter.cs.
public sealed partial class FibWriter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "FIB table {Table}: the kernel refused to {Operation} {Prefix} (attempt {Attempt}, retry in {RetryAfter}): {Error}")]
    private static partial void LogRouteRefused(ILogger logger, uint table, Routes.RouteOperation operation, Rib.IpPrefix prefix, int attempt, TimeSpan retryAfter, NetlinkError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIB table {Table}: resync failed, trying again in {RetryAfter}: {Error}")]
    private static partial void LogResyncFailed(ILogger logger, uint table, TimeSpan retryAfter, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "FIB table {Table}: resync took {Duration}: {Stale} stale routes deleted, {Missing} missing or altered routes sent")]
    private static partial void LogResynced(ILogger logger, uint table, TimeSpan duration, int stale, int missing);

    [LoggerMessage(Level = LogLevel.Information, Message = "FIB table {Table}: no nexthop object for {NextHop}, its routes carry the next hop themselves: {Error}")]
    private static partial void LogNextHopObjectRefused(ILogger logger, uint table, System.Net.IPAddress? nextHop, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "FIB table {Table}: {Routes} withdrawn routes removed with nexthop object {Id}")]
    private static partial void LogNextHopObjectDeleted(ILogger logger, uint table, int routes, uint id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIB table {Table}: could not delete nexthop object {Id}: {Error}")]
    private static partial void LogNextHopObjectDeleteFailed(ILogger logger, uint table, uint id, NetlinkError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIB table {Table}: failed to delete stale route {Prefix}: {Error}")]
    private static partial void LogStaleDeleteFailed(ILogger logger, uint table, Rib.IpPrefix prefix, NetlinkError error);
}
