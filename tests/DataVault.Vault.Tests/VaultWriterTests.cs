using System.Text;
using System.Text.Json;
using DataVault.Policies;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Consents;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>
/// Group commit: changes queued while the writer is held are run as one batch when it is let go, so
/// these tests decide exactly which changes share a transaction.
/// </summary>
public sealed class VaultWriterTests
{
    [Fact]
    public async Task WriteAsync_WhileABatchRuns_WaitsForTheNextBatch()
    {
        await using var vault = await TestVault.StartAsync();
        var writer = vault.Services.GetRequiredService<VaultWriter>();
        var first = await WriterHold.HoldAsync(writer);

        var second = WriterHold.HoldAsync(writer);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        first.Dispose();
        first.Dispose();
        (await second).Dispose();
        (await WriterHold.HoldAsync(writer)).Dispose();
    }

    [Fact]
    public async Task VaultWrites_WhileTheWriterIsHeld_WaitForItInsteadOfContendingForTheDatabase()
    {
        await using var vault = await TestVault.StartAsync();
        var existing = await CreateAsync(vault, """{"email":"ana@example.com"}""");
        var writer = vault.Services.GetRequiredService<VaultWriter>();

        var held = await WriterHold.HoldAsync(writer);
        await using var other = vault.Scope();
        var create = other.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"email":"marta@example.com"}"""), CancellationToken.None);
        await using var third = vault.Scope();
        var consent = third.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(existing, Given("marketing-email"), CancellationToken.None);
        await Task.Delay(200);

        Assert.False(create.IsCompleted);
        Assert.False(consent.IsCompleted);
        held.Dispose();
        Assert.Equal(VaultOutcome.Ok, (await create).Outcome);
        Assert.Equal(VaultOutcome.Ok, (await consent).Outcome);
    }

    [Fact]
    public async Task Batch_RefusedOrFailingChanges_DoNotFailOrUndoTheOthers()
    {
        await using var vault = await TestVault.StartAsync();
        var existing = await CreateAsync(vault, """{"email":"ana@example.com"}""");
        await using (var scope = vault.Scope())
        {
            var recorded = await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(existing, Given("analytics"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
        }

        var writer = vault.Services.GetRequiredService<VaultWriter>();
        var held = await WriterHold.HoldAsync(writer);
        await using var scope1 = vault.Scope();
        await using var scope2 = vault.Scope();
        await using var scope3 = vault.Scope();
        await using var scope4 = vault.Scope();
        await using var scope5 = vault.Scope();
        var first = scope1.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"email":"first@example.com"}"""), CancellationToken.None);
        var unknown = scope2.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(SubjectId.New(vault.Time), Given("analytics"), CancellationToken.None);
        var invalid = scope3.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(existing, Given("analytics") with { State = "maybe" }, CancellationToken.None);
        var outOfOrder = scope4.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
            existing, Given("analytics") with { OccurredAt = vault.Time.GetUtcNow().AddDays(-1) }, CancellationToken.None);
        var failing = writer.WriteAsync(new FailingWrite(existing), CancellationToken.None);
        var withdrawn = scope5.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(existing, Given("analytics") with { State = "withdrawn" }, CancellationToken.None);
        held.Dispose();

        Assert.Equal(VaultOutcome.Ok, (await first).Outcome);
        Assert.Equal(VaultOutcome.NotFound, (await unknown).Outcome);
        Assert.Equal(VaultOutcome.Invalid, (await invalid).Outcome);
        Assert.Contains("occurredAt", (await outOfOrder).Errors.Keys);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(VaultOutcome.Ok, (await withdrawn).Outcome);

        using var connection = vault.OpenDatabase();
        Assert.Equal(1L, Scalar(connection, $"SELECT COUNT(*) FROM subjects WHERE id = '{(await first).Value!.Id}';"));
        Assert.Equal("given,withdrawn", Scalar(connection, $"SELECT group_concat(state, ',') FROM (SELECT state FROM consent_events WHERE subject_id = '{existing}' ORDER BY state);"));

        // The failing change's own insert was rolled back with its savepoint.
        Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM restriction_events WHERE subject_id = '{existing}';"));
    }

    [Fact]
    public async Task Batch_CommitFails_FailsEveryChangeWritesNothingAndLogsTheErrorWithoutValues()
    {
        await using var vault = await TestVault.StartAsync();
        var existing = await CreateAsync(vault, """{"email":"ana@example.com"}""");
        using (var connection = vault.OpenDatabase())
        {
            // The failure below is a deferred foreign-key violation, reported only by COMMIT.
            Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys;"));
        }

        var writer = vault.Services.GetRequiredService<VaultWriter>();
        var held = await WriterHold.HoldAsync(writer);
        await using var scope1 = vault.Scope();
        await using var scope2 = vault.Scope();
        await using var scope3 = vault.Scope();
        var create = scope1.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"email":"lost@example.com"}"""), CancellationToken.None);
        var consent = scope2.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(existing, Given("analytics"), CancellationToken.None);
        var breaking = writer.WriteAsync(new CommitBreakingWrite(), CancellationToken.None);
        var erase = scope3.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(existing, "test", Actor.System("test"), CancellationToken.None);
        held.Dispose();

        var failures = new[]
        {
            await Assert.ThrowsAsync<SqliteException>(() => create),
            await Assert.ThrowsAsync<SqliteException>(() => consent),
            await Assert.ThrowsAsync<SqliteException>(() => breaking),
            await Assert.ThrowsAsync<SqliteException>(() => erase),
        };
        Assert.All(failures, f => Assert.Equal(19, f.SqliteErrorCode));

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM subjects;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM consent_events;"));
            Assert.Equal(1L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{existing}';"));
            Assert.Equal(DBNull.Value, Scalar(connection, $"SELECT erased_at FROM subjects WHERE id = '{existing}';"));
        }

        // The error is logged with its exception, which names the constraint, never a value the batch bound.
        var logged = Assert.Single(vault.Logs.Entries, e => e.EventId == 1009);
        Assert.Equal(19, Assert.IsType<SqliteException>(logged.Exception).SqliteErrorCode);
        Assert.Contains("FOREIGN KEY constraint failed", logged.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(vault.Logs.Entries, e => e.Text.Contains("lost@example.com", StringComparison.Ordinal) || e.Text.Contains(CommitBreakingWrite.Value, StringComparison.Ordinal));

        // The writer carries on with the next batch.
        await using var after = vault.Scope();
        Assert.Equal(VaultOutcome.Ok, (await after.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(existing, "test", Actor.System("test"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Batch_ErasureAndOtherChangesOfTheSameSubject_BehaveAsIfRunOneAfterAnother()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateAsync(vault, """{"email":"ana@example.com","given_name":"Ana"}""");
        var writer = vault.Services.GetRequiredService<VaultWriter>();

        var held = await WriterHold.HoldAsync(writer);
        await using var scope1 = vault.Scope();
        await using var scope2 = vault.Scope();
        await using var scope3 = vault.Scope();
        await using var scope4 = vault.Scope();
        await using var scope5 = vault.Scope();
        var consentBefore = scope1.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(subjectId, Given("analytics"), CancellationToken.None);
        var erase = scope2.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
        var consentAfter = scope3.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(subjectId, Given("personalisation"), CancellationToken.None);
        var restrictAfter = scope4.ServiceProvider.GetRequiredService<ConsentService>().RestrictAsync(subjectId, "disputed", Actor.Client("crm"), CancellationToken.None);
        var eraseAgain = scope5.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);

        // Queued after reading the subject as it still is (the erasure is not committed yet).
        await using var scope6 = vault.Scope();
        var rectifyAfter = scope6.ServiceProvider.GetRequiredService<SubjectService>().RectifyAsync(subjectId, Fields("""{"given_name":"Ana María"}"""), Actor.System("test"), CancellationToken.None);
        await Task.Delay(200);

        // Not acknowledged, so not yet erased for a reader either.
        await using (var reader = vault.Scope())
        {
            Assert.Equal(VaultOutcome.Ok, (await reader.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(subjectId, CancellationToken.None)).Outcome);
        }

        held.Dispose();

        Assert.Equal(VaultOutcome.Ok, (await consentBefore).Outcome);
        Assert.Equal(VaultOutcome.Ok, (await erase).Outcome);
        Assert.Equal(VaultOutcome.Gone, (await consentAfter).Outcome);
        Assert.Equal(VaultOutcome.Gone, (await restrictAfter).Outcome);
        Assert.Equal(VaultOutcome.Gone, (await eraseAgain).Outcome);
        Assert.Equal(VaultOutcome.Gone, (await rectifyAfter).Outcome);
        await using (var reader = vault.Scope())
        {
            Assert.Equal(VaultOutcome.Gone, (await reader.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(subjectId, CancellationToken.None)).Outcome);
        }

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM data_keys WHERE subject_id = '{subjectId}';"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM consent_events;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM restriction_events;"));
            Assert.Equal(1L, Scalar(connection, $"SELECT COUNT(*) FROM erasure_receipts WHERE subject_id = '{subjectId}';"));
        }

        // The ciphertexts follow in the background purge, which truncates the log once it is done: no
        // page image of the subject is left in it.
        await writer.PurgeAsync(CancellationToken.None);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subjectId}';"));
        }

        Assert.Equal(0L, new FileInfo(vault.DatabasePath + "-wal").Length);
    }

    [Fact]
    public async Task EraseSubjectWrite_LongHistory_DeletesTheKeysAndQueuesTheCiphertextsWithoutDeletingOne()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateAsync(vault, """{"email":"ana@example.com","given_name":"Ana","tax_id":"ESX1234567Z"}""");
        await using (var scope = vault.Scope())
        {
            var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
            for (var i = 0; i < 20; i++)
            {
                await subjects.RectifyAsync(subjectId, Fields($$"""{"given_name":"Ana {{i}}"}"""), Actor.System("test"), CancellationToken.None);
            }
        }

        // Run the erasure alone on a connection of its own, as the writer would, and look inside its transaction.
        await using var eraseScope = vault.Scope();
        IQueuedVaultWrite erase = Erase(eraseScope, subjectId, vault.Services.GetRequiredService<PolicyCatalogue>(), vault.Time);
        using var connection = vault.OpenDatabase();
        using var context = new VaultWriteContext(connection, vault.Services.GetServices<IChangeObserver>(), vault.Time);
        var before = (long)Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subjectId}';")!;
        Assert.Equal(23L, before);
        context.Begin();
        Assert.True(erase.Run(context));
        Assert.Equal(before, context.Scalar("SELECT COUNT(*) FROM field_values WHERE subject_id = $1;", subjectId));
        Assert.Equal("legal-hold", context.Scalar("SELECT group_concat(key_group) FROM data_keys WHERE subject_id = $1;", subjectId));
        Assert.Equal("standard", context.Scalar("SELECT group_concat(key_group) FROM ciphertext_purges WHERE subject_id = $1;", subjectId));
        Assert.True(context.PurgeQueued);
        context.Commit();
    }

    [Fact]
    public async Task PurgeChunk_ErasedAndLiveSubjects_DeletesOnlyTheQueuedGroupsRowsAtMostAChunkAtATime()
    {
        await using var vault = await TestVault.StartAsync();
        var erased = await CreateAsync(vault, """{"email":"ana@example.com","tax_id":"ESX1234567Z"}""");
        var live = await CreateAsync(vault, """{"email":"bea@example.com","tax_id":"ESY7654321Z"}""");
        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(erased, "test", Actor.System("test"), CancellationToken.None);
        }

        // Let the erasure's own purge finish, so that no purge runs in the background while the test does it chunk by chunk.
        await vault.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);
        using var connection = vault.OpenDatabase();
        using var context = new VaultWriteContext(connection, vault.Services.GetServices<IChangeObserver>(), vault.Time);
        context.Begin();
        CiphertextPurge.Enqueue(context, erased, "standard", vault.Time.GetUtcNow());

        // A history longer than one chunk in the erased (shredded) group, and rows that must stay: the
        // erased subject's legal-hold group, and another subject's rows in the same group.
        foreach (var subject in new[] { erased, live })
        {
            context.Execute(
                """
                WITH RECURSIVE n(v) AS (SELECT 1000 UNION ALL SELECT v + 1 FROM n WHERE v < 1000 + $2)
                INSERT OR IGNORE INTO field_values (subject_id, field, version, key_group, ciphertext, created_at)
                SELECT $1, 'given_name', v, 'standard', randomblob(48), '2025-06-01T10:00:00.0000000Z' FROM n;
                """,
                subject,
                CiphertextPurge.RowsPerChunk + 500);
        }

        var queued = (long)context.Scalar("SELECT COUNT(*) FROM field_values WHERE subject_id = $1 AND key_group = 'standard';", erased)!;
        var liveRows = context.Scalar("SELECT COUNT(*) FROM field_values WHERE subject_id = $1;", live);
        Assert.True(queued > CiphertextPurge.RowsPerChunk);

        Assert.True(CiphertextPurge.PurgeChunk(context));
        Assert.Equal(queued - CiphertextPurge.RowsPerChunk, context.Scalar("SELECT COUNT(*) FROM field_values WHERE subject_id = $1 AND key_group = 'standard';", erased));
        Assert.False(CiphertextPurge.PurgeChunk(context));
        context.Commit();

        Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{erased}' AND key_group = 'standard';"));
        Assert.Equal(1L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{erased}' AND key_group = 'legal-hold';"));
        Assert.Equal(liveRows, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{live}';"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM ciphertext_purges;"));
    }

    [Fact]
    public async Task Purge_QueuedBeforeARestart_ResumesWhenTheVaultStarts()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateAsync(vault, """{"email":"ana@example.com","given_name":"Ana"}""");

        // An erasure committed right before the process stopped: its ciphertexts are queued, none purged.
        await using (var scope = vault.Scope())
        using (var connection = vault.OpenDatabase())
        using (var context = new VaultWriteContext(connection, vault.Services.GetServices<IChangeObserver>(), vault.Time))
        {
            IQueuedVaultWrite erase = Erase(scope, subjectId, vault.Services.GetRequiredService<PolicyCatalogue>(), vault.Time);
            context.Begin();
            Assert.True(erase.Run(context));
            context.Commit();
        }

        // A new process: the hosted services start, and the writer has nothing in memory about the erasure.
        var sweeper = vault.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RetentionSweeper>().Single();
        await sweeper.StartAsync(CancellationToken.None);
        try
        {
            // Bounded, so that a purge that never resumes fails the test.
            using var connection = vault.OpenDatabase();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((long)Scalar(connection, "SELECT COUNT(*) FROM ciphertext_purges;")! > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM ciphertext_purges;"));
            Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subjectId}';"));
        }
        finally
        {
            await sweeper.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Batch_CreateThenEraseOfOneSubject_LeavesNoKeyInTheCache()
    {
        await using var vault = await TestVault.StartAsync();
        var writer = vault.Services.GetRequiredService<VaultWriter>();
        var cache = vault.Services.GetRequiredService<DataKeyCache>();
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var catalogue = vault.Services.GetRequiredService<PolicyCatalogue>();
        var subjectId = SubjectId.New(vault.Time);
        var now = vault.Time.GetUtcNow();
        var key = NewDataKey.Generate(kek, subjectId, "standard");
        var version = new NewFieldVersion("given_name", 1, "standard", FieldCipher.Encrypt(key.Key, subjectId, "given_name", 1, Encoding.UTF8.GetBytes("\"Ana\"")));

        var held = await WriterHold.HoldAsync(writer);
        await using var scope = vault.Scope();
        var eraseFirst = writer.WriteAsync(Erase(scope, subjectId, catalogue, vault.Time), CancellationToken.None);
        var create = writer.WriteAsync(new CreateSubjectWrite(subjectId, now, [key], [version], [], cache), CancellationToken.None);
        var erase = writer.WriteAsync(Erase(scope, subjectId, catalogue, vault.Time), CancellationToken.None);
        held.Dispose();

        Assert.Equal(VaultOutcome.NotFound, (await eraseFirst).Outcome);
        Assert.True(await create);
        Assert.Equal(["standard"], (await erase).Value!.ShreddedKeyGroups);
        Assert.False(cache.TryGet(subjectId, "standard", out _));
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileQueued_IsDroppedAndWritesNothing()
    {
        await using var vault = await TestVault.StartAsync();
        var writer = vault.Services.GetRequiredService<VaultWriter>();
        using var cancellation = new CancellationTokenSource();

        var held = await WriterHold.HoldAsync(writer);
        await using var scope = vault.Scope();
        var create = scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields("""{"email":"gone@example.com"}"""), cancellation.Token);
        await cancellation.CancelAsync();
        held.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        using var connection = vault.OpenDatabase();
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM subjects;"));
    }

    private static EraseSubjectWrite Erase(AsyncServiceScope scope, string subjectId, PolicyCatalogue catalogue, TimeProvider time) => new(
        subjectId,
        "test",
        catalogue,
        scope.ServiceProvider.GetServices<IErasureStep>(),
        scope.ServiceProvider.GetRequiredService<DataKeyStore>(),
        time);

    private static async Task<string> CreateAsync(TestVault vault, string json)
    {
        await using var scope = vault.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(Fields(json), CancellationToken.None);
        return created.Value!.Id;
    }

    private static RecordConsentCommand Given(string purpose) =>
        new(purpose, "given", null, null, "api", "en", null, Actor.Client("crm"));

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Writes a row, then fails as a change with a bug would.</summary>
    private sealed class FailingWrite(string subjectId) : VaultWrite<bool>
    {
        protected override bool Execute(VaultWriteContext context)
        {
            context.Execute(
                "INSERT INTO restriction_events (id, subject_id, action, reason, occurred_at, actor_type, actor_id) VALUES ($1, $2, 'restricted', 'test', '2025-01-01T00:00:00.0000000Z', 'client', 'crm');",
                Guid.NewGuid().ToString(),
                subjectId);
            throw new InvalidOperationException("A change that fails after writing.");
        }
    }

    /// <summary>Leaves a foreign-key violation that SQLite reports only when the batch commits.</summary>
    private sealed class CommitBreakingWrite : VaultWrite<bool>
    {
        /// <summary>Bound by the statement, so it must not reach the log when the commit fails.</summary>
        public const string Value = "bound-value@example.com";

        protected override bool Execute(VaultWriteContext context)
        {
            context.Execute("PRAGMA defer_foreign_keys = ON;");
            context.Execute(
                "INSERT INTO blind_index (subject_id, field, digest) VALUES ($1, 'email', $2);",
                "00000000-0000-7000-8000-000000000000",
                Value);
            return true;
        }
    }
}
