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
        return recorder.TryRecordAsync(Entry(user, action, purposeId, fields, subjectId), outcome, cancellationToken);
    }

    /// <summary>
    /// Makes a change of the signed-in <paramref name="user"/> between its two entries, as the API's audit filter does
    /// (<see cref="AuditRecorder.RecordChangeAsync"/>): <paramref name="action"/> as attempted, then
    /// <paramref name="change"/> only if that entry is durable, then the outcome <paramref name="outcome"/> gives for
    /// its result. The entries name subject, purpose and fields as <see cref="RecordAsync(ClaimsPrincipal, string, string, CancellationToken, string?, string?, string?)"/> does.
    /// </summary>
    public Task<AuditedChange<T>> RecordChangeAsync<T>(
        ClaimsPrincipal user,
        string action,
        Func<Task<T>> change,
        Func<T, string> outcome,
        CancellationToken cancellationToken,
        string? purposeId = null,
        string? fields = null,
        string? subjectId = null) =>
        ChangeAsync(Entry(user, action, purposeId, fields, subjectId), change, outcome, cancellationToken);

    /// <summary>As <see cref="RecordChangeAsync{T}(ClaimsPrincipal, string, Func{Task{T}}, Func{T, string}, CancellationToken, string?, string?, string?)"/>, for a change to <paramref name="account"/>'s own sign-in.</summary>
    public Task<AuditedChange<T>> RecordChangeAsync<T>(
        CustomerAccount account, string action, Func<Task<T>> change, Func<T, string> outcome, CancellationToken cancellationToken) =>
        ChangeAsync(Entry(account, action), change, outcome, cancellationToken);

    /// <summary>The answer of a page whose audit entry could not be made durable: 503, to be retried after a few seconds.</summary>
    public static StatusCodeResult Unavailable() => new ServiceUnavailableResult();

    /// <summary>Records a sign-in, activation or sign-out of <paramref name="account"/>; false when it could not be recorded (callers of successful sign-ins then refuse).</summary>
    public Task<bool> RecordAsync(CustomerAccount account, string action, string outcome, CancellationToken cancellationToken)
    {
        return recorder.TryRecordAsync(Entry(account, action), outcome, cancellationToken);
    }

    /// <summary>Records what a visitor who is not signed in asked for (a reset link for an address no account uses); the address is never named.</summary>
    public Task<bool> RecordAnonymousAsync(string action, string outcome, CancellationToken cancellationToken) =>
        recorder.TryRecordAsync(new AuditEvent(Actor.Anonymous(AnonymousActorId), action), outcome, cancellationToken);

    /// <summary>The actor id of entries about visitors who are not signed in: the portal they used.</summary>
    public const string AnonymousActorId = "portal";

    /// <summary>A customer acts on their own subject, an officer on <paramref name="subjectId"/> when one is concerned.</summary>
    private static AuditEvent Entry(ClaimsPrincipal user, string action, string? purposeId, string? fields, string? subjectId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (actor, subject) = user.IsCustomer()
            ? (Actor.Subject(user.SubjectId()), user.SubjectId())
            : (Actor.Officer(user.AccountId()), subjectId);
        return new AuditEvent(actor, action, subject, purposeId, fields);
    }

    private static AuditEvent Entry(CustomerAccount account, string action)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = account.SubjectId is { } subject ? Actor.Subject(subject) : Actor.Officer(account.Id);
        return new AuditEvent(actor, action, account.SubjectId);
    }

    private async Task<AuditedChange<T>> ChangeAsync<T>(AuditEvent entry, Func<Task<T>> change, Func<T, string> outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(outcome);
        var made = false;
        T result = default!;
        try
        {
            await recorder.RecordChangeAsync(
                entry,
                async () =>
                {
                    result = await change();
                    made = true;
                    return result;
                },
                done => (entry, outcome(done)),
                cancellationToken);
            return new AuditedChange<T>(true, result, true);
        }
        catch (AuditUnavailableException)
        {
            return new AuditedChange<T>(made, result, false);
        }
    }
}

/// <summary>
/// What became of a change made between its audit entries: <see cref="Made"/> and its <see cref="Result"/> (default when
/// not made: its attempt could not be put on record), and whether both entries are durable. A page answers
/// <see cref="PortalAudit.Unavailable"/> unless <see cref="Recorded"/>, after doing what a made change requires (an
/// erasure still ends the session).
/// </summary>
internal readonly record struct AuditedChange<T>(bool Made, T Result, bool Recorded);

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
