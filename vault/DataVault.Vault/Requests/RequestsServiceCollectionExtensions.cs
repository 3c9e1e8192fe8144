using DataVault.Vault.Erasure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>
    /// Data-subject requests: <see cref="RequestsOptions"/> from the <c>Requests</c> section, validated at start,
    /// the <see cref="LegalDeadline"/> built from them, the controller's calendar day (<c>Controller:TimeZone</c>,
    /// an IANA id, default UTC), <see cref="RequestService"/> and <see cref="RequestFulfilment"/>. Needs <c>AddVaultStorage</c>, <c>AddSubjects</c> and <c>AddMail</c>.
    /// </summary>
    public static IServiceCollection AddRequests(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RequestsOptions>()
            .Bind(configuration.GetSection(RequestsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestsOptions>, RequestsOptionsValidator>();
        services.AddSingleton(provider => new LegalDeadline(provider.GetRequiredService<IOptions<RequestsOptions>>().Value));
        var zone = configuration["Controller:TimeZone"] is { Length: > 0 } id ? id : "UTC";
        services.AddSingleton(provider => new RequestClock(provider.GetRequiredService<TimeProvider>(), TimeZoneInfo.FindSystemTimeZoneById(zone)));
        services.AddScopedService<RequestService>();
        services.AddScopedService<RequestReport>();
        services.AddScopedService<RequestFulfilment>();
        services.AddScopedService<RequestExportLinks>();
        services.AddScopedService<RequestCertificates>();
        services.AddScoped<IErasureStep, RequestErasureStep>();
        return services;
    }
}

/// <summary>
/// GDPR Art. 17: the contact details a requester gave are personal data, so the subject's erasure deletes them
/// from its requests. The requests and their history stay: they hold codes and dates, no values, and prove that
/// the controller answered (Art. 5(2)).
/// </summary>
internal sealed class RequestErasureStep : Erasure.IErasureStep
{
    public void Erase(Storage.VaultWriteContext context, string subjectId)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Execute("UPDATE requests SET payload = NULL WHERE subject_id = $1;", subjectId);
    }
}
