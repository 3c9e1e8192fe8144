using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Subjects;

public static class SubjectsServiceCollectionExtensions
{
    /// <summary>
    /// Subjects: their fields encrypted under their own data keys (unwrapped keys cached for a short while), the blind
    /// index for look-ups, erasure by crypto-shredding and the ending of legal holds (run by the retention sweep). Needs <c>AddVaultStorage</c>.
    /// </summary>
    public static IServiceCollection AddSubjects(this IServiceCollection services) =>
        services
            .AddSingleton<DataKeyCache>()
            .AddSingleton<BlindIndex>()
            .AddScoped<DataKeyStore>()
            .AddScopedService<SubjectService>()
            .AddSingletonService<SubjectPresence>()
            .AddScoped<RetentionService>();
}
