using DataVault.Policies;
using DataVault.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Client.Tests;

/// <summary>
/// The real host over a throw-away SQLite file and key ring, called only through the SDK: each
/// <see cref="DataVaultApiClient"/> sends through the test server's handler wrapped by
/// <see cref="DataVaultTokenHandler"/>, so every test also gets its tokens from <c>/connect/token</c>.
/// </summary>
internal sealed class ClientTestApplication(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string Crm = "crm-test";
    public const string Officer = "officer-test";

    public static readonly string[] ClientScopes = ["subjects.read", "subjects.write", "consents.write", "subjects.erase", "subjects.invite"];

    private readonly TempDirectory _directory = new();
    private readonly List<DataVaultApiClient> _clients = [];

    /// <summary>Registers a client (default: the CRM scopes and every purpose) and returns an SDK client signed in as it.</summary>
    public async Task<DataVaultApiClient> CreateVaultClientAsync(string clientId = Crm, IEnumerable<string>? scopes = null, IEnumerable<string>? purposes = null)
    {
        var secret = await RegisterClientAsync(clientId, scopes ?? ClientScopes, purposes);
        return CreateVaultClient(clientId, secret);
    }

    /// <summary>An audit officer's client (scope <c>audit.read</c> only).</summary>
    public Task<DataVaultApiClient> CreateOfficerClientAsync() => CreateVaultClientAsync(Officer, ["audit.read"], []);

    /// <summary>An SDK client for given credentials, over the in-process server.</summary>
    public DataVaultApiClient CreateVaultClient(string clientId, string secret, params string[] scopes)
    {
        var options = new DataVaultClientOptions { BaseAddress = Server.BaseAddress, ClientId = clientId, ClientSecret = secret };
        foreach (var scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        var client = DataVaultClientFactory.Create(options, Server.CreateHandler());
        _clients.Add(client);
        return client;
    }

    /// <summary>Registers a client through the vault's own <c>ClientService</c> and returns its one-time secret.</summary>
    public async Task<string> RegisterClientAsync(string clientId, IEnumerable<string> scopes, IEnumerable<string>? purposes = null)
    {
        // Fake data only: these tests never hold a real person's values.
        await using var scope = Services.CreateAsyncScope();
        var allPurposes = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>().Purposes.Keys;
        var result = await scope.ServiceProvider.GetRequiredService<DataVault.Vault.Clients.ClientService>()
            .AddAsync(clientId, $"Test client {clientId}", scopes, purposes ?? allPurposes, CancellationToken.None);
        return result.Value?.Secret ?? throw new InvalidOperationException($"Registering '{clientId}' failed: {result.Outcome}.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Vault:DataDirectory", _directory.Path);
        foreach (var (key, value) in TestKeyRing.Settings.Concat(TestController.Settings))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Api:PublicOrigin", "http://localhost");

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
        _directory.Dispose();
    }
}
