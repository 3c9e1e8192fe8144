using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Requests;

internal static class RequestsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="RequestsOptions"/> from the <c>Requests</c> section, validated at start, and the
    /// <see cref="LegalDeadline"/> built from them.
    /// </summary>
    public static IServiceCollection AddRequestDeadlines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestsOptions>()
            .Bind(configuration.GetSection(RequestsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestsOptions>, RequestsOptionsValidator>();
        services.AddSingleton(provider => new LegalDeadline(provider.GetRequiredService<IOptions<RequestsOptions>>().Value));
        return services;
    }
}
