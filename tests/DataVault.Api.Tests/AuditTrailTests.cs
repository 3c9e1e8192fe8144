using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Api.Cli;
using DataVault.Vault.Clients;
using Microsoft.Data.Sqlite;
using static DataVault.Testing.VaultApi;
using static DataVault.Api.Tests.SubjectEndpointsTests;

namespace DataVault.Api.Tests;

public sealed class AuditTrailTests
{
    private static readonly Dictionary<string, string?> FrequentCheckpoints = new() { ["Audit:CheckpointEveryEntries"] = "5" };

    [Fact]
    public async Task Accesses_AreRecordedWithActorActionSubjectPurposeAndFieldNames()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { email = "audit-me@example.com", given_name = "Audit", phone = "+34600111222" });
        await RecordAsync(client, id, "marketing-email", "given");
        await ReadAsync(client, id, "marketing-email");
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);

        var page = await officer.GetWireAsync<AuditPage>($"/api/v1/audit?subject={id}");

        var entries = page.Items;
        // Changes are recorded as attempted first (the create's attempt has no subject id yet).
        Assert.Equal(
            ["subject.read:success", "consent.record:success", "consent.record:attempted", "subject.create:success"],
            entries.Select(e => $"{e.Action}:{e.Outcome}"));
        Assert.Equal(new AuditEntry("client", "crm-eu", "subject.read", "marketing-email", "email,given_name", "phone:not-in-purpose", "success"), entries[0]);
        Assert.Equal("email,given_name,phone", entries[3].Fields);

        var verification = await officer.PostAsJsonAsync("/api/v1/audit/verification", new { });
        Assert.True((await verification.Content.ReadWireAsync<Verification>()).Valid);
    }

    [Fact]
    public async Task RefusedAndInvalidAccesses_AreRecordedToo()
    {
        await using var app = new DataVaultApplication();
        using var limited = await app.CreateClientAsync("crm-readonly", [Scopes.SubjectsRead], ["service-delivery"]);
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);

        Assert.Equal(HttpStatusCode.Forbidden, (await limited.PostAsJsonAsync("/api/v1/subjects", new { fields = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync("/api/v1/subjects/0198c8a4-0000-7000-8000-000000000000?purpose=service-delivery")).StatusCode);
        var secret = await app.RegisterClientAsync("crm-limited", [Scopes.SubjectsRead]);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().SendAsync(DataVaultApplication.TokenRequest("crm-limited", secret, "audit.read"))).StatusCode);

        var entries = (await officer.GetWireAsync<AuditPage>("/api/v1/audit?actor=crm-readonly")).Items.Select(e => (e.Action, e.Outcome)).ToList();
        Assert.Contains(("subject.create", "denied"), entries);
        Assert.Contains(("subject.read", "not-found"), entries);
        Assert.Contains(("token.issue", "success"), entries);

        // A client that authenticated and asked for too much has an entry of its own; failures of callers
        // that did not authenticate are summarised per address (TokenEndpointAbuseTests).
        var tooMuch = (await officer.GetFromJsonAsync<JsonElement>("/api/v1/audit?actor=crm-limited")).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("outcome").GetString(), e.GetProperty("fields").GetString()))
            .ToList();
        Assert.Equal([("token.issue", "invalid", "invalid_scope")], tooMuch);
    }

    [Fact]
    public async Task Export_JsonLinesAndCsv_ContainTheEntries()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { given_name = "Exported" });
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);

        var jsonl = await officer.GetStringAsync($"/api/v1/audit/export?subject={id}&format=jsonl");
        var csv = await officer.GetStringAsync($"/api/v1/audit/export?subject={id}&format=csv");

        var line = Wire.Parse<AuditEntry>(jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single());
        Assert.Equal("subject.create", line.Action);
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,occurred_at,actor_type", rows[0], StringComparison.Ordinal);
        Assert.Contains("subject.create", rows[1], StringComparison.Ordinal);
        await AssertProblemAsync(await officer.GetAsync("/api/v1/audit/export?format=xml"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AuditStoreLocked_RequestFailsClosedWith503_AndRecoversAfterwards()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var client = await app.CreateClientAsync("crm-eu");
        var id = await CreateAsync(client, new { email = "locked-out@example.com", given_name = "Locked" });

        using (var blocker = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            var refused = await client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain("locked-out@example.com", body, StringComparison.Ordinal);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        var again = await client.GetAsync($"/api/v1/subjects/{id}?purpose=service-delivery");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    public static TheoryData<string, string, long> Tampering => new()
    {
        { "edit a field", "UPDATE audit_entries SET purpose_id = 'analytics' WHERE sequence = 4;", 4 },
        { "edit an actor", "UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = 7;", 7 },
        { "delete an entry", "DELETE FROM audit_entries WHERE sequence = 6;", 6 },
        { "reorder two entries", "UPDATE audit_entries SET sequence = -1 WHERE sequence = 5; UPDATE audit_entries SET sequence = 5 WHERE sequence = 6; UPDATE audit_entries SET sequence = 6 WHERE sequence = -1;", 5 },
        { "truncate the tail behind a checkpoint", "DELETE FROM audit_entries WHERE sequence >= 4;", 4 },
        { "rewrite an entry and its hash", "UPDATE audit_entries SET outcome = 'denied', hash = zeroblob(32) WHERE sequence = 3;", 3 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task VerifyCli_TamperedDatabaseFile_ReportsTheFirstBadSequence(string scenario, string tamper, long firstBad)
    {
        await using var app = new DataVaultApplication(settings: FrequentCheckpoints);
        using var client = await app.CreateClientAsync("crm-eu");
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(client, new { given_name = $"Person {i}" });
        }

        var copy = Path.Combine(app.DataDirectory, "audit-copy.db");
        using (var source = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            source.Open();
            using var backup = source.CreateCommand();
            backup.CommandText = $"VACUUM INTO '{copy}';";
            backup.ExecuteNonQuery();
        }

        Assert.Equal(0, (await VerifyAsync(copy)).Code);
        using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = tamper;
            command.ExecuteNonQuery();
        }

        var (code, output) = await VerifyAsync(copy);

        Assert.True(code == AuditCommands.InvalidExitCode, $"{scenario}: {output}");
        Assert.Contains($"first bad:   {firstBad}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_AgainstExportedCheckpoints_DetectsARewrittenTrail()
    {
        await using var app = new DataVaultApplication(settings: FrequentCheckpoints);
        using var client = await app.CreateClientAsync("crm-eu");
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(client, new { given_name = $"Person {i}" });
        }

        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);
        var exported = await officer.GetStringAsync("/api/v1/audit/checkpoints");
        Assert.NotEmpty(JsonSerializer.Deserialize<JsonElement>(exported).EnumerateArray());

        // An attacker who controls the database drops the entries and the checkpoints together.
        using (var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM audit_checkpoints; DELETE FROM audit_entries WHERE sequence >= 3;";
            command.ExecuteNonQuery();
        }

        var alone = await (await officer.PostAsJsonAsync("/api/v1/audit/verification", new { })).Content.ReadWireAsync<Verification>();
        var withExport = await (await officer.PostAsync(
            "/api/v1/audit/verification",
            new StringContent($"{{\"checkpoints\": {exported}}}", System.Text.Encoding.UTF8, "application/json"))).Content.ReadWireAsync<Verification>();

        // On its own the shortened chain is consistent; the copy kept outside proves the tail is gone.
        Assert.True(alone.Valid, alone.ToString());
        Assert.False(withExport.Valid, withExport.ToString());
        // The verification requests themselves appended entries after the cut, so the break is found at or after it.
        Assert.InRange(withExport.FirstBadSequence!.Value, 3, 5);
    }

    [Theory]
    [InlineData("/api/v1/audit?limit=0")]
    [InlineData("/api/v1/audit?limit=501")]
    [InlineData("/api/v1/audit?cursor=0")]
    [InlineData("/api/v1/audit?cursor=abc")]
    [InlineData("/api/v1/audit?from=yesterday")]
    [InlineData("/api/v1/audit/export?to=not-a-time")]
    public async Task Search_BadQuery_Returns400Problem(string path)
    {
        await using var app = new DataVaultApplication();
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);

        await AssertProblemAsync(await officer.GetAsync(path), HttpStatusCode.BadRequest);
    }

    private static async Task<(int Code, string Output)> VerifyAsync(string path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCli.RunAsync(["audit", "verify", path], output, error);
        return (code, output + error.ToString());
    }

    private sealed record AuditPage(IReadOnlyList<AuditEntry> Items);

    /// <summary>An audit entry as an officer reads it: who did what, to what, for which purpose; field names only.</summary>
    private sealed record AuditEntry(string ActorType, string ActorId, string Action, string? PurposeId, string? Fields, string? Withheld, string Outcome);

    private sealed record Verification(bool Valid, long? FirstBadSequence);
}
