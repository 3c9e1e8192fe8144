using System.Net;
using System.Net.Http.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;

namespace DataVault.Api.Tests;

/// <summary>Relationship ends and the retention preview through the real host, with real tokens and the real audit trail.</summary>
public sealed class RetentionEndpointsTests
{
    private sealed record RelationshipEnd(string Id, string PurposeId, DateTimeOffset EndedAt, DateTimeOffset RecordedAt, string? Reason);

    private sealed record Preview(DateTimeOffset At, List<PreviewSubject> Subjects);

    private sealed record PreviewSubject(string SubjectId, bool Tombstone, List<PreviewDestruction> Destructions);

    private sealed record PreviewDestruction(string Field, int FromVersion, int ThroughVersion, bool Superseded, string Rule, string? PurposeId);

    private sealed record Problem(int Status, Dictionary<string, string[]>? Errors);

    [Fact]
    public async Task EndRelationship_ThenPreview_ListsTheSubjectOnceItsRetentionHasPassed_AndEveryStepIsAudited()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero));
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var id = await SubjectEndpointsTests.CreateAsync(client, new { email = "ana@example.com", family_name = "Retained" });

        using var ended = await client.PostAsJsonAsync($"/api/v1/subjects/{id}/relationships", new { purposeId = "service-delivery", endedAt = time.GetUtcNow().AddDays(-1), reason = "Contract cancelled" });
        Assert.Equal(HttpStatusCode.Created, ended.StatusCode);
        var end = (await ended.Content.ReadFromJsonAsync<RelationshipEnd>())!;
        Assert.Equal(("service-delivery", time.GetUtcNow().AddDays(-1), "Contract cancelled"), (end.PurposeId, end.EndedAt, end.Reason));
        Assert.Equal([end], await client.GetFromJsonAsync<List<RelationshipEnd>>($"/api/v1/subjects/{id}/relationships"));

        var now = await client.GetFromJsonAsync<Preview>("/api/v1/retention/preview");
        Assert.Empty(now!.Subjects);

        var later = await client.GetFromJsonAsync<Preview>("/api/v1/retention/preview?at=2028-03-05T00:00:00Z");
        var subject = Assert.Single(later!.Subjects);
        Assert.Equal((id, true), (subject.SubjectId, subject.Tombstone));
        Assert.Equal(
            [new PreviewDestruction("email", 1, 1, false, "retention-ended", "service-delivery"), new PreviewDestruction("family_name", 1, 1, false, "retention-ended", "service-delivery")],
            subject.Destructions.OrderBy(d => d.Field, StringComparer.Ordinal));

        var audit = app.AuditEntries();
        Assert.Contains(audit, e => e.Action == AuditActions.RelationshipEnd && e.SubjectId == id && e.PurposeId == "service-delivery" && e.Outcome == AuditOutcomes.Success);
        Assert.Contains(audit, e => e.Action == AuditActions.RelationshipRead && e.SubjectId == id);
        Assert.Equal(2, audit.Count(e => e.Action == AuditActions.RetentionPreview && e.Outcome == AuditOutcomes.Success));
    }

    [Theory]
    [InlineData("marketing-email", 0, "purposeId")]
    [InlineData("legal-obligation-invoicing", 0, "purposeId")]
    [InlineData("no-such-purpose", 0, "purposeId")]
    [InlineData("service-delivery", 2, "endedAt")]
    public async Task EndRelationship_NotARelationshipOrInTheFuture_Is400AndRecordsNothing(string purpose, int daysAhead, string field)
    {
        var time = new ManualTimeProvider();
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var id = await SubjectEndpointsTests.CreateAsync(client, new { email = "ana@example.com" });

        using var response = await client.PostAsJsonAsync($"/api/v1/subjects/{id}/relationships", new { purposeId = purpose, endedAt = time.GetUtcNow().AddDays(daysAhead) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<Problem>())!.Errors!.Keys);
        Assert.Empty((await client.GetFromJsonAsync<List<RelationshipEnd>>($"/api/v1/subjects/{id}/relationships"))!);
    }

    [Fact]
    public async Task EndRelationship_UnknownSubject_Is404()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.PostAsJsonAsync("/api/v1/subjects/0198c8a4-0000-7000-8000-000000000000/relationships", new { purposeId = "service-delivery", endedAt = DateTimeOffset.UtcNow.AddDays(-1) });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Preview_WithoutAuditRead_Is403()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync(scopes: [Scopes.SubjectsRead, Scopes.ConsentsWrite]);

        using var response = await client.GetAsync("/api/v1/retention/preview");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RetentionPreviewVerb_ListsWhatWouldGoAndWhy()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await SubjectEndpointsTests.CreateAsync(client, new { family_name = "Retained" });
        Assert.Equal(
            HttpStatusCode.Created,
            (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/relationships", new { purposeId = "service-delivery", endedAt = DateTimeOffset.UtcNow.AddMinutes(-1) })).StatusCode);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.AdminCli.RunAsync(["retention", "preview", "--at", DateTimeOffset.UtcNow.AddYears(3).ToString("O")], output, error, app.CliSettings);

        Assert.True(code == 0, error.ToString());
        Assert.Contains($"{id} (left with no data: tombstone)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  family_name: all versions (1-1); retention-ended, last kept by service-delivery", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(app.AuditEntries(), e => e.Action == AuditActions.RetentionPreview && e.ActorId == AuditActors.CommandLine);
    }
}
