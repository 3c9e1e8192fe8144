using DataVault.Policies;
using DataVault.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Tests;

/// <summary>The vault's services over a throw-away SQLite file and key ring, with a hand-moved clock.</summary>
internal sealed class TestVault : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    private TestVault(ManualTimeProvider time, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? configure)
    {
        Time = time;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Vault:DataDirectory"] = _directory.Path,
                ["Mail:PickupDirectory"] = System.IO.Path.Combine(_directory.Path, "mail"),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(PolicyCatalogueLoader.Load(TestPaths.Catalogue));
        services.AddVault(configuration);
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public ServiceProvider Services { get; }

    public RecordedLogs Logs { get; } = new();

    public ManualTimeProvider Time { get; }

    public string DatabasePath => Path.Combine(_directory.Path, "datavault.db");

    public string DataDirectory => _directory.Path;

    /// <summary>A migrated vault.</summary>
    /// <param name="time">The clock (default: a new hand-moved one).</param>
    /// <param name="settings">Configuration on top of the defaults (a fresh data directory; mail written as .eml files under it).</param>
    /// <param name="configure">Changes to the vault's services, e.g. an EF Core interceptor that acts between two reads.</param>
    public static async Task<TestVault> StartAsync(
        ManualTimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var vault = Create(time, settings, configure);
        await vault.Services.InitializeVaultAsync();
        return vault;
    }

    /// <summary>The services without migrating the database or loading keys.</summary>
    public static TestVault Create(
        ManualTimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null) =>
        new(time ?? new ManualTimeProvider(), settings, configure);

    public Microsoft.Data.Sqlite.SqliteConnection OpenDatabase()
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public IDataProtectionProvider DataProtection => Services.GetRequiredService<IDataProtectionProvider>();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _directory.Dispose();
    }
}
