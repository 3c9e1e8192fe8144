using DataVault.Vault.Erasure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Retention: <see cref="RetentionOptions"/> from the <c>Retention</c> section, validated at start,
    /// <see cref="RetentionEngine"/> and the sweep that runs it on a schedule. Needs <c>AddVaultStorage</c>,
    /// <c>AddSubjects</c> and <c>AddAuditTrail</c>.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddScopedService<RetentionEngine>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
