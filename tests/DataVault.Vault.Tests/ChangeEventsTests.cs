using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Consents;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class ChangeEventsTests
{
    [Fact]
    public async Task ChangeEvents_RolledBackWrite_LeavesNoEvent()
    {
        await using var vault = await TestVault.StartAsync();
        var writer = vault.Services.GetRequiredService<VaultWriter>();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(new StatesThen(keep: null), CancellationToken.None));
        Assert.Equal("after the fact", thrown.Message);
        Assert.False(await writer.WriteAsync(new StatesThen(keep: false), CancellationToken.None));

        // A refused change of the vault's own: a lift with no objection in force writes nothing, so states nothing.
        string subjectId;
        await using (var scope = vault.Scope())
        {
            subjectId = await NewSubjectAsync(scope);
            var lifted = await scope.ServiceProvider.GetRequiredService<ConsentService>()
                .LiftObjectionAsync(subjectId, "marketing-email", ChoiceSources.Api, "asked by phone", Actor.Client("shop"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, lifted.Outcome);
        }

        Assert.Empty(Events(vault));

        // The numbers the rolled-back facts took are given back: the next committed one is the first.
        Assert.True(await writer.WriteAsync(new StatesThen(keep: true), CancellationToken.None));
        var only = Assert.Single(Events(vault));
        Assert.Equal(1L, only.Sequence);
    }

    [Fact]
    public async Task ChangeEvents_EveryWrite_EmitsItsFact()
    {
        await using var vault = await TestVault.StartAsync();
        var catalogue = vault.Services.GetRequiredService<PolicyCatalogue>();
        var all = string.Join(',', catalogue.Purposes.Keys.Order(StringComparer.Ordinal));
        var shop = Actor.Client("shop");
        string subjectId;
        await using (var scope = vault.Scope())
        {
            var consents = scope.ServiceProvider.GetRequiredService<ConsentService>();
            var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
            subjectId = await NewSubjectAsync(scope);
            await RecordAsync(consents, subjectId, "given", shop);
            await RecordAsync(consents, subjectId, "refused", shop, purpose: "analytics");
            await RecordAsync(consents, subjectId, "withdrawn", Actor.Subject(subjectId));
            Assert.Equal(VaultOutcome.Ok, (await consents.ObjectAsync(subjectId, "personalisation", ChoiceSources.Api, null, shop, CancellationToken.None)).Outcome);
            Assert.Equal(VaultOutcome.Ok, (await consents.LiftObjectionAsync(subjectId, "personalisation", ChoiceSources.Api, "asked by phone", shop, CancellationToken.None)).Outcome);
            Assert.Equal(["partner-sharing"], await consents.ApplyGlobalPrivacyControlAsync(subjectId, shop, CancellationToken.None));
            Assert.Equal(VaultOutcome.Ok, (await consents.ObjectAsync(subjectId, null, ChoiceSources.Desk, "by letter", Actor.Officer("officer-1"), CancellationToken.None)).Outcome);
            Assert.Equal(VaultOutcome.Ok, (await consents.RestrictAsync(subjectId, "accuracy contested", Actor.Officer("officer-1"), CancellationToken.None)).Outcome);
            Assert.Equal(VaultOutcome.Ok, (await consents.LiftRestrictionAsync(subjectId, "accuracy verified", Actor.Officer("officer-1"), toldOtherwise: false, CancellationToken.None)).Outcome);
            Assert.Equal(VaultOutcome.Ok, (await subjects.RectifyAsync(subjectId, RetentionServiceTests.Fields(("family_name", "Secret-Surname")), shop, CancellationToken.None)).Outcome);
            Assert.Equal(VaultOutcome.Ok, (await subjects.EraseAsync(subjectId, "shop", shop, CancellationToken.None)).Outcome);
        }

        var events = Events(vault);
        Assert.Equal(
            [
                new Fact(ChangeTypes.ConsentGiven, subjectId, "marketing-email", "email,given_name,interests,preferred_language", "client", "shop", null),
                new Fact(ChangeTypes.ConsentWithdrawn, subjectId, "marketing-email", "email,given_name,interests,preferred_language", "subject", subjectId, null),
                new Fact(ChangeTypes.ObjectionRecorded, subjectId, "personalisation", "given_name,interests,preferred_language", "client", "shop", null),
                new Fact(ChangeTypes.ObjectionLifted, subjectId, "personalisation", "given_name,interests,preferred_language", "client", "shop", null),
                new Fact(ChangeTypes.ObjectionRecorded, subjectId, "partner-sharing", "email,family_name,given_name,interests", "client", "shop", """{"source":"gpc"}"""),
                new Fact(ChangeTypes.ObjectionRecorded, subjectId, all, AllFields(catalogue), "officer", "officer-1", """{"scope":"all"}"""),
                new Fact(ChangeTypes.RestrictionPlaced, subjectId, all, "email,given_name", "officer", "officer-1", null),
                new Fact(ChangeTypes.RestrictionLifted, subjectId, all, "email,given_name", "officer", "officer-1", null),
                new Fact(ChangeTypes.SubjectRectified, subjectId, "partner-sharing,service-delivery", "family_name", "client", "shop", null),
                new Fact(ChangeTypes.SubjectErased, subjectId, all, "email,family_name,given_name", "client", "shop", null),
            ],
            events.Select(e => e.Fact));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Matches("^evt_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-", e.Id));

        // Names only: no value the subject gave appears anywhere in the feed.
        using var connection = vault.OpenDatabase();
        Assert.Equal(
            0L,
            Scalar(connection, """
                SELECT COUNT(*) FROM change_events, (SELECT 'Secret-Surname' AS value UNION ALL SELECT 'Quetzalli' UNION ALL SELECT '@')
                WHERE instr(id || type || COALESCE(subject_id, '') || purposes || fields || actor_type || actor_id || COALESCE(data, ''), value) > 0;
                """));
    }

    [Fact]
    public async Task ChangeEvents_NewPurposeVersion_IsStatedOnceWithTheVersionItReplaces()
    {
        await using var vault = TestVault.Create();
        var catalogue = vault.Services.GetRequiredService<PolicyCatalogue>();
        var current = catalogue.Purposes["analytics"].Version;
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time);
            Execute(connection, "INSERT INTO purpose_versions (purpose_id, version, effective_from) VALUES ('analytics', '00000000000000aa', '2025-01-01T00:00:00.0000000Z');");
        }

        await vault.Services.InitializeVaultAsync();
        await vault.Services.InitializeVaultAsync();

        var stated = Assert.Single(Events(vault));
        Assert.Equal(
            new Fact(ChangeTypes.PurposeVersionChanged, null, "analytics", "birth_date,interests,preferred_language", "system", "vault", $$"""{"from":"00000000000000aa","to":"{{current}}"}"""),
            stated.Fact);
    }

    [Fact]
    public async Task ChangeEvents_ConcurrentWrites_SequenceGapFreeInCommitOrder()
    {
        await using var vault = await TestVault.StartAsync();
        var subjects = new List<string>();
        await using (var scope = vault.Scope())
        {
            for (var i = 0; i < 8; i++)
            {
                subjects.Add(await NewSubjectAsync(scope));
            }
        }

        await Task.WhenAll(subjects.SelectMany(s => new[] { "marketing-email", "analytics", "personalisation" }.Select(async purpose =>
        {
            await using var scope = vault.Scope();
            await RecordAsync(scope.ServiceProvider.GetRequiredService<ConsentService>(), s, "given", Actor.Client("shop"), purpose);
        })));

        var events = Events(vault);
        Assert.Equal(24, events.Count);
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), events.Select(e => e.Sequence));

        // Numbered in the order the changes were stored: each consent event's rowid order is the feed's.
        using var connection = vault.OpenDatabase();
        var stored = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT subject_id || '/' || purpose_id FROM consent_events ORDER BY rowid;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(stored, events.Select(e => e.Fact.SubjectId + "/" + e.Fact.Purposes));
    }

    internal static IReadOnlyList<StoredEvent> Events(TestVault vault)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, id, type, subject_id, purposes, fields, actor_type, actor_id, data FROM change_events ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var events = new List<StoredEvent>();
        while (reader.Read())
        {
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                new Fact(
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8))));
        }

        return events;
    }

    private static string AllFields(PolicyCatalogue catalogue) =>
        string.Join(',', catalogue.Purposes.Values.SelectMany(p => p.Fields).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static async Task<string> NewSubjectAsync(AsyncServiceScope scope)
    {
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>()
            .CreateAsync(RetentionServiceTests.Fields(("given_name", "Quetzalli"), ("email", "quetzalli@example.com")), CancellationToken.None);
        return created.Value!.Id;
    }

    private static async Task RecordAsync(ConsentService consents, string subjectId, string state, Actor actor, string purpose = "marketing-email")
    {
        var recorded = await consents.RecordAsync(
            subjectId, new RecordConsentCommand(purpose, state, null, null, CollectionMethods.Api, "en", null, actor), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    internal sealed record Fact(string Type, string? SubjectId, string Purposes, string Fields, string ActorType, string ActorId, string? Data);

    internal sealed record StoredEvent(long Sequence, string Id, Fact Fact);

    /// <summary>A change that states a fact, then keeps it, is refused (false) or fails (null).</summary>
    private sealed class StatesThen(bool? keep) : VaultWrite<bool>
    {
        protected override bool Execute(VaultWriteContext context)
        {
            context.Changed(new ChangeFact(ChangeTypes.RestrictionPlaced, null, [], []));
            return keep ?? throw new InvalidOperationException("after the fact");
        }

        protected override bool Keeps(bool result) => result;
    }
}
