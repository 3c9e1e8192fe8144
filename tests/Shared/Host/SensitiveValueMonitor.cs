using System.Collections.Concurrent;
using System.Text.Json;
using System.Web;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DataVault.Testing;

/// <summary>
/// Promise 3, checked in every test: remembers each personal value, secret and token the test sent
/// (field values, evidence, looked-up e-mails and phones, client secrets, access tokens) and, when
/// the application is disposed, fails if any of them appears in a log line or an audit entry.
/// </summary>
internal sealed class SensitiveValueMonitor : ILoggerProvider
{
    private const int MinimumLength = 6;
    private readonly ConcurrentDictionary<string, byte> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every log line so far: category, message and structured values.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public void Remember(string? value)
    {
        if (value is { Length: >= MinimumLength })
        {
            _values.TryAdd(value, 0);
        }
    }

    public void RememberRequest(HttpRequestMessage request, string? body)
    {
        Remember(request.Headers.Authorization?.Parameter);
        var query = HttpUtility.ParseQueryString(request.RequestUri?.Query ?? string.Empty);
        Remember(query["email"]);
        Remember(query["phone"]);
        if (body is null || request.Content?.Headers.ContentType?.MediaType != "application/json")
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("fields") || property.NameEquals("evidence"))
                {
                    Collect(property.Value);
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Malformed bodies are the point of some tests; they were refused before anything was stored.
        }
    }

    public void AssertNothingLeaked(string auditDatabasePath)
    {
        var haystacks = _lines.ToList();
        if (File.Exists(auditDatabasePath))
        {
            using var connection = new SqliteConnection($"Data Source={auditDatabasePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT actor_id || '|' || action || '|' || COALESCE(subject_id, '') || '|' || COALESCE(purpose_id, '') || '|' || COALESCE(fields, '') || '|' || COALESCE(withheld, '') || '|' || COALESCE(trace_id, '') FROM audit_entries;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                haystacks.Add(reader.GetString(0));
            }
        }

        var leaks = _values.Keys
            .SelectMany(value => haystacks.Where(h => h.Contains(value, StringComparison.Ordinal)).Select(h => $"'{value}' in: {h}"))
            .ToList();
        Assert.True(leaks.Count == 0, "Personal values, secrets or tokens leaked into logs or the audit trail:" + Environment.NewLine + string.Join(Environment.NewLine, leaks));
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private void Collect(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Remember(element.GetString());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value);
                }

                break;
            default:
                break;
        }
    }

    private sealed class LineLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{category} {formatter(state, exception)} {structured} {exception}");
        }
    }
}

/// <summary>Hands every request to the monitor before sending it.</summary>
internal sealed class RecordingHandler(SensitiveValueMonitor monitor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        monitor.RememberRequest(request, body);
        return await base.SendAsync(request, cancellationToken);
    }
}
