using System.Text.Json;
using DataVault.Vault.Audit;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class RetentionServiceTests
{
    [Fact]
    public async Task EraseThenRetentionEnds_LegalHoldIsKeptUntilItsDateThenShredded()
    {
        await using var vault = await TestVault.StartAsync();
        string subjectId;
        await using (var scope = vault.Scope())
        {
            var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
            var created = await subjects.CreateAsync(Fields(("email", "ana@example.com"), ("tax_id", "ESX1234567Z")), CancellationToken.None);
            subjectId = created.Value!.Id;
            var receipt = await subjects.EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
            var held = Assert.Single(receipt.Value!.RetainedKeyGroups);
            Assert.Equal("legal-hold", held.KeyGroup);
            Assert.Equal(vault.Time.GetUtcNow().AddYears(10), held.RetainUntil);
        }

        // The purge takes the shredded group's ciphertexts and leaves the held one's.
        var writer = vault.Services.GetRequiredService<VaultWriter>();
        await writer.PurgeAsync(CancellationToken.None);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(1L, Count(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subjectId}';"));
            Assert.Equal(1L, Count(connection, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{subjectId}';"));
        }

        vault.Time.Advance(TimeSpan.FromDays(365 * 10));
        await using (var scope = vault.Scope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<RetentionService>().ShredExpiredAsync(CancellationToken.None));
        }

        vault.Time.Advance(TimeSpan.FromDays(3));
        await using (var scope = vault.Scope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RetentionService>().ShredExpiredAsync(CancellationToken.None));
        }

        using (var connection = vault.OpenDatabase())
        {
            // Shredded at once; its ciphertexts are queued for the same purge as an erasure's.
            Assert.Equal(0L, Count(connection, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{subjectId}';"));
        }

        await writer.PurgeAsync(CancellationToken.None);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Count(connection, "SELECT COUNT(*) FROM ciphertext_purges;"));
            Assert.Equal(0L, Count(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subjectId}';"));
            Assert.Equal(0L, Count(connection, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{subjectId}';"));
            Assert.Equal(1L, Count(connection, $"SELECT COUNT(*) FROM subjects WHERE id = '{subjectId}' AND status = 'erased';"));
        }
    }

    [Fact]
    public async Task PlanErasure_NamesWhatGoesAndWhatIsHeld_AsTheErasureThenDoes()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var subjectId = (await subjects.CreateAsync(Fields(("email", "ana@example.com"), ("tax_id", "ESX1234567Z")), CancellationToken.None)).Value!.Id;

        var plan = await subjects.PlanErasureAsync(subjectId, CancellationToken.None);

        Assert.Equal(
            [new PlannedFieldErasure("email", "standard", null), new PlannedFieldErasure("tax_id", "legal-hold", vault.Time.GetUtcNow().AddYears(10))],
            plan.Value!.Fields);
        var receipt = await subjects.EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
        Assert.Equal(plan.Value.Fields[1].HeldUntil, Assert.Single(receipt.Value!.RetainedKeyGroups).RetainUntil);
        Assert.Equal(VaultOutcome.Gone, (await subjects.PlanErasureAsync(subjectId, CancellationToken.None)).Outcome);
        Assert.Equal(VaultOutcome.NotFound, (await subjects.PlanErasureAsync("not-a-subject", CancellationToken.None)).Outcome);
    }

    internal static Dictionary<string, JsonElement> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => JsonSerializer.SerializeToElement(f.Value));

    private static long Count(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
