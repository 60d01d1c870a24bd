using System.Diagnostics;

namespace BgpStack.Integration.Tests.Harness;

/// <summary>Bounded polling: every wait has a time limit and says what it waited for when it fails.</summary>
public static class Wait
{
    /// <summary>The default poll interval.</summary>
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; then
    /// throws a <see cref="TimeoutException"/> with <paramref name="what"/>, the last exception the
    /// condition threw, and <paramref name="diagnostics"/> (peer logs and CLI output).
    /// </summary>
    /// <param name="what">What was awaited, for the failure message.</param>
    /// <param name="timeout">The time limit.</param>
    /// <param name="condition">The condition; an exception counts as "not yet".</param>
    /// <param name="diagnostics">Produces the context shown on failure.</param>
    /// <param name="poll">The poll interval.</param>
    /// <returns>The time it took.</returns>
    public static TimeSpan Until(string what, TimeSpan timeout, Func<bool> condition, Func<string>? diagnostics = null, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        var interval = poll ?? DefaultPoll;
        var limit = (int)Math.Ceiling(timeout / (interval > TimeSpan.Zero ? interval : DefaultPoll)) + 1;
        for (var attempt = 0; attempt < limit && clock.Elapsed <= timeout; attempt++)
        {
            try
            {
                if (condition())
                {
                    return clock.Elapsed;
                }

                last = null;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or FormatException or IOException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                last = e;
            }

            Thread.Sleep(interval);
        }

        var message = $"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.";
        if (last is not null)
        {
            message += $"\nLast error: {last.Message}";
        }

        if (diagnostics is not null)
        {
            message += "\n" + diagnostics();
        }

        throw new TimeoutException(message);
    }

    /// <summary>Asserts that <paramref name="condition"/> holds at every poll during <paramref name="duration"/>.</summary>
    /// <param name="what">What must keep holding, for the failure message.</param>
    /// <param name="duration">How long to watch.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="diagnostics">Produces the context shown on failure.</param>
    /// <param name="poll">The poll interval.</param>
    public static void During(string what, TimeSpan duration, Func<bool> condition, Func<string>? diagnostics = null, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        var interval = poll ?? DefaultPoll;
        while (clock.Elapsed < duration)
        {
            if (!condition())
            {
                throw new InvalidOperationException($"{what} stopped holding after {clock.Elapsed.TotalSeconds:F1} s.\n{diagnostics?.Invoke()}");
            }

            Thread.Sleep(interval);
        }
    }
}
