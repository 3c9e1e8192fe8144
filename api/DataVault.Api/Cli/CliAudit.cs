using DataVault.Vault.Audit;

namespace DataVault.Api.Cli;

/// <summary>
/// Audit entries of the administration verbs. Each change is recorded as attempted before it is
/// made (so a change never exists without a trace; if the trail cannot be written the verb stops
/// before changing anything) and as done afterwards. Entries name ids, never secrets or passwords.
/// </summary>
internal static class CliAudit
{
    public static void Record(IServiceProvider services, string action, string? target, string outcome)
    {
        using var connection = services.GetRequiredService<AuditDatabase>().OpenWriter();
        AuditStore.Append(
            connection,
            [new AuditRecord(AuditActors.System, "cli", action, outcome, Fields: target)],
            services.GetRequiredService<TimeProvider>().GetUtcNow());
    }
}
