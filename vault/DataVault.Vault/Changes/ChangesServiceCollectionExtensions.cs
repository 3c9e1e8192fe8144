using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Changes;

public static class ChangesServiceCollectionExtensions
{
    /// <summary>The change feed: every published change fact recorded in the transaction of its change. Needs <c>AddVaultStorage</c>.</summary>
    public static IServiceCollection AddChanges(this IServiceCollection services)
    {
        services.AddSingleton<IChangeObserver, ChangeFeedObserver>();
        return services;
    }
}
