using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Consents;
using DataVault.Vault.Retention;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static DataVault.Vault.Tests.RetentionServiceTests;

namespace DataVault.Vault.Tests;

public sealed class RetentionEngineTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly Actor Shop = Actor.Client("shop");

    [Fact]
    public async Task Sweep_ConsentWithdrawnAndRetentionPassed_DestroysTheFieldOnly_AuditsAndTellsRecipients()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("email", "ana@example.com"), ("birth_date", "1990-04-01"));
        await ConsentAsync(vault, id, "analytics", "given");
        vault.Time.Advance(TimeSpan.FromMinutes(1));
        await ConsentAsync(vault, id, "analytics", "withdrawn");

        // analytics keeps its data one year from the withdrawal; a day short of it, nothing goes.
        vault.Time.Advance(TimeSpan.FromDays(365) - Day);
        Assert.Equal(0, await SweepAsync(vault));
        Assert.Equal(1L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}' AND field = 'birth_date';"));

        vault.Time.Advance(2 * Day);
        Assert.Equal(1, await SweepAsync(vault));

        Assert.Equal(0L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}' AND field = 'birth_date';"));
        // email serves the contract, which has not ended.
        Assert.Equal(1L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}' AND field = 'email';"));
        Assert.Equal("active", Text(vault, $"SELECT status FROM subjects WHERE id = '{id}';"));
        Assert.Equal(
            [("attempted", "birth_date@1-1:retention-ended:analytics"), ("success", "birth_date@1-1:retention-ended:analytics")],
            AuditOf(vault, id));
        var destroyed = Assert.Single(ChangeEventsTests.Events(vault), e => e.Fact.Type == ChangeTypes.DataDestroyed);
        Assert.Equal(id, destroyed.Fact.SubjectId);
        Assert.Contains("birth_date", destroyed.Fact.Fields, StringComparison.Ordinal);
        Assert.DoesNotContain("email", destroyed.Fact.Fields, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_AnotherPurposeStillValid_KeepsTheField()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("interests", "[\"music\"]"));
        await ConsentAsync(vault, id, "analytics", "refused");
        await ConsentAsync(vault, id, "marketing-email", "given");

        vault.Time.Advance(TimeSpan.FromDays(5 * 365));

        Assert.Equal(0, await SweepAsync(vault));
        Assert.Equal(1L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
        Assert.Empty(await PreviewAsync(vault, null));
    }

    [Fact]
    public async Task Sweep_RelationshipEndedAndRetentionPassed_LeavesATombstoneWithAReceipt()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("email", "ana@example.com"), ("family_name", "Tombstone"));
        await using (var scope = vault.Scope())
        {
            var ended = await scope.ServiceProvider.GetRequiredService<RetentionEngine>()
                .EndRelationshipAsync(id, "service-delivery", vault.Time.GetUtcNow(), "contract cancelled", Shop, CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, ended.Outcome);
        }

        vault.Time.Advance(TimeSpan.FromDays(2 * 365) + Day);
        var preview = Assert.Single(await PreviewAsync(vault, null));
        Assert.True(preview.LeavesNoData);
        Assert.Equal(["email", "family_name"], preview.Destructions.Select(d => d.Field).Order(StringComparer.Ordinal));

        Assert.Equal(1, await SweepAsync(vault));
        await vault.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);

        Assert.Equal("erased", Text(vault, $"SELECT status FROM subjects WHERE id = '{id}';"));
        Assert.Equal("retention|standard", Text(vault, $"SELECT requested_by || '|' || shredded_key_groups FROM erasure_receipts WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Count(vault, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{id}';"));
        Assert.Equal(0L, Count(vault, $"SELECT COUNT(*) FROM relationship_events WHERE subject_id = '{id}';"));
        Assert.EndsWith(",tombstone", AuditOf(vault, id)[^1].Fields, StringComparison.Ordinal);
        await using (var scope = vault.Scope())
        {
            Assert.Equal(VaultOutcome.Gone, (await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(id, CancellationToken.None)).Outcome);
        }
    }

    [Fact]
    public async Task Sweep_RectifiedVersion_IsKeptForTheDisputePeriodThenDestroyed()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("email", "old@example.com"));
        vault.Time.Advance(Day);
        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SubjectService>().RectifyAsync(id, Fields(("email", "new@example.com")), Shop, CancellationToken.None);
        }

        vault.Time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await SweepAsync(vault));

        vault.Time.Advance(Day);
        var plan = Assert.Single(await PreviewAsync(vault, null));
        Assert.Equal(new RetentionDestruction("email", 1, 1, true, "superseded", null), Assert.Single(plan.Destructions));
        Assert.Equal(1, await SweepAsync(vault));

        Assert.Equal(2L, Count(vault, $"SELECT version FROM field_values WHERE subject_id = '{id}';"));
        await using (var scope = vault.Scope())
        {
            var read = await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(id, CancellationToken.None);
            Assert.Equal("new@example.com", Assert.Single(read.Value!.Fields).Value.GetString());
        }

        // Superseded versions are nothing a recipient holds: no change event.
        Assert.DoesNotContain(ChangeEventsTests.Events(vault), e => e.Fact.Type == ChangeTypes.DataDestroyed);
    }

    [Fact]
    public async Task Sweep_SupersededVersionsSetting_IsHonoured()
    {
        await using var vault = await TestVault.StartAsync(settings: new Dictionary<string, string?> { ["Retention:SupersededVersions"] = "P1Y" });
        var id = await CreateAsync(vault, ("email", "old@example.com"));
        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SubjectService>().RectifyAsync(id, Fields(("email", "new@example.com")), Shop, CancellationToken.None);
        }

        vault.Time.Advance(TimeSpan.FromDays(100));
        Assert.Equal(0, await SweepAsync(vault));
        vault.Time.Advance(TimeSpan.FromDays(300));
        Assert.Equal(1, await SweepAsync(vault));
    }

    [Fact]
    public async Task Sweep_LegalHold_CountsFromTheRecordNotFromTheErasure()
    {
        await using var vault = await TestVault.StartAsync();
        var written = vault.Time.GetUtcNow();
        var id = await CreateAsync(vault, ("email", "ana@example.com"), ("tax_id", "ESX1234567Z"));

        vault.Time.Advance(TimeSpan.FromDays(3 * 365));
        await using (var scope = vault.Scope())
        {
            var receipt = await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(id, "test", Actor.System("test"), CancellationToken.None);
            Assert.Equal(written.AddYears(10), Assert.Single(receipt.Value!.RetainedKeyGroups).RetainUntil);
        }

        vault.Time.Set(written.AddYears(10) + Day);
        await SweepAsync(vault);
        Assert.Equal(0L, Count(vault, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{id}';"));
    }

    [Fact]
    public async Task Sweep_LegalHoldOfAnActiveSubject_KeepsTheInvoiceTenYearsFromItsRecord()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("tax_id", "ESX1234567Z"));

        vault.Time.Advance(TimeSpan.FromDays(9 * 365));
        Assert.Equal(0, await SweepAsync(vault));

        vault.Time.Advance(TimeSpan.FromDays(366 + 3));
        Assert.Equal(1, await SweepAsync(vault));
        Assert.Equal("erased", Text(vault, $"SELECT status FROM subjects WHERE id = '{id}';"));
    }

    [Fact]
    public async Task Sweep_InterruptedPass_ResumesAfterTheLastSubjectItFinished()
    {
        await using var vault = await TestVault.StartAsync(settings: new Dictionary<string, string?> { ["Retention:SubjectsPerStep"] = "1" });
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var id = await CreateAsync(vault, ("birth_date", "1990-04-01"));
            await ConsentAsync(vault, id, "analytics", "refused");
            ids.Add(id);
        }

        ids.Sort(StringComparer.Ordinal);
        vault.Time.Advance(TimeSpan.FromDays(400));

        // As a pass left it when the service stopped after its first subject.
        using (var connection = vault.OpenDatabase())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO retention_sweep (id, after_subject_id, pass_started_at) VALUES (1, '{ids[0]}', '2026-01-01T00:00:00.0000000Z');";
            command.ExecuteNonQuery();
        }

        Assert.Equal(1, await SweepAsync(vault));
        Assert.Equal("active", Text(vault, $"SELECT status FROM subjects WHERE id = '{ids[0]}';"));
        Assert.Equal("erased", Text(vault, $"SELECT status FROM subjects WHERE id = '{ids[1]}';"));
        Assert.Equal(0L, Count(vault, "SELECT COUNT(*) FROM retention_sweep;"));

        // The next pass starts from the beginning.
        Assert.Equal(1, await SweepAsync(vault));
        Assert.Equal("erased", Text(vault, $"SELECT status FROM subjects WHERE id = '{ids[0]}';"));
    }

    [Fact]
    public async Task Sweep_RestrictedSubject_IsLeftAlone()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("birth_date", "1990-04-01"));
        await ConsentAsync(vault, id, "analytics", "refused");
        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsentService>().RestrictAsync(id, "legal claim", Actor.Officer("officer-1"), CancellationToken.None);
        }

        vault.Time.Advance(TimeSpan.FromDays(800));

        Assert.Equal(0, await SweepAsync(vault));
        Assert.Equal(1L, Count(vault, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{id}';"));
    }

    [Fact]
    public async Task Sweep_RawFiles_HoldNoCiphertextOrKeyOfWhatWasDestroyed()
    {
        await using var vault = await TestVault.StartAsync();
        var id = await CreateAsync(vault, ("birth_date", "1990-04-01"), ("given_name", "Zyxwvu"));
        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SubjectService>().RectifyAsync(id, Fields(("given_name", "Zyxwvu Again")), Shop, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<RetentionEngine>()
                .EndRelationshipAsync(id, "service-delivery", vault.Time.GetUtcNow(), null, Shop, CancellationToken.None);
        }

        await ConsentAsync(vault, id, "analytics", "refused");
        var ciphertexts = Blobs(vault, $"SELECT ciphertext FROM field_values WHERE subject_id = '{id}';");
        var keys = Blobs(vault, $"SELECT wrapped_key FROM data_keys WHERE subject_id = '{id}';");
        Assert.Equal(3, ciphertexts.Count);
        Assert.Single(keys);
        var before = ReadDatabaseFiles(vault);
        Assert.All(ciphertexts.Concat(keys), s => Assert.True(Holds(before, s)));

        // Analytics was refused and the relationship ended over two years ago: nothing keeps the subject.
        vault.Time.Advance(TimeSpan.FromDays(3 * 365));
        Assert.Equal(1, await SweepAsync(vault));

        var afterSweep = ReadDatabaseFiles(vault);
        Assert.All(keys, k => Assert.False(Holds(afterSweep, k), "A wrapped key of the destroyed data is still in the database files."));
        await vault.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);
        var raw = ReadDatabaseFiles(vault);
        Assert.All(ciphertexts, c => Assert.False(Holds(raw, c), "A ciphertext of the destroyed data is still in the database files."));
    }

    private static async Task<string> CreateAsync(TestVault vault, params (string Name, string Value)[] fields)
    {
        await using var scope = vault.Scope();
        var typed = fields.ToDictionary(
            f => f.Name,
            f => f.Value.StartsWith('[') ? System.Text.Json.JsonDocument.Parse(f.Value).RootElement.Clone() : System.Text.Json.JsonSerializer.SerializeToElement(f.Value));
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(typed, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, created.Outcome);
        return created.Value!.Id;
    }

    private static async Task ConsentAsync(TestVault vault, string subjectId, string purpose, string state)
    {
        await using var scope = vault.Scope();
        var recorded = await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
            subjectId, new RecordConsentCommand(purpose, state, null, null, CollectionMethods.Api, "en", null, Shop), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
    }

    private static async Task<int> SweepAsync(TestVault vault)
    {
        await using var scope = vault.Scope();
        return await scope.ServiceProvider.GetRequiredService<RetentionEngine>().SweepAsync(CancellationToken.None);
    }

    private static async Task<IReadOnlyList<SubjectRetentionPlan>> PreviewAsync(TestVault vault, DateTimeOffset? at)
    {
        await using var scope = vault.Scope();
        return await scope.ServiceProvider.GetRequiredService<RetentionEngine>().PreviewAsync(at, CancellationToken.None);
    }

    private static List<(string Outcome, string Fields)> AuditOf(TestVault vault, string subjectId)
    {
        using var connection = vault.Services.GetRequiredService<AuditDatabase>().OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT outcome, fields FROM audit_entries WHERE action = 'retention.destroy' AND subject_id = $id ORDER BY sequence;";
        command.Parameters.AddWithValue("$id", subjectId);
        using var reader = command.ExecuteReader();
        var entries = new List<(string, string)>();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1)));
        }

        return entries;
    }

    private static long Count(TestVault vault, string sql) => (long)Scalar(vault, sql)!;

    private static string Text(TestVault vault, string sql) => (string)Scalar(vault, sql)!;

    private static object? Scalar(TestVault vault, string sql)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<byte[]> Blobs(TestVault vault, string sql)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var blobs = new List<byte[]>();
        while (reader.Read())
        {
            blobs.Add((byte[])reader[0]);
        }

        return blobs;
    }

    /// <summary>Whether the files hold the secret's last 24 bytes, random enough never to occur by chance.</summary>
    private static bool Holds(byte[] files, byte[] secret) => files.AsSpan().IndexOf(secret.AsSpan(secret.Length - 24)) >= 0;

    private static byte[] ReadDatabaseFiles(TestVault vault)
    {
        using var all = new MemoryStream();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            var path = vault.DatabasePath + suffix;
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                file.CopyTo(all);
            }
        }

        return all.ToArray();
    }
}
