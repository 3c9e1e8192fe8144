using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataVault.Vault.Health;

/// <summary>The database answers and its schema is at the version this build expects.</summary>
internal sealed class DatabaseHealthCheck(VaultDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var version = SchemaMigrator.CurrentVersion(connection);
                var expected = SchemaMigrator.All.Count;
                return version == expected
                    ? HealthCheckResult.Healthy($"Schema version {version}.")
                    : HealthCheckResult.Unhealthy($"Schema version {version}, expected {expected}.");
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            return HealthCheckResult.Unhealthy($"SQLite error {exception.SqliteErrorCode}.");
        }
    }
}

/// <summary>The Data Protection key ring can protect and unprotect, and the blind-index key is loaded.</summary>
internal sealed class KeyRingHealthCheck(KeyEncryptionKey kek, BlindIndex blindIndex) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!kek.Probe())
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The key ring returned a different probe."));
            }

            return Task.FromResult(blindIndex.IsReady
                ? HealthCheckResult.Healthy("Key ring usable; blind-index key loaded.")
                : HealthCheckResult.Unhealthy("The blind-index key is not loaded."));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The key ring cannot protect or unprotect data."));
        }
    }
}
