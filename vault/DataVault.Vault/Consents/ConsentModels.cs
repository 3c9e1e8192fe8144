using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Audit;

namespace DataVault.Vault.Consents;

/// <summary>How a consent was collected.</summary>
public static class CollectionMethods
{
    public const string Api = "api";
    public const string Portal = "portal";
    public const string Import = "import";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Api, Portal, Import };
}

/// <summary>What a caller asks to record (GDPR Art. 7(1): the controller must be able to demonstrate consent).</summary>
public sealed record RecordConsentCommand(
    string PurposeId,
    string State,
    DateTimeOffset? OccurredAt,
    DateTimeOffset? ExpiresAt,
    string CollectionMethod,
    string NoticeLanguage,
    string? Evidence,
    Actor Actor);

/// <summary>
/// A consent event as judged before it is stored: its errors keyed by request property, or the purpose, state,
/// date and normalized evidence to store.
/// </summary>
internal sealed record ValidatedConsent(
    Dictionary<string, string[]> Errors,
    PurposeDefinition? Purpose,
    ConsentState State,
    DateTimeOffset OccurredAt,
    string? Evidence);

/// <summary>A stored consent event.</summary>
public sealed record ConsentEventView(
    string Id,
    string SubjectId,
    string PurposeId,
    string PurposeVersion,
    ConsentState State,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ExpiresAt,
    string CollectionMethod,
    Actor Actor,
    string NoticeLanguage,
    string? Evidence)
{
    /// <summary>
    /// Collected by another system and imported: the vault saw neither the decision nor its notice, so its
    /// date and proof are that system's word (shown and signed as such).
    /// </summary>
    public bool Imported => CollectionMethod == CollectionMethods.Import;
}

/// <summary>The consent state of one purpose at an instant, derived from the events.</summary>
public sealed record PurposeConsentView(
    string PurposeId,
    string PurposeVersion,
    EffectiveConsent State,
    ConsentEventView? LatestEvent,
    bool Objected);

/// <summary>The consent state of every purpose of the catalogue for one subject, at an instant.</summary>
public sealed record ConsentStateView(string SubjectId, DateTimeOffset At, bool Restricted, bool ObjectsToAll, IReadOnlyList<PurposeConsentView> Purposes);

/// <summary>Whether a choice event is about restriction (GDPR Art. 18) or an objection (Art. 21).</summary>
public enum ChoiceKind
{
    Restriction,
    Objection,
}

/// <summary>
/// One restriction or objection event: recorded or lifted (<paramref name="Action"/> <c>restricted</c>,
/// <c>objected</c> or <c>lifted</c>), for which purpose (objections; null for all processing), through what
/// (<paramref name="Source"/>, objections only), by whom and why.
/// </summary>
public sealed record ChoiceEventView(
    string Id,
    ChoiceKind Kind,
    string? PurposeId,
    string Action,
    string? Source,
    Actor Actor,
    string? Reason,
    DateTimeOffset OccurredAt)
{
    public bool IsLift => Action == ChoiceLifts.Lifted;
}
