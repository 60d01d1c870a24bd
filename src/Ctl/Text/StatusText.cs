using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BgpStack.Control;

namespace BgpStack.Ctl.Text;

/// <summary>
/// The text form of <c>status</c>, laid out like <c>calicoctl node status</c>: one boxed table per
/// address family of the peers (IPv4 peers, then IPv6 peers) with the columns PEER ADDRESS, PEER
/// TYPE, STATE, SINCE and INFO. STATE follows BIRD's protocol states as Calico shows them:
/// <c>up</c> when the session is Established, <c>start</c> otherwise. SINCE is the UTC time of day
/// when the state began today, its date otherwise. PEER TYPE is <c>ebgp</c>, <c>ibgp</c> or
/// <c>rr client</c> (an iBGP peer that is our route reflector client), prefixed with
/// <c>dynamic</c> for a peer from a dynamic neighbour range.
/// </summary>
internal static class StatusText
{
    /// <summary>The widest a cell's text gets before it is wrapped at word boundaries (calicoctl's table writer wraps at 30).</summary>
    public const int MaxCellWidth = 30;

    private static readonly string[] Headers = ["PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO"];

    /// <summary>Writes the status.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="status">The daemon's answer.</param>
    /// <param name="now">The current time, which decides whether SINCE shows a time or a date.</param>
    public static void Write(TextWriter writer, StatusResult status, DateTimeOffset now)
    {
        writer.WriteLine("bgpstackd is running.");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Router ID {status.RouterId}, AS {status.LocalAs}, version {status.Version}, started {FormatTimestamp(status.Started)}."));
        WriteFamily(writer, "IPv4", [.. status.Peers.Where(p => !IsIPv6(p.Address))], now);
        writer.WriteLine();
        WriteFamily(writer, "IPv6", [.. status.Peers.Where(p => IsIPv6(p.Address))], now);
    }

    /// <summary>The STATE column as BIRD names protocol states: <c>down</c> when administratively down, <c>up</c> when Established, <c>start</c> otherwise.</summary>
    /// <param name="state">The RFC 4271 state name.</param>
    /// <param name="shutdown">True when the peer is administratively down.</param>
    public static string ProtocolState(string state, bool shutdown = false) => shutdown ? "down" : state == "Established" ? "up" : "start";

    /// <summary>The PEER TYPE column.</summary>
    /// <param name="peer">The peer.</param>
    public static string PeerType(PeerStatusDto peer)
    {
        var type = peer.Type switch
        {
            "external" => "ebgp",
            "internal" => "ibgp",
            "rr-client" => "rr client",
            var other => other,
        };
        return peer.Dynamic ? "dynamic " + type : type;
    }

    /// <summary>The SINCE column: UTC <c>HH:mm:ss</c> on the day of <paramref name="now"/>, <c>yyyy-MM-dd</c> before it.</summary>
    /// <param name="since">When the state began.</param>
    /// <param name="now">The current time.</param>
    public static string Since(DateTimeOffset since, DateTimeOffset now)
    {
        var utc = since.ToUniversalTime();
        return utc.Date == now.ToUniversalTime().Date
            ? utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters; a longer word keeps a line to itself.</summary>
    /// <param name="text">The text.</param>
    /// <param name="width">The widest line.</param>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        lines.Add(line.ToString());
        return lines;
    }

    private static string FormatTimestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static bool IsIPv6(string address) =>
        IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6;

    private static void WriteFamily(TextWriter writer, string family, List<PeerStatusDto> peers, DateTimeOffset now)
    {
        writer.WriteLine($"{family} BGP status");
        if (peers.Count == 0)
        {
            writer.WriteLine($"No {family} peers found.");
            return;
        }

        peers.Sort((a, b) => CompareAddresses(a.Address, b.Address));
        var rows = peers.Select(p => new[] { p.Address, PeerType(p), ProtocolState(p.State, p.Shutdown), Since(p.Since, now), p.Info }).ToList();

        // A column is as wide as its widest cell, capped where cells wrap (as calicoctl's writer does).
        var widths = new int[Headers.Length];
        for (var column = 0; column < Headers.Length; column++)
        {
            widths[column] = Headers[column].Length;
            foreach (var row in rows)
            {
                widths[column] = Math.Max(widths[column], Math.Min(row[column].Length, MaxCellWidth));
            }
        }

        var cells = rows.Select(row => row.Select((text, column) => Wrap(text, MaxCellWidth)).ToArray()).ToList();
        foreach (var row in cells)
        {
            for (var column = 0; column < Headers.Length; column++)
            {
                widths[column] = Math.Max(widths[column], row[column].Max(l => l.Length));
            }
        }

        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        writer.WriteLine(rule);
        writer.WriteLine("|" + string.Join("|", Headers.Select((h, column) => Center(h, widths[column] + 2))) + "|");
        writer.WriteLine(rule);
        foreach (var row in cells)
        {
            var height = row.Max(c => c.Count);
            for (var line = 0; line < height; line++)
            {
                writer.WriteLine("|" + string.Join("|", row.Select((c, column) => " " + (line < c.Count ? c[line] : string.Empty).PadRight(widths[column]) + " ")) + "|");
            }
        }

        writer.WriteLine(rule);
    }

    private static string Center(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }

    private static int CompareAddresses(string a, string b)
    {
        if (IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y))
        {
            var bytesX = x.GetAddressBytes();
            var bytesY = y.GetAddressBytes();
            var byLength = bytesX.Length.CompareTo(bytesY.Length);
            return byLength != 0 ? byLength : bytesX.AsSpan().SequenceCompareTo(bytesY);
        }

        return string.CompareOrdinal(a, b);
    }
}
