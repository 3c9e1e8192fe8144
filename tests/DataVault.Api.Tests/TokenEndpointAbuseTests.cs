using System.Diagnostics.Metrics;
using System.Net;
using DataVault.Api.Tokens;
using DataVault.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>The token endpoint under attack: rate limits per address and per client id, failed attempts counted and summarised rather than written one by one.</summary>
public sealed class TokenEndpointAbuseTests
{
    [Fact]
    public async Task IssueToken_OverTheLimitOfARegisteredClient_Returns429WithRetryAfter()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["TokenService:TokenRequestsPerClientPerMinute"] = "2" });
        await app.RegisterClientAsync("crm-eu");
        await app.RegisterClientAsync("shop");
        using var http = app.CreateClient();

        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await http.SendAsync(DataVaultApplication.TokenRequest("crm-eu", "wrong"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);

        // Another client's allowance is its own.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(DataVaultApplication.TokenRequest("shop", "wrong"))).StatusCode);
    }

    [Fact]
    public async Task IssueToken_VaryingTheClientId_GetsNoAttemptsBeyondTheAddresss()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["TokenService:TokenRequestsPerAddressPerMinute"] = "3",
            ["TokenService:TokenRequestsPerClientPerMinute"] = "100",
        });
        await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var id in new[] { "guess-1", "guess-2", "crm-eu", "guess-3", "crm-eu" })
        {
            statuses.Add((await http.SendAsync(DataVaultApplication.TokenRequest(id, "wrong"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task FailedAnonymousAttempts_AreCountedAndSummarisedInOneEntryPerMinuteAndAddress()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 10, TimeSpan.Zero));
        await using var app = new DataVaultApplication(time, settings: new Dictionary<string, string?>
        {
            ["TokenService:TokenRequestsPerAddressPerMinute"] = "1000",
            ["TokenService:TokenRequestsPerClientPerMinute"] = "1000",
        });
        app.StartOnLoopback();
        await app.RegisterClientAsync("crm-eu");
        using var failures = new FailureCounter(app);
        using var http = app.CreateClient();

        for (var i = 0; i < 200; i++)
        {
            using var request = i % 2 == 0
                ? DataVaultApplication.TokenRequest("crm-eu", $"wrong-{i}")
                : new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = $"guess-{i}", ["client_secret"] = "x" }) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }

        Assert.Equal(200, failures.Total);
        Assert.Empty(TokenEntries(app));

        // The minute is over: one entry sums it up.
        time.Advance(TimeSpan.FromMinutes(1));
        await Poll.UntilAsync(() => TokenEntries(app).Count > 0, "the summary is written");

        var summary = Assert.Single(TokenEntries(app));
        Assert.Equal(("anonymous", "address:127.0.0.1", "token.failures", "denied"), (summary.ActorType, summary.ActorId, summary.Action, summary.Outcome));
        Assert.Equal("window=2026-03-02T09:30Z/PT1M,invalid_client=200,client:crm-eu=100", summary.Fields);
    }

    private static List<(string ActorType, string ActorId, string Action, string Outcome, string? Fields)> TokenEntries(DataVaultApplication app)
    {
        using var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT actor_type, actor_id, action, outcome, fields FROM audit_entries WHERE action LIKE 'token.%' ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var entries = new List<(string, string, string, string, string?)>();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return entries;
    }

    /// <summary>Sums <c>datavault.oauth.failures</c> of this application's meter (not of other tests running at the same time).</summary>
    private sealed class FailureCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public FailureCounter(DataVaultApplication app)
        {
            var meters = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TokenServiceMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "datavault.oauth.failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
