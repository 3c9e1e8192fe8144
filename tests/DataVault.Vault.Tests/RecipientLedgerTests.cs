using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class RecipientLedgerTests
{
    private const string Ana = "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a";
    private const string Ben = "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6b";

    [Fact]
    public async Task RecipientLedger_ClientReleases_RecordedAndNothingElse()
    {
        await using var vault = await TestVault.StartAsync();
        var trail = vault.Services.GetRequiredService<AuditWriter>();
        var start = vault.Time.GetUtcNow();
        await trail.WriteAsync(Client("shop", AuditActions.SubjectCreate, Ana, null, "given_name,email"), CancellationToken.None);
        vault.Time.Advance(TimeSpan.FromMinutes(1));
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectRead, Ana, "marketing-email", "given_name,email"), CancellationToken.None);
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectRead, Ben, "marketing-email", "email"), CancellationToken.None);

        // Released nothing: refused, timed out, withheld everything, read by the subject or an officer, or no subject read.
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectRead, Ana, "analytics", "interests") with { Outcome = AuditOutcomes.Denied }, CancellationToken.None);
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectRead, Ana, "analytics", "interests") with { Outcome = AuditOutcomes.TimedOut }, CancellationToken.None);
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectRead, Ana, "personalisation", null), CancellationToken.None);
        await trail.WriteAsync(new AuditRecord(AuditActors.Officer, "officer-1", AuditActions.SubjectRead, AuditOutcomes.Success, Ana, "analytics", "interests"), CancellationToken.None);
        await trail.WriteAsync(new AuditRecord(AuditActors.Subject, Ana, AuditActions.SubjectRead, AuditOutcomes.Success, Ana, null, "email"), CancellationToken.None);
        await trail.WriteAsync(Client("crm-eu", AuditActions.SubjectErase, Ana, null, null), CancellationToken.None);

        var ledger = vault.Services.GetRequiredService<IRecipientLedger>();
        var ana = await ledger.ForSubjectAsync(Ana, CancellationToken.None);
        Assert.Equal(
            [
                ("crm-eu", "marketing-email", "email,given_name", start.AddMinutes(1), false),
                ("shop", null, "email,given_name", start, true),
            ],
            ana.Select(r => (r.ClientId, r.PurposeId, string.Join(',', r.Fields), r.FirstAt, r.Provided)));

        var first = await ledger.ForClientAsync("crm-eu", null, 1, CancellationToken.None);
        Assert.Equal([Ana], first.Select(r => r.SubjectId));
        var second = await ledger.ForClientAsync("crm-eu", first[^1].SubjectId, 1, CancellationToken.None);
        Assert.Equal([(Ben, "email")], second.Select(r => (r.SubjectId, string.Join(',', r.Fields))));
        Assert.Empty(await ledger.ForClientAsync("crm-eu", second[^1].SubjectId, 1, CancellationToken.None));
    }

    [Fact]
    public async Task RecipientLedger_RepeatedRelease_StampsTheLastInstantOncePerGranularity()
    {
        await using var vault = await TestVault.StartAsync(settings: new Dictionary<string, string?> { ["Audit:LedgerLastSeenGranularity"] = "00:10:00" });
        var trail = vault.Services.GetRequiredService<AuditWriter>();
        var start = vault.Time.GetUtcNow();
        var read = Client("crm-eu", AuditActions.SubjectRead, Ana, "marketing-email", "email");
        await trail.WriteAsync(read, CancellationToken.None);
        vault.Time.Advance(TimeSpan.FromMinutes(5));
        await trail.WriteAsync(read, CancellationToken.None);

        var ledger = vault.Services.GetRequiredService<IRecipientLedger>();
        Assert.Equal((start, start), Instants(Assert.Single(await ledger.ForSubjectAsync(Ana, CancellationToken.None))));

        vault.Time.Advance(TimeSpan.FromMinutes(6));
        await trail.WriteAsync(read, CancellationToken.None);
        Assert.Equal((start, start.AddMinutes(11)), Instants(Assert.Single(await ledger.ForSubjectAsync(Ana, CancellationToken.None))));
    }

    [Fact]
    public async Task RecipientLedger_UpgradedTrail_Backfilled()
    {
        await using var vault = TestVault.Create();
        var database = vault.Services.GetRequiredService<AuditDatabase>();
        var at = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
        var count = RecipientLedgerFold.BackfillChunk + 5;
        Directory.CreateDirectory(Path.GetDirectoryName(database.Path)!);
        using (var connection = database.OpenWriter())
        {
            // A trail from before the ledger: more entries than one backfill chunk, the last one a release.
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 1, migrations: SchemaMigrator.Audit);
            using var transaction = connection.BeginTransaction();
            var previous = AuditChain.Genesis;
            for (long sequence = 1; sequence <= count; sequence++)
            {
                var record = sequence == count
                    ? Client("crm-eu", AuditActions.SubjectRead, Ben, "analytics", "interests")
                    : Client("crm-eu", AuditActions.SubjectRead, Ana, "marketing-email", sequence % 2 == 0 ? "email" : "email,given_name");
                var hash = AuditChain.ComputeHash(sequence, StoredInstant.Format(at), record, previous);
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO audit_entries (sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, outcome, previous_hash, hash)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
                    """;
                object?[] values = [sequence, StoredInstant.Format(at), record.ActorType, record.ActorId, record.Action, record.SubjectId, record.PurposeId, record.Fields, record.Outcome, previous, hash];
                for (var i = 0; i < values.Length; i++)
                {
                    insert.Parameters.AddWithValue("$" + (i + 1), values[i]);
                }

                insert.ExecuteNonQuery();
                previous = hash;
            }

            transaction.Commit();
        }

        await vault.Services.InitializeVaultAsync();

        var ledger = vault.Services.GetRequiredService<IRecipientLedger>();
        var ana = await ledger.ForSubjectAsync(Ana, CancellationToken.None);
        Assert.Equal([("email,given_name", 1L), ("email", 2L)], ana.Select(r => (string.Join(',', r.Fields), r.FirstSequence)));
        Assert.Equal(["interests"], Assert.Single(await ledger.ForSubjectAsync(Ben, CancellationToken.None)).Fields);
        using (var connection = database.OpenReader())
        {
            Assert.Equal((long)count, Scalar(connection, "SELECT COUNT(*) FROM audit_entries;"));
            Assert.Equal((long)count, Scalar(connection, "SELECT through_sequence FROM recipient_ledger_state;"));
        }

        // Appends go on from there.
        await vault.Services.GetRequiredService<AuditWriter>().WriteAsync(Client("shop", AuditActions.SubjectRectify, Ben, null, "email"), CancellationToken.None);
        Assert.Equal(2, (await ledger.ForSubjectAsync(Ben, CancellationToken.None)).Count);
    }

    private static AuditRecord Client(string clientId, string action, string subjectId, string? purposeId, string? fields) =>
        new(AuditActors.Client, clientId, action, AuditOutcomes.Success, subjectId, purposeId, fields);

    private static (DateTimeOffset, DateTimeOffset) Instants(RecipientRecord record) => (record.FirstAt, record.LastAt);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
