using DataVault.Vault.Encryption;
using DataVault.Vault.Health;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataVault.Vault.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Where the vault keeps its data (<c>Vault</c> settings): the SQLite file with its contexts, the writer every
    /// change goes through and the query-only connections of the hot reads; the Data Protection key ring that wraps
    /// the data keys (encrypted at rest by a certificate when one is configured); their health checks.
    /// </summary>
    public static IServiceCollection AddVaultStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(VaultOptions.SectionName).Get<VaultOptions>() ?? new VaultOptions();
        services.AddOptions<VaultOptions>()
            .Bind(configuration.GetSection(VaultOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Relative paths are taken from the working directory, so `dotnet run` from the repository root keeps its data in ./data.
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var connectionString = options.ConnectionString
            ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "datavault.db") }.ToString();
        var keyRing = Path.GetFullPath(options.KeyRingDirectory ?? Path.Combine(dataDirectory, "keys"));

        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }

        var dataProtection = services.AddDataProtection()
            .SetApplicationName("DataVault")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        services.AddSingleton(new KeyRingLocation(keyRing));
        if (KeyRingProtection.LoadCertificate(options) is { } certificate)
        {
            // Keys are written encrypted to the certificate and read back with its private key; the
            // host refuses to start without it outside Development (KeyRingProtection.EnsureKeyRingProtected).
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddSingleton(new VaultDatabase(connectionString, dataDirectory));
        services.AddDbContext<VaultDbContext>(UseVaultDatabase);
        services.AddSingleton<VaultWriter>();
        services.AddSingleton(_ => new VaultReadConnections(connectionString));
        services.AddSingleton<KeyEncryptionKey>();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<KeyRingHealthCheck>("key-ring", HealthStatus.Unhealthy, ["ready"]);
        return services;
    }

    /// <summary>Every context on the vault's file shares its connection string.</summary>
    internal static void UseVaultDatabase(IServiceProvider provider, DbContextOptionsBuilder db) =>
        db.UseSqlite(provider.GetRequiredService<VaultDatabase>().ConnectionString);
}
