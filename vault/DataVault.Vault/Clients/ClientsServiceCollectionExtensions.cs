using DataVault.Vault.Signing;
using DataVault.Vault.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Clients;

public static class ClientsServiceCollectionExtensions
{
    /// <summary>
    /// Integrating systems: their registration and credentials, the registry every request checks, the caller of the
    /// current request, and the vault's ES256 signing keys (<c>SigningKeys</c> settings) that sign tokens and receipts.
    /// Clients are OpenIddict's applications: its stores run on the vault's file (the token service itself belongs to
    /// the web host), with the state every access token is checked against and the sweep that prunes spent tokens.
    /// The administration verbs write clients through <see cref="ClientService"/> and need none of the token service.
    /// </summary>
    public static IServiceCollection AddClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDbContext<OAuthDbContext>(StorageServiceCollectionExtensions.UseVaultDatabase);
        services.AddOpenIddict().AddCore(core =>
        {
            core.UseEntityFrameworkCore()
                .UseDbContext<OAuthDbContext>()
                .ReplaceDefaultEntities<VaultClient, VaultAuthorization, VaultScope, VaultToken, string>();
            core.ReplaceApplicationManager<VaultClient, VaultApplicationManager>();
        });
        services.AddScopedService<ClientService>();
        services.AddSingletonService<ClientRegistry>();
        services.AddSingletonService<AccessTokenState>();
        services.AddScoped<CurrentCaller>();
        services.AddScoped<TokenPruning>();
        services.AddHostedService<TokenPruningSweeper>();
        services.AddSingleton<SigningKeyStore>();
        services.AddOptions<SigningKeyOptions>()
            .Bind(configuration.GetSection(SigningKeyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
