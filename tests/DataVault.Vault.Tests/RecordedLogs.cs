using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Tests;

/// <summary>Every log entry the vault's services write, with its exception, for tests that check what a failure logs.</summary>
internal sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(_entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new RecordedLog(eventId.Id, formatter(state, exception), exception));
    }
}

/// <param name="EventId">The message's event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
internal sealed record RecordedLog(int EventId, string Message, Exception? Exception)
{
    /// <summary>Everything of the entry a log sink could keep: the message and the exception with its inner ones.</summary>
    public string Text => $"{Message} {Exception}";
}
