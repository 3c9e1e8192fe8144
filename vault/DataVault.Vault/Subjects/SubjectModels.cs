using System.Text.Json;

namespace DataVault.Vault.Subjects;

/// <summary>Lifecycle of a subject. Restriction (GDPR Art. 18) arrives with the consent work.</summary>
public enum SubjectStatus
{
    Active,
    Restricted,
    Erased,
}

/// <summary>The latest version of one decrypted field.</summary>
public sealed record FieldSnapshot(string Name, JsonElement Value, int Version, DateTimeOffset UpdatedAt);

/// <summary>A subject with the latest version of each of its fields, decrypted.</summary>
public sealed record SubjectSnapshot(
    string Id,
    SubjectStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<FieldSnapshot> Fields);

/// <summary>A key group kept after erasure because the law requires it, and until when.</summary>
public sealed record RetainedKeyGroup(string KeyGroup, DateTimeOffset RetainUntil);

/// <summary>Proof of an erasure (GDPR Art. 17): which key groups were destroyed, which are held and until when.</summary>
public sealed record ErasureReceipt(
    string ReceiptId,
    string SubjectId,
    DateTimeOffset ErasedAt,
    IReadOnlyList<string> ShreddedKeyGroups,
    IReadOnlyList<RetainedKeyGroup> RetainedKeyGroups);

/// <summary>One field of a planned erasure: destroyed at once (<paramref name="HeldUntil"/> null) or kept under a legal hold until then.</summary>
public sealed record PlannedFieldErasure(string Field, string KeyGroup, DateTimeOffset? HeldUntil);

/// <summary>What an erasure requested now would destroy and what it would keep, field by field.</summary>
public sealed record ErasurePlan(IReadOnlyList<PlannedFieldErasure> Fields);

/// <summary>How a vault operation ended.</summary>
public enum VaultOutcome
{
    Ok,
    Invalid,
    NotFound,
    Gone,

    /// <summary>The caller may not make this change (e.g. a client lifting a customer's own objection); <see cref="VaultResult{T}.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>
/// The result of a vault operation: a value, validation errors keyed like <c>fields.email</c>, or a
/// not-found/gone outcome. Callers map it to HTTP or to page state; no exceptions for expected cases.
/// </summary>
public sealed class VaultResult<T>
{
    private VaultResult(VaultOutcome outcome, T? value, IReadOnlyDictionary<string, string[]>? errors, string? refusal = null)
    {
        Outcome = outcome;
        Value = value;
        Errors = errors ?? new Dictionary<string, string[]>();
        Refusal = refusal;
    }

    public VaultOutcome Outcome { get; }

    public T? Value { get; }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>For <see cref="VaultOutcome.Refused"/>: why, in words fit for a Problem Details <c>detail</c> (no personal data).</summary>
    public string? Refusal { get; }

    internal static VaultResult<T> Ok(T value) => new(VaultOutcome.Ok, value, null);

    internal static VaultResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(VaultOutcome.Invalid, default, errors);

    internal static VaultResult<T> NotFound() => new(VaultOutcome.NotFound, default, null);

    internal static VaultResult<T> Gone() => new(VaultOutcome.Gone, default, null);

    internal static VaultResult<T> Refused(string refusal) => new(VaultOutcome.Refused, default, null, refusal);
}
