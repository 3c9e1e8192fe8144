using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Consents;

public static class ConsentsServiceCollectionExtensions
{
    /// <summary>
    /// Consents with proof, objections, restriction and their lifts (the notice to the subject before one is lifted),
    /// and the officer's consent figures. Needs <c>AddVaultStorage</c>, <c>AddRelease</c>, <c>AddAuditTrail</c> and <c>AddMail</c>.
    /// </summary>
    public static IServiceCollection AddConsents(this IServiceCollection services)
    {
        services.AddScopedService<ConsentService>();
        services.AddScoped<RestrictionLiftNotice>();
        services.AddScopedService<ConsentStatistics>();
        return services;
    }
}
