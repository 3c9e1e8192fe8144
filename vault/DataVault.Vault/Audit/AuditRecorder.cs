using System.Diagnostics;

namespace DataVault.Vault.Audit;

/// <summary>
/// One fact for the audit trail as the code that knows it describes it: who acted, what they did (a code of
/// <see cref="AuditActions"/>), and about which subject, purpose and fields. Never a value, ciphertext, secret or
/// token: ids, field names, <c>field:reason</c> pairs for what was withheld. <see cref="RequestId"/> names the
/// data-subject request the action was taken for.
/// </summary>
public sealed record AuditEvent(
    Actor Actor,
    string Action,
    string? SubjectId = null,
    string? PurposeId = null,
    string? Fields = null,
    string? Withheld = null,
    string? RequestId = null);

/// <summary>
/// Builds every audit entry: the API's filter, authorization and token service, the portal, the administration
/// verbs, the mail sender and the service's start all record through it, so an entry names its actor, outcome and
/// trace the same way whoever writes it. It hands the entry to the audit trail (<see cref="IAuditTrail"/>, the
/// group-committing writer), which adds sequence number, time and hash. Every access is audited or refused: each
/// method completes once the entry is durable, or throws <see cref="AuditUnavailableException"/>, which callers
/// answer with 503 and nothing released.
/// </summary>
/// <remarks>
/// The one trace-id rule: an entry carries the W3C trace id of the operation it was made in (ASP.NET Core starts an
/// <see cref="Activity"/> for every request), so it can be found in that request's logs and traces; entries made
/// outside one (at start, by the administration verbs, by the mail sender) carry none.
/// </remarks>
public sealed class AuditRecorder
{
    private readonly IAuditTrail trail;

    internal AuditRecorder(IAuditTrail trail)
    {
        this.trail = trail;
    }

    /// <summary>Records <paramref name="entry"/> with <paramref name="outcome"/> (<see cref="AuditOutcomes"/>); completes once it is durable.</summary>
    /// <exception cref="AuditUnavailableException">The entry could not be made durable: fail closed.</exception>
    public Task RecordAsync(AuditEvent entry, string outcome, CancellationToken cancellationToken) =>
        trail.WriteAsync(ToRecord(entry, outcome), cancellationToken);

    /// <summary>As <see cref="RecordAsync"/>, answering false instead of throwing when the entry could not be made durable.</summary>
    public async Task<bool> TryRecordAsync(AuditEvent entry, string outcome, CancellationToken cancellationToken)
    {
        try
        {
            await RecordAsync(entry, outcome, cancellationToken);
            return true;
        }
        catch (AuditUnavailableException)
        {
            return false;
        }
    }

    /// <summary>
    /// A change, recorded before and after it is made: <paramref name="entry"/> is recorded as
    /// <see cref="AuditOutcomes.Attempted"/>, <paramref name="change"/> runs only once that is durable (so no change
    /// exists without a trace), and then the entry and outcome <paramref name="outcome"/> gives for its result are
    /// recorded. A change that throws leaves its attempt on record and the exception to the caller.
    /// </summary>
    /// <exception cref="AuditUnavailableException">
    /// An entry could not be made durable. Before the change, nothing was changed; after it, the change stands with its
    /// attempt on record, and the caller still answers 503.
    /// </exception>
    public async Task<T> RecordChangeAsync<T>(
        AuditEvent entry, Func<Task<T>> change, Func<T, (AuditEvent Entry, string Outcome)> outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(outcome);
        await RecordAsync(entry, AuditOutcomes.Attempted, cancellationToken);
        var result = await change();
        var (done, code) = outcome(result);
        await RecordAsync(done, code, cancellationToken);
        return result;
    }

    private static AuditRecord ToRecord(AuditEvent entry, string outcome)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AuditRecord(
            entry.Actor.Type,
            entry.Actor.Id,
            entry.Action,
            outcome,
            entry.SubjectId,
            entry.PurposeId,
            entry.Fields,
            entry.Withheld,
            Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
            entry.Actor.OnBehalfOf,
            entry.RequestId ?? entry.Actor.RequestId);
    }
}
