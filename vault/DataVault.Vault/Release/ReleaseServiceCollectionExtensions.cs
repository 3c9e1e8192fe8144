using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Release;

public static class ReleaseServiceCollectionExtensions
{
    /// <summary>
    /// The release rule's inputs and its reads: the consented read of one subject, the purpose export and the
    /// look-up's filter, all deciding through the policies on what <see cref="ReleaseLoader"/> reads.
    /// </summary>
    public static IServiceCollection AddRelease(this IServiceCollection services)
    {
        services.AddSingleton<CompiledPurposes>();
        services.AddSingleton<ReleaseLoader>();
        services.AddSingletonService<ReleaseReader>();
        services.AddScopedService<ReleaseService>();
        return services;
    }
}
