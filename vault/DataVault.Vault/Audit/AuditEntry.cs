using DataVault.Vault.Subjects;

namespace DataVault.Vault.Audit;

/// <summary>How an audited request ended.</summary>
public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Invalid = "invalid";
    public const string Denied = "denied";
    public const string NotFound = "not-found";
    public const string Gone = "gone";
    public const string Failed = "failed";

    /// <summary>A change about to be made: recorded first, so no change exists without a trace.</summary>
    public const string Attempted = "attempted";

    /// <summary>
    /// The entry was not durable in time, so its request was refused with 503 and released or changed
    /// nothing; it was committed later, with this outcome instead of the one it would have had.
    /// </summary>
    public const string TimedOut = "timed-out";

    public static string FromStatus(int status) => status switch
    {
        >= 200 and < 300 => Success,
        400 or 413 or 415 => Invalid,
        401 or 403 => Denied,
        404 => NotFound,
        410 => Gone,
        _ => Failed,
    };

    /// <summary>The outcome of a vault result, as <see cref="FromStatus"/> derives it from the status code the API answers it with.</summary>
    public static string From(VaultOutcome outcome) => outcome switch
    {
        VaultOutcome.Ok => Success,
        VaultOutcome.Invalid => Invalid,
        VaultOutcome.NotFound => NotFound,
        VaultOutcome.Gone => Gone,
        VaultOutcome.Refused => Denied,
        _ => Failed,
    };
}

/// <summary>
/// One fact to record. Never a personal value, ciphertext, secret or token: ids, the names of the
/// fields read, written or withheld, stable codes. <see cref="Action"/> is a code from <see cref="AuditActions"/>.
/// <see cref="OnBehalfOf"/> is the staff account a client acted for (a CRM's screens, authorization code
/// flow), or null when the actor acted on its own. <see cref="RequestId"/> is the data-subject request the action was
/// taken for, or null when it was taken for none.
/// </summary>
public sealed record AuditRecord(
    string ActorType,
    string ActorId,
    string Action,
    string Outcome,
    string? SubjectId = null,
    string? PurposeId = null,
    string? Fields = null,
    string? Withheld = null,
    string? TraceId = null,
    string? OnBehalfOf = null,
    string? RequestId = null);

/// <summary>A stored entry: the record, its place in the chain and its hash.</summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset OccurredAt,
    AuditRecord Record,
    byte[] PreviousHash,
    byte[] Hash);

/// <summary>The stable codes of who acts (<see cref="Actor.Type"/>), as the audit trail and recorded events name them.</summary>
public static class AuditActors
{
    public const string Client = "client";
    public const string Subject = "subject";
    public const string Officer = "officer";
    public const string System = "system";
    public const string Anonymous = "anonymous";

    /// <summary>The actor id of the system's e-mail sender (actor type <see cref="System"/>).</summary>
    public const string MailSender = "mail";

    /// <summary>The actor id of the administration command line (actor type <see cref="System"/>).</summary>
    public const string CommandLine = "cli";
}
