using DataVault.Policies.Decisions;

namespace DataVault.Vault.Consents;

/// <summary>Who recorded an event: an integrating system (client id) or the subject themself (portal).</summary>
internal sealed record Actor(string Type, string Id)
{
    public static Actor Client(string clientId) => new("client", clientId);

    public static Actor Subject(string subjectId) => new("subject", subjectId);
}

/// <summary>How a consent was collected.</summary>
internal static class CollectionMethods
{
    public const string Api = "api";
    public const string Portal = "portal";
    public const string Import = "import";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Api, Portal, Import };
}

/// <summary>What a caller asks to record (GDPR Art. 7(1): the controller must be able to demonstrate consent).</summary>
internal sealed record RecordConsentCommand(
    string PurposeId,
    string State,
    DateTimeOffset? OccurredAt,
    DateTimeOffset? ExpiresAt,
    string CollectionMethod,
    string NoticeLanguage,
    string? Evidence,
    Actor Actor);

/// <summary>A stored consent event.</summary>
internal sealed record ConsentEventView(
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
    string? Evidence);

/// <summary>The consent state of one purpose at an instant, derived from the events.</summary>
internal sealed record PurposeConsentView(
    string PurposeId,
    string PurposeVersion,
    EffectiveConsent State,
    ConsentEventView? LatestEvent,
    bool Objected);

/// <summary>The consent state of every purpose of the catalogue for one subject, at an instant.</summary>
internal sealed record ConsentStateView(string SubjectId, DateTimeOffset At, bool Restricted, bool ObjectsToAll, IReadOnlyList<PurposeConsentView> Purposes);
