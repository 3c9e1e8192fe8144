using DataVault.Vault.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Clients;

public static class ClientsServiceCollectionExtensions
{
    /// <summary>
    /// Integrating systems: their registration and credentials, the registry every request checks, the caller of the
    /// current request, and the vault's ES256 signing keys (<c>SigningKeys</c> settings) that sign tokens and receipts.
    /// </summary>
    public static IServiceCollection AddClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScopedService<ClientService>();
        services.AddSingletonService<ClientRegistry>();
        services.AddScoped<CurrentCaller>();
        services.AddSingleton<SigningKeyStore>();
        services.AddOptions<SigningKeyOptions>()
            .Bind(configuration.GetSection(SigningKeyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
