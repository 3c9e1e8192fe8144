using System.Globalization;
using System.Security.Cryptography;
using DataVault.Policies;
using DataVault.Vault.Encryption;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Storage;

/// <summary>Start-up and maintenance operations on the vault's SQLite file.</summary>
internal static class VaultStorage
{
    public const string BlindIndexKeyName = "blind-index-key";

    /// <summary>Applies migrations and loads (or creates, on first start) the blind-index key.</summary>
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VaultStorage).FullName!);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var directory = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var applied = SchemaMigrator.Migrate(connection, time);
            var summary = applied.Count == 0 ? "none" : string.Join(", ", applied);
            var version = SchemaMigrator.CurrentVersion(connection);
            Log.SchemaMigrated(logger, version, summary);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var kek = scope.ServiceProvider.GetRequiredService<KeyEncryptionKey>();
        var secret = await db.VaultSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == BlindIndexKeyName, cancellationToken);
        byte[] key;
        if (secret is null)
        {
            key = RandomNumberGenerator.GetBytes(32);
            db.VaultSecrets.Add(new VaultSecretRecord { Name = BlindIndexKeyName, WrappedValue = kek.WrapSecret(BlindIndexKeyName, key), CreatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            Log.BlindIndexKeyCreated(logger);
        }
        else
        {
            key = kek.UnwrapSecret(BlindIndexKeyName, secret.WrappedValue);
        }

        scope.ServiceProvider.GetRequiredService<BlindIndex>().UseKey(key);
        await scope.ServiceProvider.GetRequiredService<VaultWriter>().WriteAsync(
            new Consents.PurposeVersionsWrite(scope.ServiceProvider.GetRequiredService<PolicyCatalogue>(), time), cancellationToken);
        scope.ServiceProvider.GetRequiredService<Audit.AuditDatabase>().Initialize();
    }
}
