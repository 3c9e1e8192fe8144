using System.Diagnostics;
using System.Security.Claims;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Portal;

/// <summary>
/// Audit entries for what is done through the portal, with the same actions and outcomes the API's
/// audit filter records: the account's subject (customers) or account id (staff), never the address,
/// password or value typed. As on the API, every access is audited or refused: a page whose entry
/// cannot be made durable answers 503 and shows nothing; a change is recorded as
/// <see cref="AuditOutcomes.Attempted"/> first, and not made if that fails.
/// </summary>
internal sealed class PortalAudit(IAuditTrail trail)
{
    /// <summary>
    /// Records an action of the signed-in <paramref name="user"/>: a customer acts on their own subject,
    /// an officer on <paramref name="subjectId"/> when one is concerned. False when the entry could not
    /// be made durable: the caller then refuses (<see cref="Unavailable"/>).
    /// </summary>
    public async Task<bool> RecordAsync(
        ClaimsPrincipal user,
        string action,
        string outcome,
        CancellationToken cancellationToken,
        string? purposeId = null,
        string? fields = null,
        string? subjectId = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (actorType, actorId, subject) = user.IsCustomer()
            ? (AuditActors.Subject, user.SubjectId(), user.SubjectId())
            : (AuditActors.Officer, user.AccountId(), subjectId);
        return await WriteAsync(new AuditRecord(actorType, actorId, action, outcome, subject, purposeId, fields, TraceId: Activity.Current?.TraceId.ToString()), cancellationToken);
    }

    /// <summary>The answer of a page whose audit entry could not be made durable: 503, to be retried after a few seconds.</summary>
    public static StatusCodeResult Unavailable() => new ServiceUnavailableResult();

    /// <summary>Records a sign-in, activation or sign-out of <paramref name="account"/>; false when it could not be recorded (callers of successful sign-ins then refuse).</summary>
    public async Task<bool> RecordAsync(CustomerAccount account, string action, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var (actorType, actorId) = account.SubjectId is { } subject ? (AuditActors.Subject, subject) : (AuditActors.Officer, account.Id);
        return await WriteAsync(
            new AuditRecord(actorType, actorId, action, outcome, account.SubjectId, TraceId: Activity.Current?.TraceId.ToString()),
            cancellationToken);
    }

    /// <summary>Records what a visitor who is not signed in asked for (a reset link for an address no account uses); the address is never named.</summary>
    public Task<bool> RecordAnonymousAsync(string action, string outcome, CancellationToken cancellationToken) =>
        WriteAsync(new AuditRecord(AuditActors.Anonymous, AnonymousActorId, action, outcome, TraceId: Activity.Current?.TraceId.ToString()), cancellationToken);

    /// <summary>The actor id of entries about visitors who are not signed in: the portal they used.</summary>
    public const string AnonymousActorId = "portal";

    private async Task<bool> WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await trail.WriteAsync(record, cancellationToken);
            return true;
        }
        catch (AuditUnavailableException)
        {
            return false;
        }
    }
}

/// <summary>503 with <c>Retry-After</c> (RFC 9110 §10.2.3), as the API answers when the audit trail cannot take an entry.</summary>
internal sealed class ServiceUnavailableResult() : StatusCodeResult(StatusCodes.Status503ServiceUnavailable)
{
    public override void ExecuteResult(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HttpContext.Response.Headers.RetryAfter = "5";
        base.ExecuteResult(context);
    }
}
