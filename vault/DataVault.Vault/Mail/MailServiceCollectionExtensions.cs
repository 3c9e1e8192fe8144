using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The mail channel: <see cref="IMailChannel"/> over the durable outbox, the <see cref="MailDelivery"/>
    /// that empties it, and the transport chosen from <c>Mail:*</c> (<see cref="MailOptionsValidator"/>);
    /// the Development fallback writes under the data directory's <c>mail</c> folder. Needs <c>AddVaultStorage</c> and <c>AddAuditTrail</c>.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();

        services.AddSingleton<IMailTransport>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(settings.Smtp.Host)
                ? new PickupDirectoryMailTransport(settings.PickupDirectory ?? Path.Combine(provider.GetRequiredService<VaultDatabase>().DataDirectory, "mail"))
                : new SmtpMailTransport(settings.Smtp);
        });
        services.AddSingleton<MailOutboxSignal>();
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<IMailChannel>(provider => provider.GetRequiredService<MailOutbox>());
        services.AddSingleton<MailDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<MailDelivery>());
        services.AddScoped<IErasureStep, MailOutboxErasureStep>();
        return services;
    }
}
