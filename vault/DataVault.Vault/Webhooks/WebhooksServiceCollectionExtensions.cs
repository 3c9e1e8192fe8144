using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Signed webhooks (<c>Webhooks:*</c>, <see cref="WebhookOptions"/>): subscriptions per client, the delivery outbox
    /// the change router fills, the dispatcher that empties it, and acknowledgements. Needs <c>AddVaultStorage</c>,
    /// <c>AddChanges</c>, <c>AddClients</c> and <c>AddAuditTrail</c>.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton(provider => new WebhookTargets(provider.GetRequiredService<IOptions<WebhookOptions>>(), provider.GetService<IHostEnvironment>()));
        services.AddSingleton<WebhookSecretProtector>();
        services.AddSingletonService<WebhookSubscriptions>();
        services.AddSingletonService<ChangeAcknowledgements>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
