using System.Net;
using DataVault.Testing;
using DataVault.Vault.Clients;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>The recipient ledger as officers read it: built from real reads, exports and creates over HTTP.</summary>
public sealed class RecipientEndpointTests
{
    [Fact]
    public async Task ListRecipients_AfterACreateAReadAndAnExport_NamesEachClientAndWhatItGot_EvenAfterErasure()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.SubjectsErase]);
        using var crm = await app.CreateClientAsync("crm", [Scopes.SubjectsRead], ["marketing-email"]);
        using var mailer = await app.CreateClientAsync("mailer", [Scopes.SubjectsRead], ["marketing-email"]);
        using var officer = await app.CreateClientAsync("officer", [Scopes.AuditRead], []);
        var id = await CreateAsync(shop, new { email = "quetzalli@example.com", given_name = "Quetzalli", phone = "+34600111222" });
        await RecordAsync(shop, id, "marketing-email", "given");
        await ReadAsync(crm, id, "marketing-email");
        Assert.Equal(HttpStatusCode.OK, (await mailer.GetAsync("/api/v1/purposes/marketing-email/subjects")).StatusCode);

        var recipients = await ListAsync(officer, id);

        Assert.Equal(
            [
                ("crm", "marketing-email", "email,given_name", false),
                ("mailer", "marketing-email", "email,given_name", false),
                ("shop", null, "email,given_name,phone", true),
            ],
            recipients.Items.Select(r => (r.ClientId, r.PurposeId, string.Join(',', r.Fields), r.Provided)));
        Assert.All(recipients.Items, r => Assert.True(r.FirstAt <= r.LastAt && r.FirstAuditSequence > 0));
        Assert.Contains(app.AuditEntries(), e => e.Action == "subject.recipients" && e.ActorId == "officer" && e.SubjectId == id && e.Outcome == "success");

        // The recipients of an erased subject are who must be told of the erasure.
        Assert.Equal(HttpStatusCode.OK, (await shop.DeleteAsync($"/api/v1/subjects/{id}")).StatusCode);
        Assert.Equal(3, (await ListAsync(officer, id)).Items.Count);
    }

    [Theory]
    [InlineData("0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a")]
    [InlineData("not-a-subject")]
    public async Task ListRecipients_UnknownSubject_NotFound404(string id)
    {
        await using var app = new DataVaultApplication();
        using var officer = await app.CreateClientAsync("officer", [Scopes.AuditRead], []);

        await AssertProblemAsync(await officer.GetAsync($"/api/v1/subjects/{id}/recipients"), HttpStatusCode.NotFound);
    }

    private static async Task<RecipientList> ListAsync(HttpClient officer, string id)
    {
        var response = await officer.GetAsync($"/api/v1/subjects/{id}/recipients");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadWireAsync<RecipientList>();
    }

    private sealed record Recipient(string ClientId, string? PurposeId, string[] Fields, DateTimeOffset FirstAt, DateTimeOffset LastAt, bool Provided, long FirstAuditSequence);

    private sealed record RecipientList(List<Recipient> Items);
}
