using System.Net;
using System.Net.Http.Json;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static DataVault.Api.Tests.SubjectEndpointsTests;

namespace DataVault.Api.Tests;

/// <summary>
/// The audit writer and the vault writer queue what concurrent requests hand them, but never without
/// bound: when as many entries or changes wait as the configured capacity allows, the next request is
/// refused at once with 503 and Retry-After. And an audit entry whose request was already refused for
/// a timeout is committed as <c>timed-out</c>, never as the success it would have been.
/// </summary>
public sealed class WriteQueueTests
{
    [Fact]
    public async Task AuditEntry_ClaimedAfterItsDeadline_IsCommittedAsTimedOut_AndItsRequestGot503()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time, settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:01:00" });
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { given_name = "Late" });
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await Poll.UntilAsync(() => writer.Backlog == 0, "every earlier entry is durable");

        Task<HttpResponseMessage> read;
        using (LockAuditDatabase(app))
        {
            read = client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery");
            await Poll.UntilAsync(() => writer.Backlog == 1, "the read's entry waits for the locked audit database");

            // The entry's deadline passes while the database is locked; then the lock goes.
            time.Advance(TimeSpan.FromMinutes(2));
        }

        using var response = await read;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("Late", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Poll.UntilAsync(() => writer.Backlog == 0, "the entry is committed");
        Assert.Equal([AuditOutcomes.TimedOut], Outcomes(app, id, AuditActions.SubjectRead));
    }

    [Fact]
    public async Task AuditEntry_ClaimedBeforeItsDeadline_KeepsItsOutcome_AndItsRequestIsAnswered()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:01:00" });
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { given_name = "Patient" });
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await Poll.UntilAsync(() => writer.Backlog == 0, "every earlier entry is durable");

        Task<HttpResponseMessage> read;
        using (LockAuditDatabase(app))
        {
            read = client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery");
            await Poll.UntilAsync(() => writer.Backlog == 1, "the read's entry waits for the locked audit database");
        }

        using var response = await read;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([AuditOutcomes.Success], Outcomes(app, id, AuditActions.SubjectRead));
    }

    [Fact]
    public async Task AuditQueue_Full_RefusesTheNextRequestAtOnceWith503AndRetryAfter()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["Audit:QueueCapacity"] = "1",
            ["Audit:WriteTimeout"] = "00:01:00",
        });
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { given_name = "Queued" });
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await Poll.UntilAsync(() => writer.Backlog == 0, "every earlier entry is durable");
        var path = $"/api/v1/subjects/{id}?purpose=service-delivery";

        Task<HttpResponseMessage> first;
        Task<HttpResponseMessage> second;
        using (LockAuditDatabase(app))
        {
            first = client.GetAsync(path);
            await Poll.UntilAsync(() => writer.Backlog == 1 && writer.QueuedEntries == 0, "the writer holds the first entry, waiting for the lock");
            second = client.GetAsync(path);
            await Poll.UntilAsync(() => writer.QueuedEntries == 1, "the second entry fills the queue");

            using var refused = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Queued", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
    }

    [Fact]
    public async Task VaultWriterQueue_Full_RefusesTheNextChangeAtOnceWith503AndRetryAfter_AndWritesNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Vault:WriteQueueCapacity"] = "1" });
        using var client = await app.CreateClientAsync("crm-eu");
        var writer = app.Services.GetRequiredService<VaultWriter>();

        Task<HttpResponseMessage> first;
        using (await WriterHold.HoldAsync(writer))
        {
            first = client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "First" } });
            await Poll.UntilAsync(() => writer.Waiting == 1, "the first creation waits for the writer");

            using var refused = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Second" } });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        Assert.Equal(1L, Scalar(app, "SELECT COUNT(*) FROM subjects;"));
    }

    /// <summary>Holds the audit database's write lock, as another process could, until disposed.</summary>
    private static SqliteConnection LockAuditDatabase(DataVaultApplication app)
    {
        var blocker = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False");
        blocker.Open();
        using var begin = blocker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        begin.ExecuteNonQuery();
        return blocker;
    }

    private static List<string> Outcomes(DataVaultApplication app, string subjectId, string action)
    {
        using var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT outcome FROM audit_entries WHERE subject_id = $s AND action = $a ORDER BY sequence;";
        command.Parameters.AddWithValue("$s", subjectId);
        command.Parameters.AddWithValue("$a", action);
        using var reader = command.ExecuteReader();
        var outcomes = new List<string>();
        while (reader.Read())
        {
            outcomes.Add(reader.GetString(0));
        }

        return outcomes;
    }
}
