using DataVault.Vault.Audit;

namespace DataVault.Api.Auditing;

/// <summary>
/// Records nothing. Used only when the environment is <c>Benchmark</c> and <c>Audit:Enabled</c> is
/// false (<see cref="AuditedActionExtensions.AddApiAuditing"/>), so the load benchmark can measure what
/// the audit trail costs; no other environment can switch auditing off.
/// </summary>
internal sealed class UnauditedTrail : IAuditTrail
{
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
