using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Mail;
using DataVault.Vault.Release;
using DataVault.Vault.Requests;
using DataVault.Vault.Retention;
using DataVault.Vault.Signing;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault;

/// <summary>The vault, feature by feature; each feature registers itself beside its code.</summary>
public static class VaultServiceCollectionExtensions
{
    /// <summary>Storage and keys, the change feed, subjects, the release rule, consents, clients, the audit trail, portal accounts, outbound mail, data-subject requests, retention and signed webhooks.</summary>
    public static IServiceCollection AddVault(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddVaultStorage(configuration)
            .AddChanges()
            .AddSubjects()
            .AddRelease()
            .AddConsents()
            .AddClients(configuration)
            .AddAuditTrail(configuration)
            .AddAccounts(configuration)
            .AddMail(configuration)
            .AddRequests(configuration)
            .AddRetention(configuration)
            .AddWebhooks(configuration);

    /// <summary>Migrates the database and loads the vault's keys; call once before serving requests.</summary>
    public static async Task InitializeVaultAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await VaultStorage.InitializeAsync(services, cancellationToken);

        // A signing key exists before the first request, so the JWKS never has to create one.
        await services.GetRequiredService<SigningKeyStore>().GetActiveKeyAsync(cancellationToken);
    }

    /// <summary>Records the <c>policy.load</c> audit entry: which purpose versions this service instance enforces.</summary>
    public static Task AuditPolicyLoadAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var catalogue = services.GetRequiredService<DataVault.Policies.PolicyCatalogue>();
        var versions = string.Join(',', catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => $"{p.Id}@{p.Version}"));
        return services.GetRequiredService<AuditRecorder>().RecordAsync(
            new AuditEvent(Actor.System("datavault"), AuditActions.PolicyLoad, Fields: versions), AuditOutcomes.Success, cancellationToken);
    }
}
