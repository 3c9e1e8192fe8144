using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class ChangeRoutingTests
{
    [Fact]
    public async Task RouteDue_ConsentGivenThenWithdrawn_ToldOnlyToClientsWithAReasonToKnow()
    {
        await using var vault = await TestVault.StartAsync();
        await AddClientAsync(vault, "shop", [Scopes.SubjectsWrite], ["service-delivery"]);
        await AddClientAsync(vault, "crm-eu", [Scopes.SubjectsRead], ["marketing-email"]);
        await AddClientAsync(vault, "old-crm", [Scopes.SubjectsRead], ["marketing-email"]);
        await AddClientAsync(vault, "insights", [Scopes.SubjectsRead, Scopes.ChangesRead], ["analytics"]);
        await AddClientAsync(vault, "listener", [Scopes.ChangesRead], ["marketing-email"]);
        await AddClientAsync(vault, "bystander", [Scopes.SubjectsRead], ["marketing-email"]);
        var subjectId = await NewSubjectAsync(vault);
        var trail = vault.Services.GetRequiredService<AuditWriter>();
        await trail.WriteAsync(Release("shop", AuditActions.SubjectCreate, subjectId, null, "email,given_name"), CancellationToken.None);
        await trail.WriteAsync(Release("crm-eu", AuditActions.SubjectRead, subjectId, "marketing-email", "email,given_name"), CancellationToken.None);
        await trail.WriteAsync(Release("old-crm", AuditActions.SubjectRead, subjectId, "marketing-email", "email"), CancellationToken.None);
        await trail.WriteAsync(Release("insights", AuditActions.SubjectRead, subjectId, "analytics", "birth_date"), CancellationToken.None);
        await using (var scope = vault.Scope())
        {
            Assert.Equal(VaultOutcome.Ok, (await scope.ServiceProvider.GetRequiredService<ClientService>().DisableAsync("old-crm", CancellationToken.None)).Outcome);
            await RecordAsync(scope, subjectId, "given");
        }

        var router = vault.Services.GetRequiredService<ChangeRouter>();
        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));
        await using (var scope = vault.Scope())
        {
            await RecordAsync(scope, subjectId, "withdrawn");
        }

        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));

        // A new consent reaches who may now find the subject in its export; the withdrawal only those holding data.
        Assert.Equal(
            [
                (ChangeTypes.ConsentGiven, "crm-eu", ChangeReasons.Received),
                (ChangeTypes.ConsentGiven, "listener", ChangeReasons.Registered),
                (ChangeTypes.ConsentGiven, "shop", ChangeReasons.Provided),
                (ChangeTypes.ConsentWithdrawn, "crm-eu", ChangeReasons.Received),
                (ChangeTypes.ConsentWithdrawn, "shop", ChangeReasons.Provided),
            ],
            Routed(vault).Select(r => (r.Type, r.ClientId, r.Reason)));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], Routed(vault).Select(r => r.FeedSequence));
    }

    [Fact]
    public async Task RouteDue_ReadWhoseEntryCommittedAfterTheWithdrawal_FoundBySecondPassWithALaterFeedNumber()
    {
        await using var vault = await TestVault.StartAsync();
        await AddClientAsync(vault, "crm-eu", [Scopes.SubjectsRead], ["marketing-email"]);
        await AddClientAsync(vault, "shop", [Scopes.SubjectsWrite], ["service-delivery"]);
        var subjectId = await NewSubjectAsync(vault);
        var other = await NewSubjectAsync(vault);
        var trail = vault.Services.GetRequiredService<AuditWriter>();
        await trail.WriteAsync(Release("shop", AuditActions.SubjectCreate, subjectId, null, "email"), CancellationToken.None);
        await using (var scope = vault.Scope())
        {
            await RecordAsync(scope, subjectId, "withdrawn");
        }

        var router = vault.Services.GetRequiredService<ChangeRouter>();
        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));
        Assert.Equal([("shop", 1L)], Routed(vault).Select(r => (r.ClientId, r.FeedSequence)));

        // The read took its snapshot before the withdrawal; its entry commits two seconds later, within the write timeout.
        vault.Time.Advance(TimeSpan.FromSeconds(2));
        await trail.WriteAsync(Release("crm-eu", AuditActions.SubjectRead, subjectId, "marketing-email", "email"), CancellationToken.None);
        await using (var scope = vault.Scope())
        {
            await RecordAsync(scope, other, "withdrawn");
        }

        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));
        await trail.WriteAsync(Release("shop", AuditActions.SubjectCreate, other, null, "email"), CancellationToken.None);
        vault.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(2, await router.RouteDueAsync(CancellationToken.None));
        Assert.Equal(0, await router.RouteDueAsync(CancellationToken.None));

        Assert.Equal(
            [(subjectId, "shop", 1L), (subjectId, "crm-eu", 2L), (other, "shop", 3L)],
            Routed(vault).Select(r => (r.SubjectId, r.ClientId, r.FeedSequence)));
    }

    internal static List<(string Type, string SubjectId, string ClientId, string Reason, long FeedSequence)> Routed(TestVault vault)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT e.type, e.subject_id, r.client_id, r.reason, r.feed_sequence FROM change_recipients r JOIN change_events e ON e.sequence = r.sequence ORDER BY r.feed_sequence;";
        using var reader = command.ExecuteReader();
        var routed = new List<(string, string, string, string, long)>();
        while (reader.Read())
        {
            routed.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        }

        return routed;
    }

    internal static async Task AddClientAsync(TestVault vault, string clientId, string[] scopes, string[] purposes)
    {
        await using var scope = vault.Scope();
        var added = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(clientId, clientId, scopes, purposes, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
    }

    private static AuditRecord Release(string clientId, string action, string subjectId, string? purposeId, string fields) =>
        new(AuditActors.Client, clientId, action, AuditOutcomes.Success, subjectId, purposeId, fields);

    private static async Task<string> NewSubjectAsync(TestVault vault)
    {
        await using var scope = vault.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>()
            .CreateAsync(RetentionServiceTests.Fields(("email", "someone@example.com")), CancellationToken.None);
        return created.Value!.Id;
    }

    private static async Task RecordAsync(AsyncServiceScope scope, string subjectId, string state)
    {
        var recorded = await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
            subjectId, new RecordConsentCommand("marketing-email", state, null, null, CollectionMethods.Api, "en", null, Actor.Client("shop")), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
    }
}
