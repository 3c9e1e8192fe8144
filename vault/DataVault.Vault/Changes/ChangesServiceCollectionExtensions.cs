using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Changes;

public static class ChangesServiceCollectionExtensions
{
    /// <summary>
    /// The change feed: every published change fact recorded in the transaction of its change, and routed in the
    /// background to the clients that must hear of it. Needs <c>AddVaultStorage</c>, <c>AddRelease</c>,
    /// <c>AddClients</c> and <c>AddAuditTrail</c>.
    /// </summary>
    public static IServiceCollection AddChanges(this IServiceCollection services)
    {
        services.AddSingleton<IChangeObserver, ChangeFeedObserver>();
        services.AddSingleton<ChangeFeedSignal>();
        services.AddSingleton<ChangeRoutingSignal>();
        services.AddSingleton<ChangeRouter>();
        services.AddSingletonService<ChangeFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<ChangeRouter>());
        return services;
    }
}
