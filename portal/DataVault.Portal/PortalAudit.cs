using System.Diagnostics;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;

namespace DataVault.Portal;

/// <summary>
/// Audit entries for portal sign-ins, activations and sign-outs: the account's subject (customers)
/// or account id (staff), the action and the outcome, never the address or password typed.
/// </summary>
internal sealed class PortalAudit(IAuditTrail trail)
{
    /// <summary>Records the event; false when it could not be recorded (callers of successful sign-ins then refuse).</summary>
    public async Task<bool> RecordAsync(CustomerAccount account, string action, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var (actorType, actorId) = account.SubjectId is { } subject ? (AuditActors.Subject, subject) : (AuditActors.Officer, account.Id);
        try
        {
            await trail.WriteAsync(
                new AuditRecord(actorType, actorId, action, outcome, account.SubjectId, TraceId: Activity.Current?.TraceId.ToString()),
                cancellationToken);
            return true;
        }
        catch (AuditUnavailableException)
        {
            return false;
        }
    }
}
