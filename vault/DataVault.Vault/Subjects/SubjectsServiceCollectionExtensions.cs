using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Subjects;

public static class SubjectsServiceCollectionExtensions
{
    /// <summary>
    /// Subjects: their fields encrypted under their own data keys (unwrapped keys cached for a short while), the blind
    /// index for look-ups, erasure by crypto-shredding and the sweep that ends legal holds. Needs <c>AddVaultStorage</c>.
    /// </summary>
    public static IServiceCollection AddSubjects(this IServiceCollection services)
    {
        services.AddSingleton<DataKeyCache>();
        services.AddSingleton<BlindIndex>();
        services.AddScoped<DataKeyStore>();
        services.AddScopedService<SubjectService>();
        services.AddSingletonService<SubjectPresence>();
        services.AddScoped<RetentionService>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
