using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Health;
using DataVault.Vault.Signing;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataVault.Vault;

/// <summary>Registers the vault: storage, encryption, subject services, portal accounts, the audit trail and their health checks.</summary>
public static class VaultServiceCollectionExtensions
{
    public static IServiceCollection AddVault(this IServiceCollection services, IConfiguration configuration)
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

        services.TryAddTimeProvider();
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

        // Every context on the vault's file shares its connection string.
        void UseVaultDatabase(IServiceProvider provider, DbContextOptionsBuilder db) => db.UseSqlite(connectionString);
        services.AddDbContext<VaultDbContext>(UseVaultDatabase);
        services.AddAccounts(configuration, UseVaultDatabase);
        services.AddDbContext<OAuthDbContext>(UseVaultDatabase);

        // OpenIddict's stores on the vault's clients table (the token service itself belongs to the web
        // host); the administration verbs write clients through ClientService and need none of it.
        services.AddOpenIddict().AddCore(core =>
        {
            core.UseEntityFrameworkCore()
                .UseDbContext<OAuthDbContext>()
                .ReplaceDefaultEntities<VaultClient, VaultAuthorization, VaultScope, VaultToken, string>();
            core.ReplaceApplicationManager<VaultClient, VaultApplicationManager>();
        });

        services.AddSingleton(new VaultDatabase(connectionString));
        services.AddSingleton<VaultWriter>();
        services.AddSingleton(_ => new VaultReadConnections(connectionString));
        services.AddSingleton<KeyEncryptionKey>();
        services.AddSingleton<DataKeyCache>();
        services.AddSingleton<BlindIndex>();
        services.AddScoped<DataKeyStore>();
        services.AddScoped<SubjectService>();
        services.AddSingleton<SubjectPresence>();
        services.AddScoped<RetentionService>();
        services.AddHostedService<RetentionSweeper>();
        services.AddScoped<ClientService>();
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<AccessTokenState>();
        services.AddScoped<TokenPruning>();
        services.AddHostedService<TokenPruningSweeper>();
        services.AddScoped<ConsentService>();
        services.AddScoped<ConsentStatistics>();
        services.AddScoped<ReleaseService>();
        services.AddSingleton<ReleaseReader>();
        services.AddSingleton<CompiledPurposes>();
        services.AddSingleton<SigningKeyStore>();
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditDatabase>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditQueryService>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<AuditWriter>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditWriter>());
        services.AddOptions<SigningKeyOptions>()
            .Bind(configuration.GetSection(SigningKeyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<KeyRingHealthCheck>("key-ring", HealthStatus.Unhealthy, ["ready"]);
        return services;
    }

    /// <summary>Migrates the database and loads the vault's keys; call once before serving requests.</summary>
    public static async Task InitializeVaultAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await VaultStorage.InitializeAsync(services, cancellationToken);

        // A signing key exists before the first request, so the JWKS never has to create one.
        await services.GetRequiredService<SigningKeyStore>().GetActiveKeyAsync(cancellationToken);
    }

    /// <summary>Writes the <c>policy.load</c> audit entry: which purpose versions this service instance enforces.</summary>
    public static void AuditPolicyLoad(this IServiceProvider services) => VaultStorage.RecordPolicyLoad(
        services.GetRequiredService<AuditDatabase>(),
        services.GetRequiredService<DataVault.Policies.PolicyCatalogue>(),
        services.GetRequiredService<TimeProvider>());

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
