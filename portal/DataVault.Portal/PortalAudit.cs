using System.Security.Claims;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Portal;

/// <summary>
/// Audit entries for what is done through the portal, made by the vault's <see cref="AuditRecorder"/> with the same
/// actions and outcomes the API's audit filter records: the account's subject (customers) or account id (staff),
/// never the address, password or value typed. As on the API, every access is audited or refused: a page whose
/// entry cannot be made durable answers 503 and shows nothing; a change is recorded as
/// <see cref="AuditOutcomes.Attempted"/> first, and not made if that fails.
/// </summary>
internal sealed class PortalAudit(AuditRecorder recorder)
{
    /// <summary>
    /// Records an action of the signed-in <paramref name="user"/>: a customer acts on their own subject,
    /// an officer on <paramref name="subjectId"/> when one is concerned. False when the entry could not
    /// be made durable: the caller then refuses (<see cref="Unavailable"/>).
    /// </summary>
    public Task<bool> RecordAsync(
        ClaimsPrincipal user,
        string action,
        string outcome,
        CancellationToken cancellationToken,
        string? purposeId = null,
        string? fields = null,
        string? subjectId = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (actor, subject) = user.IsCustomer()
            ? (Actor.Subject(user.SubjectId()), user.SubjectId())
            : (Actor.Officer(user.AccountId()), subjectId);
        return recorder.TryRecordAsync(new AuditEvent(actor, action, subject, purposeId, fields), outcome, cancellationToken);
    }

    /// <summary>The answer of a page whose audit entry could not be made durable: 503, to be retried after a few seconds.</summary>
    public static StatusCodeResult Unavailable() => new ServiceUnavailableResult();

    /// <summary>Records a sign-in, activation or sign-out of <paramref name="account"/>; false when it could not be recorded (callers of successful sign-ins then refuse).</summary>
    public Task<bool> RecordAsync(CustomerAccount account, string action, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = account.SubjectId is { } subject ? Actor.Subject(subject) : Actor.Officer(account.Id);
        return recorder.TryRecordAsync(new AuditEvent(actor, action, account.SubjectId), outcome, cancellationToken);
    }

    /// <summary>Records what a visitor who is not signed in asked for (a reset link for an address no account uses); the address is never named.</summary>
    public Task<bool> RecordAnonymousAsync(string action, string outcome, CancellationToken cancellationToken) =>
        recorder.TryRecordAsync(new AuditEvent(Actor.Anonymous(AnonymousActorId), action), outcome, cancellationToken);

    /// <summary>The actor id of entries about visitors who are not signed in: the portal they used.</summary>
    public const string AnonymousActorId = "portal";
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
