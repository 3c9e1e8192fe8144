using DataVault.Vault.Erasure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Mail;

internal static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The mail channel: <see cref="IMailChannel"/> over the durable outbox, the <see cref="MailDelivery"/>
    /// that empties it, and the transport chosen from <c>Mail:*</c> (<see cref="MailOptionsValidator"/>);
    /// the Development fallback writes under <paramref name="dataDirectory"/>/mail.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
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
                ? new PickupDirectoryMailTransport(settings.PickupDirectory ?? Path.Combine(dataDirectory, "mail"))
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
