using System.Text;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace DataVault.Vault.Tests;

public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task Migrate_DatabaseFromVersion1WithData_UpgradesWithoutLosingData()
    {
        await using var vault = TestVault.Create();
        var subjectId = SubjectId.New(vault.Time);
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var key = DataKey.Generate();

        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 1);
            Assert.Equal(1, SchemaMigrator.CurrentVersion(connection));
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-02T10:00:00.0000000Z');", ("$id", subjectId));
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subjectId), ("$k", kek.Wrap(key, subjectId, "standard")));
            foreach (var (version, value) in new[] { (1, "\"Ana\""), (2, "\"Ana María\"") })
            {
                Execute(
                    connection,
                    "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'given_name', $v, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                    ("$id", subjectId),
                    ("$v", version),
                    ("$c", FieldCipher.Encrypt(key, subjectId, "given_name", version, Encoding.UTF8.GetBytes(value))));
            }
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(SchemaMigrator.All.Count, SchemaMigrator.CurrentVersion(connection));
            Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM field_values;"));
            Assert.Equal(DBNull.Value, Scalar(connection, "SELECT erased_at FROM subjects;"));
            Assert.Equal(DBNull.Value, Scalar(connection, "SELECT retain_until FROM data_keys;"));
        }

        await using var scope = vault.Scope();
        var read = await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(subjectId, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, read.Outcome);
        var field = Assert.Single(read.Value!.Fields);
        Assert.Equal("Ana María", field.Value.GetString());
        Assert.Equal(2, field.Version);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero), read.Value.UpdatedAt);

        // The upgraded database works for new writes and erasure like a fresh one.
        var erased = await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, erased.Outcome);
    }

    [Fact]
    public async Task Migrate_FieldValuesFromVersion5_ClustersThemWithoutLosingDataOrLeavingCopiesBehind()
    {
        await using var vault = TestVault.Create();
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        string[] subjects = [SubjectId.New(vault.Time), SubjectId.New(vault.Time)];
        var keys = subjects.ToDictionary(s => s, _ => DataKey.Generate());
        var ciphertexts = subjects.ToDictionary(s => s, _ => new List<byte[]>());

        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 5);
            foreach (var subject in subjects)
            {
                Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
                Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subject), ("$k", kek.Wrap(keys[subject], subject, "standard")));
            }

            // Rectified in turns, so each subject's versions are interleaved with the other's in the old table.
            for (var version = 1; version <= 3; version++)
            {
                foreach (var subject in subjects)
                {
                    var ciphertext = FieldCipher.Encrypt(keys[subject], subject, "given_name", version, Encoding.UTF8.GetBytes($"\"Name {version}\""));
                    ciphertexts[subject].Add(ciphertext);
                    Execute(
                        connection,
                        "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'given_name', $v, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                        ("$id", subject),
                        ("$v", version),
                        ("$c", ciphertext));
                }
            }
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Contains("WITHOUT ROWID", (string)Scalar(connection, "SELECT sql FROM sqlite_master WHERE name = 'field_values';")!, StringComparison.Ordinal);
            Assert.Equal(6L, Scalar(connection, "SELECT COUNT(*) FROM field_values;"));
        }

        await using var scope = vault.Scope();
        var service = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var read = await service.GetAsync(subjects[0], CancellationToken.None);
        var field = Assert.Single(read.Value!.Fields);
        Assert.Equal(("Name 3", 3), (field.Value.GetString(), field.Version));
        Assert.Equal(VaultOutcome.Ok, (await service.EraseAsync(subjects[0], "test", Actor.System("test"), CancellationToken.None)).Outcome);
        await vault.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);

        // The rebuild freed the old table's pages with secure_delete: the erased subject's ciphertexts are
        // nowhere in the files, while the other subject's are still there.
        var files = await ReadDatabaseFilesAsync(vault.DatabasePath);
        Assert.All(ciphertexts[subjects[0]], c => Assert.True(files.AsSpan().IndexOf(c.AsSpan()[^24..]) < 0, "A ciphertext of the erased subject is still in the database files."));
        Assert.All(ciphertexts[subjects[1]], c => Assert.True(files.AsSpan().IndexOf(c.AsSpan()[^24..]) >= 0));
    }

    [Fact]
    public async Task Migrate_FromVersion6_AddsThePurgeQueueKeepingTheDataAndPurgesThroughIt()
    {
        await using var vault = TestVault.Create();
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var subject = SubjectId.New(vault.Time);
        var key = DataKey.Generate();
        var ciphertext = FieldCipher.Encrypt(key, subject, "given_name", 1, Encoding.UTF8.GetBytes("\"Ana\""));
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 6);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subject), ("$k", kek.Wrap(key, subject, "standard")));
            Execute(
                connection,
                "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'given_name', 1, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                ("$id", subject),
                ("$c", ciphertext));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal((long)SchemaMigrator.All.Count, Scalar(connection, "SELECT MAX(version) FROM schema_migrations;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM ciphertext_purges;"));
        }

        await using var scope = vault.Scope();
        var service = scope.ServiceProvider.GetRequiredService<SubjectService>();
        Assert.Equal("Ana", Assert.Single((await service.GetAsync(subject, CancellationToken.None)).Value!.Fields).Value.GetString());
        Assert.Equal(VaultOutcome.Ok, (await service.EraseAsync(subject, "test", Actor.System("test"), CancellationToken.None)).Outcome);

        await vault.Services.GetRequiredService<VaultWriter>().PurgeAsync(CancellationToken.None);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM field_values WHERE subject_id = '{subject}';"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM ciphertext_purges;"));
        }
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion7WithClients_KeepsThemAndCountsEveryLaterChange()
    {
        await using var vault = TestVault.Create();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 7);
            Execute(connection, """
                INSERT INTO clients (id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at)
                VALUES ('crm-eu', 'EU CRM', 'pbkdf2-sha256$1$AA$AA', 'subjects.read', 'marketing-email', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');
                """);
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal("subjects.read", Scalar(connection, "SELECT scopes FROM clients WHERE id = 'crm-eu';"));
            var version = (long)Scalar(connection, "SELECT version FROM client_registry_version;")!;

            // Every kind of change to the clients table moves the counter, in the same transaction.
            Execute(connection, "UPDATE clients SET scopes = 'subjects.write' WHERE id = 'crm-eu';");
            Assert.Equal(version + 1, Scalar(connection, "SELECT version FROM client_registry_version;"));
            Execute(connection, "INSERT INTO clients (id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at) SELECT 'shop', display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at FROM clients;");
            Assert.Equal(version + 2, Scalar(connection, "SELECT version FROM client_registry_version;"));
            Execute(connection, "DELETE FROM clients WHERE id = 'shop';");
            Assert.Equal(version + 3, Scalar(connection, "SELECT version FROM client_registry_version;"));
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM client_registry_version;"));
        }

        var client = vault.Services.GetRequiredService<Clients.ClientRegistry>().Find("crm-eu");
        Assert.Equal(["subjects.write"], client!.Scopes);
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion8WithData_AddsAnEmptyMailOutboxAndKeepsEverything()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var key = DataKey.Generate();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 8);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subject), ("$k", kek.Wrap(key, subject, "standard")));
            Execute(
                connection,
                "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'email', 1, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                ("$id", subject),
                ("$c", FieldCipher.Encrypt(key, subject, "email", 1, Encoding.UTF8.GetBytes("\"ana@example.com\""))));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM mail_outbox;"));
        }

        await using var scope = vault.Scope();
        var read = await scope.ServiceProvider.GetRequiredService<SubjectService>().GetAsync(subject, CancellationToken.None);
        Assert.Equal("ana@example.com", Assert.Single(read.Value!.Fields).Value.GetString());

        // The upgraded database queues mail for the subject, and its erasure removes it.
        var queued = await vault.Services.GetRequiredService<Mail.IMailChannel>().SendAsync(
            new Mail.OutgoingMail("ana@example.com", "Hello", "Hello", null, "en", "test", subject), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, queued.Outcome);
        Assert.Equal(VaultOutcome.Ok, (await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subject, "test", Actor.System("test"), CancellationToken.None)).Outcome);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM mail_outbox;"));
        }
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion9WithInvitations_KeepsThemAndRevokesTheUnusedOnesThatClientsWereHanded()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 9);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            foreach (var (id, redeemed) in new[] { ("used", (object)"2025-06-02T10:00:00.0000000Z"), ("open", DBNull.Value) })
            {
                Execute(
                    connection,
                    "INSERT INTO invitations (id, subject_id, token_hash, created_by, created_at, expires_at, redeemed_at) VALUES ($id, $s, $h, 'crm', '2025-06-01T10:00:00.0000000Z', '2099-01-01T00:00:00.0000000Z', $r);",
                    ("$id", id),
                    ("$s", subject),
                    ("$h", Encoding.UTF8.GetBytes(id)),
                    ("$r", redeemed));
            }
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM invitations;"));
            Assert.Equal(DBNull.Value, Scalar(connection, "SELECT revoked_at FROM invitations WHERE id = 'used';"));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$", (string)Scalar(connection, "SELECT revoked_at FROM invitations WHERE id = 'open';")!);
            Assert.Equal(DBNull.Value, Scalar(connection, "SELECT email_digest FROM invitations WHERE id = 'open';"));
        }

        // The revocation time reads back through the accounts model like any other.
        await using var scope = vault.Scope();
        var db = scope.ServiceProvider.GetRequiredService<Accounts.AccountsDbContext>();
        Assert.NotNull((await db.Invitations.SingleAsync(i => i.Id == "open")).RevokedAt);
    }

    [Fact]
    public async Task Migrate_ChoiceEventsFromVersion10_KeepsThemAndAcceptsOfficersAndReasons()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 10);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'restricted', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, """
                INSERT INTO objection_events (id, subject_id, purpose_id, action, source, occurred_at, actor_type, actor_id)
                VALUES ('o1', $id, 'marketing-email', 'objected', 'portal', '2025-06-01T10:00:00.0000000Z', 'subject', $id),
                       ('o2', $id, NULL, 'objected', 'gpc', '2025-06-01T11:00:00.0000000Z', 'client', 'crm');
                """, ("$id", subject));
            Execute(connection, """
                INSERT INTO restriction_events (id, subject_id, action, reason, occurred_at, actor_type, actor_id)
                VALUES ('r1', $id, 'restricted', 'accuracy contested', '2025-06-01T12:00:00.0000000Z', 'subject', $id);
                """, ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(
                "o1|marketing-email|objected|portal|subject|;o2||objected|gpc|client|",
                Scalar(connection, "SELECT group_concat(id || '|' || coalesce(purpose_id, '') || '|' || action || '|' || source || '|' || actor_type || '|' || coalesce(reason, ''), ';') FROM (SELECT * FROM objection_events ORDER BY id);"));
            Assert.Equal("r1|restricted|accuracy contested|subject", Scalar(connection, "SELECT id || '|' || action || '|' || reason || '|' || actor_type FROM restriction_events;"));
            Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_objection_events_subject', 'ix_restriction_events_subject');"));
        }

        // The upgraded tables take what the old ones refused: an officer, the desk, a reason.
        await using var scope = vault.Scope();
        var consents = scope.ServiceProvider.GetRequiredService<Consents.ConsentService>();
        var lifted = await consents.LiftRestrictionAsync(subject, "accuracy verified with the customer", Audit.Actor.Officer("officer-1"), toldOtherwise: true, CancellationToken.None);
        Assert.Equal((VaultOutcome.Ok, true), (lifted.Outcome, lifted.Value));
        vault.Time.Advance(TimeSpan.FromSeconds(1));
        var liftedObjection = await consents.LiftObjectionAsync(subject, "marketing-email", Consents.ChoiceSources.Desk, "asked by letter", Audit.Actor.Officer("officer-1"), CancellationToken.None);
        Assert.Equal((VaultOutcome.Ok, true), (liftedObjection.Outcome, liftedObjection.Value));
        var history = await consents.GetChoiceHistoryAsync(subject, CancellationToken.None);
        Assert.Equal(5, history.Value!.Count);
        Assert.Equal(("officer", "asked by letter"), (history.Value[^1].Actor.Type, history.Value[^1].Reason));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion11WithAnAccount_AddsPasswordResets_WhichTheSubjectsErasureDeletes()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var key = DataKey.Generate();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 11);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subject), ("$k", kek.Wrap(key, subject, "standard")));
            Execute(
                connection,
                "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'email', 1, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                ("$id", subject),
                ("$c", FieldCipher.Encrypt(key, subject, "email", 1, Encoding.UTF8.GetBytes("\"ana@example.com\""))));
            Execute(connection, """
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp",
                    "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "SubjectId", "CreatedAt")
                VALUES ('account-1', 'ana@example.com', 'ANA@EXAMPLE.COM', 'ana@example.com', 'ANA@EXAMPLE.COM', 1, NULL, 'STAMP', 0, 0, 1, 0, $id, '2025-06-01T10:00:00.0000000Z');
                """, ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM password_resets;"));
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM \"AspNetUsers\";"));
        }

        // The account that came through the upgrade gets a reset link at its address on record; its erasure takes the link with it.
        await using var scope = vault.Scope();
        var requested = await scope.ServiceProvider.GetRequiredService<PasswordResetService>().RequestAsync("ana@example.com", "en", "https://vault.example/account/reset-password", CancellationToken.None);
        Assert.Equal(PasswordResetRequestOutcome.Sent, requested.Outcome);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM password_resets WHERE account_id = 'account-1' AND used_at IS NULL;"));
        }

        Assert.Equal(VaultOutcome.Ok, (await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subject, "test", Actor.System("test"), CancellationToken.None)).Outcome);
        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM password_resets;"));
        }
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion12WithClients_KeepsThem_AndRecordsTheirRecipientFactsBesideThem()
    {
        await using var vault = TestVault.Create();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 12);
            Execute(connection, """
                INSERT INTO clients (id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at)
                VALUES ('us-mailer', 'US Mailer', 'pbkdf2-sha256$1$AA$AA', 'subjects.read', 'marketing-email', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');
                """);
        }

        await vault.Services.InitializeVaultAsync();

        await using var scope = vault.Scope();
        var clients = scope.ServiceProvider.GetRequiredService<Clients.ClientService>();
        Assert.Equal("US Mailer", (await clients.FindAsync("us-mailer", CancellationToken.None))!.DisplayName);
        Assert.Empty(await clients.ListRecipientsAsync(CancellationToken.None));

        var updated = await clients.UpdateRecipientAsync("us-mailer", new Clients.ClientRecipientChange("processor", "us", "SCC 2021/914"), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, updated.Outcome);
        Assert.Equal(("processor", "US", "SCC 2021/914"), (updated.Value!.Category, updated.Value.TransferCountry, updated.Value.TransferSafeguard));

        // The schema itself refuses a transfer without its safeguard, whoever writes it.
        using var connection2 = vault.OpenDatabase();
        Assert.Throws<SqliteException>(() => Execute(connection2, "UPDATE client_recipients SET transfer_safeguard = NULL;"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion14WithData_KeepsIt_AndStatesLaterChangesFromTheFirstSequence()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        var kek = vault.Services.GetRequiredService<KeyEncryptionKey>();
        var key = DataKey.Generate();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 14);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($id, 'standard', $k, '2025-06-01T10:00:00.0000000Z');", ("$id", subject), ("$k", kek.Wrap(key, subject, "standard")));
            Execute(
                connection,
                "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($id, 'email', 1, 'standard', $c, '2025-06-01T10:00:00.0000000Z');",
                ("$id", subject),
                ("$c", FieldCipher.Encrypt(key, subject, "email", 1, Encoding.UTF8.GetBytes("\"ana@example.com\""))));
            Execute(connection, """
                INSERT INTO consent_events (id, subject_id, purpose_id, purpose_version, state, occurred_at, recorded_at, collection_method, actor_type, actor_id, notice_language)
                VALUES ('0197a000-0000-7000-8000-000000000001', $id, 'marketing-email', 'v1', 'given', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z', 'api', 'client', 'shop', 'en');
                """, ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM consent_events;"));
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM field_values;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM change_events;"));
            Assert.Equal(1L, Scalar(connection, "SELECT epoch FROM change_feed_head;"));
        }

        await using var scope = vault.Scope();
        Assert.Equal("ana@example.com", (await scope.ServiceProvider.GetRequiredService<SubjectService>().ReadTextFieldAsync(subject, "email", CancellationToken.None)));
        var withdrawn = await scope.ServiceProvider.GetRequiredService<Consents.ConsentService>().RecordAsync(
            subject,
            new Consents.RecordConsentCommand("marketing-email", "withdrawn", null, null, Consents.CollectionMethods.Api, "en", null, Actor.Client("shop")),
            CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, withdrawn.Outcome);
        var stated = Assert.Single(ChangeEventsTests.Events(vault));
        Assert.Equal((1L, Changes.ChangeTypes.ConsentWithdrawn, subject), (stated.Sequence, stated.Fact.Type, stated.Fact.SubjectId));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion15WithEvents_KeepsThem_AndRoutesTheBacklogOnceForGood()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        var occurred = vault.Time.GetUtcNow();
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 15);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "UPDATE change_feed_head SET sequence = 1;");
            Execute(
                connection,
                """
                INSERT INTO change_events (sequence, id, type, occurred_at, subject_id, purposes, fields, actor_type, actor_id)
                VALUES (1, 'evt_0197a000-0000-7000-8000-000000000001', 'consent.withdrawn', $at, $id, 'marketing-email', 'email', 'subject', $id);
                """,
                ("$id", subject),
                ("$at", StoredInstant.Format(occurred)));
        }

        await vault.Services.InitializeVaultAsync();
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Clients.Scopes.SubjectsWrite], ["service-delivery"]);
        await vault.Services.GetRequiredService<AuditWriter>().WriteAsync(
            new AuditRecord(AuditActors.Client, "shop", AuditActions.SubjectCreate, AuditOutcomes.Success, subject, null, "email"), CancellationToken.None);
        vault.Time.Advance(TimeSpan.FromMinutes(1));

        // An event from before routing existed, first seen long after it happened: routed once, for good.
        var router = vault.Services.GetRequiredService<Changes.ChangeRouter>();
        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));
        Assert.Equal(0, await router.RouteDueAsync(CancellationToken.None));
        Assert.Equal([(subject, "shop", 1L)], ChangeRoutingTests.Routed(vault).Select(r => (r.SubjectId, r.ClientId, r.FeedSequence)));
        using var after = vault.OpenDatabase();
        Assert.Equal(2L, Scalar(after, "SELECT routing FROM change_events WHERE sequence = 1;"));
        Assert.Equal(1L, Scalar(after, "SELECT COUNT(*) FROM subjects;"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion16WithQueuedMail_KeepsIt_AndRecordsRequestsWithTheirNoticesBesideIt()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 16);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, """
                INSERT INTO mail_outbox (id, kind, subject_id, recipient_mask, message, queued_at, attempts, next_attempt_at)
                VALUES ('0198c8a4-0000-7000-8000-0000000000aa', 'invitation', $id, 'a***@example.com', x'00', '2025-06-01T10:00:00.0000000Z', 0, '2025-06-01T10:00:00.0000000Z');
                """, ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            Assert.Equal("invitation||" + subject, Scalar(connection, "SELECT kind || '|' || coalesce(request_id, '') || '|' || subject_id FROM mail_outbox;"));
        }

        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<Requests.RequestService>();
        var created = await requests.CreateAsync(
            new Requests.NewRequest(Requests.RequestTypes.Access, subject, new Requests.RequesterContact(null, "ana@example.com", null), Requests.RequestChannels.Letter, null, "en", null, null),
            Actor.Officer("officer-1"),
            CancellationToken.None);
        Assert.Equal(Requests.RequestOutcome.Ok, created.Outcome);

        // The schema itself refuses a pause outside the identity check, whoever writes it.
        using var connection2 = vault.OpenDatabase();
        Assert.Equal(1L, Scalar(connection2, "SELECT COUNT(*) FROM mail_outbox WHERE request_id IS NOT NULL;"));
        Assert.Throws<SqliteException>(() => Execute(connection2, "UPDATE requests SET paused_since = '2026-01-01';"));
    }

    [Fact]
    public async Task Migrate_DatabaseWithRoutedEventsFromBeforeWebhooks_KeepsThem_AndTheirRecipientsCanAcknowledgeThem()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        var webhooks = SchemaMigrator.All.Single(m => m.Name == "webhooks").Version;
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: webhooks - 1);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, "UPDATE change_feed_head SET sequence = 1;");
            Execute(connection, "UPDATE change_recipient_head SET feed_sequence = 1;");
            Execute(
                connection,
                """
                INSERT INTO change_events (sequence, id, type, occurred_at, subject_id, purposes, fields, actor_type, actor_id, routing)
                VALUES (1, 'evt_0197a000-0000-7000-8000-000000000001', 'subject.erased', '2025-06-01T10:00:00.0000000Z', $id, 'marketing-email', 'email', 'subject', $id, 2);
                INSERT INTO change_recipients (client_id, feed_sequence, sequence, reason, routed_at) VALUES ('shop', 1, 1, 'provided', '2025-06-01T10:00:01.0000000Z');
                """,
                ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        // The event and its recipient are still there, outstanding until the recipient acknowledges it.
        var acknowledgements = vault.Services.GetRequiredService<Webhooks.ChangeAcknowledgements>();
        var outstanding = Assert.Single(acknowledgements.Outstanding(10));
        Assert.Equal(("shop", "evt_0197a000-0000-7000-8000-000000000001", subject), (outstanding.ClientId, outstanding.EventId, outstanding.SubjectId));
        var acknowledged = await acknowledgements.AcknowledgeAsync("shop", ["evt_0197a000-0000-7000-8000-000000000001"], CancellationToken.None);
        Assert.Equal((VaultOutcome.Ok, 1), (acknowledged.Outcome, acknowledged.Value));
        Assert.Empty(acknowledgements.Outstanding(10));
        Assert.Equal("feed", Assert.Single(acknowledgements.ForSubject(subject)).AcknowledgedBy);

        // The schema itself refuses a delivery in an unknown state, whoever writes it.
        using var after = vault.OpenDatabase();
        Assert.Throws<SqliteException>(() => Execute(after, "INSERT INTO webhook_subscriptions (id, client_id, url, event_types, secret, created_at, disabled_reason) VALUES ('whk_1', 'shop', 'https://x', '', x'00', '2026', 'bored');"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion17WithARequest_KeepsIt_AndAddsExportLinksThatNameIt()
    {
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        const string Request = "0198c8a4-0000-7000-8000-0000000000bb";
        using (var connection = vault.OpenDatabase())
        {
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: 17);
            Execute(connection, "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($id, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');", ("$id", subject));
            Execute(connection, $"""
                INSERT INTO requests (id, type, subject_id, channel, received_at, received_date, language, status, due_date, first_due_date, created_by, updated_at)
                VALUES ('{Request}', 'access', $id, 'email', '2025-06-01T10:00:00.0000000Z', '2025-06-01', 'es', 'in-progress', '2025-07-01', '2025-07-01', 'officer-1', '2025-06-01T10:00:00.0000000Z');
                """, ("$id", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using var migrated = vault.OpenDatabase();
        Assert.Equal("access|in-progress|" + subject, Scalar(migrated, $"SELECT type || '|' || status || '|' || subject_id FROM requests WHERE id = '{Request}';"));
        Execute(migrated, $"INSERT INTO request_export_links (id, request_id, subject_id, token_hash, created_at, expires_at) VALUES ('link-1', '{Request}', $id, x'01', '2025-06-02T10:00:00.0000000Z', '2025-06-09T10:00:00.0000000Z');", ("$id", subject));
        Assert.Equal(1L, Scalar(migrated, "SELECT COUNT(*) FROM request_export_links WHERE used_at IS NULL;"));

        // A token hash is stored once, and a link names a request that exists.
        Assert.Throws<SqliteException>(() => Execute(migrated, $"INSERT INTO request_export_links (id, request_id, subject_id, token_hash, created_at, expires_at) VALUES ('link-2', '{Request}', $id, x'01', 'a', 'b');", ("$id", subject)));
        Assert.Throws<SqliteException>(() => Execute(migrated, "INSERT INTO request_export_links (id, request_id, subject_id, token_hash, created_at, expires_at) VALUES ('link-3', 'no-such-request', $id, x'02', 'a', 'b');", ("$id", subject)));
    }

    [Fact]
    public async Task Migrate_RunTwice_AppliesNothingTheSecondTime()
    {
        await using var vault = await TestVault.StartAsync();
        using var connection = vault.OpenDatabase();

        Assert.Empty(SchemaMigrator.Migrate(connection, vault.Time));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Migrations_AreNumberedWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.All.Count), SchemaMigrator.All.Select(m => m.Version));
    }

    [Fact]
    public async Task Migrate_ClientsRegisteredBeforeTheTokenServiceMoved_KeepTheirIdAndSecretAndChangesRevokeTheirTokens()
    {
        var openIddict = SchemaMigrator.All.Single(m => m.Name == "openiddict").Version;
        await using var vault = TestVault.Create();
        var subject = SubjectId.New(vault.Time);
        const string Secret = "a-secret-issued-before-the-upgrade-0123456";
        using (var connection = vault.OpenDatabase())
        {
            // Clients as the version before wrote them (ClientSecretHasher's format has not changed), one with its
            // recipient facts (which refer to the clients table that is rebuilt), and what else refers to accounts
            // and subjects: a staff account with a password reset, an invitation, a queued e-mail.
            SchemaMigrator.Migrate(connection, vault.Time, targetVersion: openIddict - 1);
            Execute(
                connection,
                """
                INSERT INTO clients (id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at)
                VALUES ('crm-eu', 'EU CRM', $hash, 'subjects.read subjects.write', 'marketing-email', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z'),
                       ('shop', 'Web shop', $hash, 'subjects.write', 'service-delivery', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');
                INSERT INTO client_recipients (client_id, category, transfer_country, transfer_safeguard, updated_at)
                VALUES ('crm-eu', 'processor', 'US', 'SCC 2021/914', '2025-06-02T10:00:00.0000000Z');
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp",
                    "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "SubjectId", "CreatedAt")
                VALUES ('staff-1', 'olga@example.com', 'OLGA@EXAMPLE.COM', 'olga@example.com', 'OLGA@EXAMPLE.COM', 1, NULL, 'STAMP', 0, 1, 1, 0, NULL, '2025-06-01T10:00:00.0000000Z');
                INSERT INTO password_resets (id, account_id, token_hash, created_at, expires_at)
                VALUES ('reset-1', 'staff-1', X'01', '2025-06-01T10:00:00.0000000Z', '2099-01-01T00:00:00.0000000Z');
                INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($subject, 'active', '2025-06-01T10:00:00.0000000Z', '2025-06-01T10:00:00.0000000Z');
                INSERT INTO invitations (id, subject_id, token_hash, created_by, created_at, expires_at) VALUES ('invite-1', $subject, X'02', 'crm-eu', '2025-06-01T10:00:00.0000000Z', '2099-01-01T00:00:00.0000000Z');
                INSERT INTO mail_outbox (id, kind, subject_id, recipient_mask, message, queued_at, attempts, next_attempt_at)
                VALUES ('mail-1', 'invitation', $subject, 'a***@example.com', X'03', '2025-06-01T10:00:00.0000000Z', 0, '2025-06-01T10:00:00.0000000Z');
                """,
                ("$hash", ClientSecretHasher.Hash(Secret)),
                ("$subject", subject));
        }

        await vault.Services.InitializeVaultAsync();

        using (var connection = vault.OpenDatabase())
        {
            // Nothing that referred to a client, an account or a subject was lost or left dangling.
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM pragma_foreign_key_check;"));
            Assert.Equal(
                (1L, 1L, 1L, 1L),
                ((long)Scalar(connection, "SELECT COUNT(*) FROM client_recipients;")!, (long)Scalar(connection, "SELECT COUNT(*) FROM password_resets;")!,
                 (long)Scalar(connection, "SELECT COUNT(*) FROM invitations;")!, (long)Scalar(connection, "SELECT COUNT(*) FROM mail_outbox;")!));
        }

        // The recipient facts still name the client: the record of processing and partner sharing read them through the client registry.
        await using (var scope = vault.Scope())
        {
            var recipient = (await scope.ServiceProvider.GetRequiredService<Clients.ClientService>().ListRecipientsAsync(CancellationToken.None))["crm-eu"];
            Assert.Equal(("processor", "US", "SCC 2021/914"), (recipient.Category, recipient.TransferCountry, recipient.TransferSafeguard));
        }

        await using (var scope = vault.Scope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var client = await applications.FindByClientIdAsync("crm-eu");
            Assert.NotNull(client);
            Assert.True(await applications.ValidateClientSecretAsync(client, Secret));
            Assert.False(await applications.ValidateClientSecretAsync(client, Secret + "x"));
            Assert.True(await applications.HasPermissionAsync(client, OpenIddictConstants.Permissions.GrantTypes.ClientCredentials));
        }

        var registered = vault.Services.GetRequiredService<Clients.ClientRegistry>().Find("crm-eu")!;
        Assert.Equal(["subjects.read", "subjects.write"], registered.Scopes);
        Assert.Equal(["marketing-email"], registered.AllowedPurposes);
        Assert.Equal("EU CRM", registered.DisplayName);

        using (var connection = vault.OpenDatabase())
        {
            Execute(connection, """
                INSERT INTO "OpenIddictTokens" ("Id", "ApplicationId", "Status", "Type", "ConcurrencyToken") VALUES
                    ('t-crm', 'crm-eu', 'valid', 'access_token', 'c1'), ('t-shop', 'shop', 'valid', 'access_token', 'c2');
                """);
            var clients = (long)Scalar(connection, "SELECT version FROM client_registry_version;")!;
            var revocations = (long)Scalar(connection, "SELECT version FROM token_revocation_version;")!;

            // A new secret, from any process or plain SQL, revokes what the client held, and only that.
            Execute(connection, "UPDATE clients SET secret_hash = 'pbkdf2-sha256$1$AA$AA' WHERE id = 'crm-eu';");
            Assert.Equal(("revoked", "valid"), (Scalar(connection, "SELECT \"Status\" FROM \"OpenIddictTokens\" WHERE \"Id\" = 't-crm';"), Scalar(connection, "SELECT \"Status\" FROM \"OpenIddictTokens\" WHERE \"Id\" = 't-shop';")));
            Assert.NotEqual("c1", Scalar(connection, "SELECT \"ConcurrencyToken\" FROM \"OpenIddictTokens\" WHERE \"Id\" = 't-crm';"));
            Assert.Equal(clients + 1, Scalar(connection, "SELECT version FROM client_registry_version;"));
            Assert.Equal(revocations + 1, Scalar(connection, "SELECT version FROM token_revocation_version;"));

            // A change that touches no credential revokes nothing.
            Execute(connection, "UPDATE clients SET scopes = 'subjects.read' WHERE id = 'shop';");
            Assert.Equal("valid", Scalar(connection, "SELECT \"Status\" FROM \"OpenIddictTokens\" WHERE \"Id\" = 't-shop';"));
            Assert.Equal(revocations + 1, Scalar(connection, "SELECT version FROM token_revocation_version;"));

            Execute(connection, "UPDATE clients SET disabled_at = '2026-01-01T00:00:00.0000000Z' WHERE id = 'shop';");
            Assert.Equal("revoked", Scalar(connection, "SELECT \"Status\" FROM \"OpenIddictTokens\" WHERE \"Id\" = 't-shop';"));
            Assert.Equal(revocations + 2, Scalar(connection, "SELECT version FROM token_revocation_version;"));
        }
    }

    [Theory]
    [InlineData(typeof(VaultDbContext))]
    [InlineData(typeof(AccountsDbContext))]
    [InlineData(typeof(OAuthDbContext))]
    public async Task EfModel_MatchesMigratedSchema(Type context)
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(context);
        using var connection = vault.OpenDatabase();

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = Columns(connection, table);
            Assert.True(columns.Count > 0, $"Table {table} of the EF model is not in the schema.");
            var mapped = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);
            Assert.True(mapped.SetEquals(columns.Keys), $"Columns of {table} differ: model [{string.Join(", ", mapped.Order())}], schema [{string.Join(", ", columns.Keys.Order())}].");
            foreach (var property in entity.GetProperties())
            {
                Assert.True(
                    property.IsNullable == !columns[property.GetColumnName()],
                    $"Nullability of {table}.{property.GetColumnName()} differs between model and schema.");
            }

            // Uniqueness is behaviour (one account per subject, one client per client_id), so the schema must enforce every unique index the model declares.
            var uniqueIndexes = UniqueIndexes(connection, table);
            foreach (var index in entity.GetIndexes().Where(i => i.IsUnique))
            {
                var indexColumns = string.Join(",", index.Properties.Select(p => p.GetColumnName()));
                Assert.True(uniqueIndexes.Contains(indexColumns), $"Unique index on {table} ({indexColumns}) of the model is not in the schema.");
            }
        }
    }

    private static HashSet<string> UniqueIndexes(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT group_concat(c.name, ',') FROM pragma_index_list('{table}') AS l, pragma_index_info(l.name) AS c
            WHERE l."unique" = 1 GROUP BY l.name;
            """;
        using var reader = command.ExecuteReader();
        var indexes = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            indexes.Add(reader.GetString(0));
        }

        return indexes;
    }

    private static Dictionary<string, bool> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        // table_xinfo, not table_info: the latter hides generated columns such as clients.client_id.
        command.CommandText = $"SELECT name, \"notnull\" FROM pragma_table_xinfo('{table}');";
        using var reader = command.ExecuteReader();
        var columns = new Dictionary<string, bool>(StringComparer.Ordinal);
        while (reader.Read())
        {
            columns[reader.GetString(0)] = reader.GetInt64(1) == 1;
        }

        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static async Task<byte[]> ReadDatabaseFilesAsync(string databasePath)
    {
        using var all = new MemoryStream();
        foreach (var suffix in new[] { string.Empty, "-wal" })
        {
            if (File.Exists(databasePath + suffix))
            {
                await using var file = new FileStream(databasePath + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await file.CopyToAsync(all);
            }
        }

        return all.ToArray();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
