using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail (<c>Audit</c> settings): its own SQLite file, the group-committing writer, signed checkpoints,
    /// the recorder every entry is made through, the recipient ledger folded from it, and the officers' queries and verification.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditDatabase>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingletonService<AuditQueryService>();
        services.AddSingletonService<SubjectAccessLog>();
        services.AddSingleton<IRecipientLedger, RecipientLedger>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<AuditWriter>());
        services.AddSingletonService<AuditRecorder>();
        return services;
    }

    /// <summary>
    /// Replaces the audit trail with one that records nothing, for the load benchmark to measure what the trail costs.
    /// The host calls it only in its <c>Benchmark</c> environment with <c>Audit:Enabled</c> false; nothing else can.
    /// </summary>
    public static IServiceCollection RecordNoAuditTrailForTheBenchmark(this IServiceCollection services)
    {
        services.AddSingleton<IAuditTrail, UnauditedTrail>();
        return services;
    }
}

/// <summary>Records nothing (<see cref="AuditServiceCollectionExtensions.RecordNoAuditTrailForTheBenchmark"/>).</summary>
internal sealed class UnauditedTrail : IAuditTrail
{
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
