using System.Text;
using DataVault.Vault.Audit;
using DataVault.Vault.Encryption;
using DataVault.Vault.Retention;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class RetentionMigrationTests
{
    [Fact]
    public async Task Migrate_DatabaseFromVersion17_KeepsSubjectsAndTheirHistory_AndRecordsRelationshipEndsBesideThem()
    {
        await using var vault = TestVault.Create();
        var subjectId = SubjectId.New(vault.Time);
        var key = DataKey.Generate();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 17);
            var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", subjectId);
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", subjectId, kek.Wrap(key, subjectId, "standard"));
            Execute(
                connection,
                "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'email', 1, 'standard', $k, '2025-06-01T10:00:00.0000000Z');",
                subjectId,
                FieldCipher.Encrypt(key, subjectId, "email", 1, Encoding.UTF8.GetBytes("\"ana@example.com\"")));
            Execute(
                connection,
                """
                INSERT INTO consent_events (id, subject_id, purpose_id, purpose_version, state, occurred_at, recorded_at, collection_method, actor_type, actor_id, notice_language)
                VALUES ('0198c8a4-0000-7000-8000-0000000000c1', $id, 'marketing-email', 'v1', 'given', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z', 'api', 'client', 'shop', 'en');
                """,
                subjectId);
        }

        await vault.Services.InitializeVaultAsync();

        await using var scope = vault.Scope();
        var read = await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(subjectId, CancellationToken.None);
        Assert.Equal("ana@example.com", Assert.Single(read.Value!.Fields).Value.GetString());
        var retention = scope.ServiceProvider.GetRequiredService<RetentionEngine>();
        var ended = await retention.EndRelationshipAsync(subjectId, "service-delivery", vault.Time.GetUtcNow(), null, Actor.Client("shop"), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, ended.Outcome);
        Assert.Equal([ended.Value!], (await retention.GetRelationshipEndsAsync(subjectId, CancellationToken.None)).Value!);
        using var after = vault.OpenDatabase();
        using var command = after.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM consent_events;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    private static void Execute(SqliteConnection connection, string sql, string subjectId, byte[]? blob = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", subjectId);
        if (blob is not null)
        {
            command.Parameters.AddWithValue("$k", blob);
        }

        command.ExecuteNonQuery();
    }
}
