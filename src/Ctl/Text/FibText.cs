using System.Globalization;
using BgpStack.Control;

namespace BgpStack.Ctl.Text;

/// <summary>
/// The text form of <c>fib</c>: our routes in the kernel table (as <c>ip route show proto
/// bgpstack</c> would list them), then any difference from the RIB's selected routes.
/// </summary>
internal static class FibText
{
    /// <summary>Writes the kernel routes and the differences.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="fib">The daemon's answer.</param>
    public static void Write(TextWriter writer, FibResult fib)
    {
        var count = fib.Installed.Length == 1 ? "1 route" : string.Create(CultureInfo.InvariantCulture, $"{fib.Installed.Length} routes");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Kernel table {fib.Table}, proto bgpstack: {count}"));
        foreach (var route in fib.Installed)
        {
            writer.WriteLine("  " + Describe(route));
        }

        var clean = fib.Missing.IsDefaultOrEmpty && fib.Extra.IsDefaultOrEmpty && fib.Different.IsDefaultOrEmpty;
        if (clean)
        {
            writer.WriteLine("The kernel holds exactly the RIB's selected routes.");
        }
        else
        {
            Section(writer, "Selected in the RIB, missing from the kernel:", fib.Missing);
            Section(writer, "In the kernel, not selected in the RIB:", fib.Extra);
            Section(writer, "Different in the kernel; the RIB selects:", fib.Different);
        }

        if (fib.Pending > 0 || fib.Failed > 0)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fib.Pending} prefixes wait for a retry; the kernel refused {fib.Failed} requests since start."));
        }
    }

    /// <summary>One route as <c>ip route</c> shows it: <c>10.0.0.0/24 via 198.18.0.2 metric 20</c>, ECMP next hops as <c>nexthop via</c> each.</summary>
    /// <param name="route">The route.</param>
    public static string Describe(FibRouteDto route)
    {
        var text = route.Type == "unicast" ? route.Prefix : $"{route.Type} {route.Prefix}";
        text += route.NextHops.Length switch
        {
            0 => string.Empty,
            1 => $" via {route.NextHops[0]}",
            _ => string.Concat(route.NextHops.Select(h => $" nexthop via {h}")),
        };
        return route.Metric is { } metric ? string.Create(CultureInfo.InvariantCulture, $"{text} metric {metric}") : text;
    }

    private static void Section(TextWriter writer, string title, System.Collections.Immutable.ImmutableArray<FibRouteDto> routes)
    {
        if (routes.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WriteLine(title);
        foreach (var route in routes)
        {
            writer.WriteLine("  " + Describe(route));
        }
    }
}
