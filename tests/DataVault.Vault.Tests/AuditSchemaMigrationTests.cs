using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Tests;

/// <summary>The audit database's own migrations keep every entry, and the chain written before them still verifies.</summary>
public sealed class AuditSchemaMigrationTests
{
    [Fact]
    public void Migrate_AuditDatabaseFromVersion1WithEntries_KeepsThemAndTheirChainVerifies()
    {
        using var directory = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "audit.db")};Pooling=False");
        SchemaMigrator.Migrate(connection, TimeProvider.System, targetVersion: 1, migrations: SchemaMigrator.Audit);
        Assert.Equal(1, SchemaMigrator.CurrentVersion(connection));

        // Entries as version 1 wrote them: ten hashed fields, no person.
        var previous = AuditChain.Genesis;
        var at = StoredInstant.Format(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
        for (var sequence = 1L; sequence <= 3; sequence++)
        {
            var record = new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, $"subject-{sequence}", "marketing-email", "email", TraceId: $"trace-{sequence}");
            var hash = AuditChain.ComputeHash(sequence, at, record, previous);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO audit_entries (sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash)
                VALUES ($seq, $at, $type, $actor, $action, $subject, $purpose, $fields, NULL, $outcome, $trace, $previous, $hash);
                """;
            insert.Parameters.AddWithValue("$seq", sequence);
            insert.Parameters.AddWithValue("$at", at);
            insert.Parameters.AddWithValue("$type", record.ActorType);
            insert.Parameters.AddWithValue("$actor", record.ActorId);
            insert.Parameters.AddWithValue("$action", record.Action);
            insert.Parameters.AddWithValue("$subject", record.SubjectId);
            insert.Parameters.AddWithValue("$purpose", record.PurposeId);
            insert.Parameters.AddWithValue("$fields", record.Fields);
            insert.Parameters.AddWithValue("$outcome", record.Outcome);
            insert.Parameters.AddWithValue("$trace", record.TraceId);
            insert.Parameters.AddWithValue("$previous", previous);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.ExecuteNonQuery();
            previous = hash;
        }

        SchemaMigrator.Migrate(connection, TimeProvider.System, migrations: SchemaMigrator.Audit);

        Assert.Equal(SchemaMigrator.Audit.Count, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(new AuditVerification(true, 3, 0, null, null), AuditVerifier.Verify(connection, new Dictionary<string, string>()));
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT group_concat(subject_id, ','), count(on_behalf_of) FROM audit_entries;";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("subject-1,subject-2,subject-3", 0L), (reader.GetString(0), reader.GetInt64(1)));
    }

    [Fact]
    public void Migrate_AuditDatabaseFromVersion3WithPeople_KeepsEntriesWithoutARequestAndTheirChainVerifies()
    {
        using var directory = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "audit.db")};Pooling=False");
        SchemaMigrator.Migrate(connection, TimeProvider.System, targetVersion: 3, migrations: SchemaMigrator.Audit);
        Assert.Equal(3, SchemaMigrator.CurrentVersion(connection));

        // Entries as version 3 wrote them: format 1 and format 2 (a person), no request column.
        var previous = AuditChain.Genesis;
        var at = StoredInstant.Format(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero));
        for (var sequence = 1L; sequence <= 4; sequence++)
        {
            var record = new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, $"subject-{sequence}", "marketing-email", "email", TraceId: $"trace-{sequence}", OnBehalfOf: sequence % 2 == 0 ? "staff-1" : null);
            var hash = AuditChain.ComputeHash(sequence, at, record, previous);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO audit_entries (sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of)
                VALUES ($seq, $at, $type, $actor, $action, $subject, $purpose, $fields, NULL, $outcome, $trace, $previous, $hash, $person);
                """;
            insert.Parameters.AddWithValue("$seq", sequence);
            insert.Parameters.AddWithValue("$at", at);
            insert.Parameters.AddWithValue("$type", record.ActorType);
            insert.Parameters.AddWithValue("$actor", record.ActorId);
            insert.Parameters.AddWithValue("$action", record.Action);
            insert.Parameters.AddWithValue("$subject", record.SubjectId);
            insert.Parameters.AddWithValue("$purpose", record.PurposeId);
            insert.Parameters.AddWithValue("$fields", record.Fields);
            insert.Parameters.AddWithValue("$outcome", record.Outcome);
            insert.Parameters.AddWithValue("$trace", record.TraceId);
            insert.Parameters.AddWithValue("$previous", previous);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$person", (object?)record.OnBehalfOf ?? DBNull.Value);
            insert.ExecuteNonQuery();
            previous = hash;
        }

        SchemaMigrator.Migrate(connection, TimeProvider.System, migrations: SchemaMigrator.Audit);

        // An entry made for a request chains on after the old ones.
        AuditStore.Append(connection, [new AuditRecord(AuditActors.Officer, "olga", AuditActions.SubjectErase, AuditOutcomes.Success, "subject-1", RequestId: "0196d0a0-1111-7c41-9b52-3f1e2d4c5b6a")], DateTimeOffset.UnixEpoch);

        Assert.Equal(SchemaMigrator.Audit.Count, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(new AuditVerification(true, 5, 0, null, null), AuditVerifier.Verify(connection, new Dictionary<string, string>()));
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT group_concat(subject_id, ','), count(on_behalf_of), count(request_id) FROM audit_entries WHERE sequence <= 4;";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("subject-1,subject-2,subject-3,subject-4", 2L, 0L), (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
    }
}
