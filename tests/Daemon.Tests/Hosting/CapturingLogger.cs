using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BgpStack.Daemon.Tests.Hosting;

/// <summary>Keeps every log line the daemon writes, for assertions.</summary>
internal sealed class CapturingLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public string Text => string.Join('\n', Lines.Select(l => $"{l.Level}: {l.Message}"));

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));

    /// <summary>Waits (bounded) until a line containing <paramref name="text"/> was logged.</summary>
    public async Task WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Lines.Any(l => l.Message.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never logged '{text}'; the log:\n{Text}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
    }
}
