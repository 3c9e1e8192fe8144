using DataVault.Policies.Decisions;
using DataVault.Vault.Consents;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/subjects/{subjectId}/consents</c>: one consent event with its proof (GDPR Art. 7(1)).</summary>
/// <param name="PurposeId">The purpose, e.g. <c>marketing-email</c>; the event binds to its current version.</param>
/// <param name="State"><c>given</c>, <c>refused</c>, <c>withdrawn</c> or <c>expired</c>.</param>
/// <param name="NoticeLanguage">Language of the notice the subject saw: en, es, ca, it or et.</param>
/// <param name="OccurredAt">When the subject decided; default: now. Not in the future, and not before the subject was created in the vault unless the consent is imported.</param>
/// <param name="ExpiresAt">For <c>given</c>: when the consent lapses; default: never.</param>
/// <param name="CollectionMethod"><c>api</c> (default), <c>portal</c> or <c>import</c>: a consent collected by another system before the subject was created here; it requires <c>evidence</c> and is marked as imported in the history and the receipt.</param>
/// <param name="Evidence">Proof the caller keeps, e.g. a form id or the hash of the notice shown; at most 1000 characters on one line, without control or bidirectional control characters. Required for <c>import</c>.</param>
internal sealed record RecordConsentRequest(
    string PurposeId,
    string State,
    string NoticeLanguage,
    DateTimeOffset? OccurredAt = null,
    DateTimeOffset? ExpiresAt = null,
    string? CollectionMethod = null,
    string? Evidence = null);

/// <summary>Who recorded an event.</summary>
/// <param name="Type"><c>client</c> or <c>subject</c>.</param>
/// <param name="Id">Client id, or the subject id when the subject acted in the portal.</param>
internal sealed record ActorResponse(string Type, string Id);

/// <summary>A recorded consent event.</summary>
/// <param name="Id">Id of the event (UUIDv7).</param>
/// <param name="SubjectId">The subject it is about.</param>
/// <param name="PurposeId">The purpose.</param>
/// <param name="PurposeVersion">The version of the purpose it was recorded for.</param>
/// <param name="State"><c>given</c>, <c>refused</c>, <c>withdrawn</c> or <c>expired</c>.</param>
/// <param name="OccurredAt">When the subject decided, as the recording system stated it; for an imported event, the earlier system's word.</param>
/// <param name="RecordedAt">When the vault stored the event.</param>
/// <param name="ExpiresAt">For <c>given</c>: when the consent lapses, if ever.</param>
/// <param name="CollectionMethod"><c>api</c>, <c>portal</c> or <c>import</c>.</param>
/// <param name="Imported">True when the consent was collected by another system and imported (<c>collectionMethod: import</c>): the vault saw neither the decision nor the notice, and vouches only for the evidence it was given.</param>
/// <param name="Actor">Who recorded it.</param>
/// <param name="NoticeLanguage">Language of the notice the subject saw.</param>
/// <param name="Evidence">The proof the recording system gave, if any.</param>
internal sealed record ConsentEventResponse(
    string Id,
    string SubjectId,
    string PurposeId,
    string PurposeVersion,
    ConsentState State,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ExpiresAt,
    string CollectionMethod,
    bool Imported,
    ActorResponse Actor,
    string NoticeLanguage,
    string? Evidence)
{
    public static ConsentEventResponse From(ConsentEventView e) => new(
        e.Id, e.SubjectId, e.PurposeId, e.PurposeVersion, e.State, e.OccurredAt, e.RecordedAt, e.ExpiresAt, e.CollectionMethod, e.Imported,
        new ActorResponse(e.Actor.Type, e.Actor.Id), e.NoticeLanguage, e.Evidence);
}

/// <summary>A consent event and its signed receipt.</summary>
/// <param name="Event">The stored event.</param>
/// <param name="Receipt">Compact JWS (ES256, header typ consent-receipt+jwt) verifiable with the keys at /.well-known/jwks.json.</param>
internal sealed record ConsentReceiptResponse(ConsentEventResponse Event, string Receipt);

/// <summary>The consent state of one purpose.</summary>
/// <param name="PurposeId">The purpose.</param>
/// <param name="PurposeVersion">The purpose version in force at the instant asked about.</param>
/// <param name="State"><c>given</c> only when a current, unexpired consent to that version exists; otherwise why not.</param>
/// <param name="Objected">Whether an objection (Art. 21) to this purpose or to all processing is in force.</param>
/// <param name="LatestEvent">The latest event for the purpose at that instant, if any.</param>
internal sealed record PurposeConsentResponse(string PurposeId, string PurposeVersion, EffectiveConsent State, bool Objected, ConsentEventResponse? LatestEvent);

/// <summary>The consent state of every purpose at an instant.</summary>
internal sealed record ConsentStateResponse(string SubjectId, DateTimeOffset At, bool Restricted, bool ObjectsToAll, IReadOnlyList<PurposeConsentResponse> Purposes)
{
    public static ConsentStateResponse From(ConsentStateView view) => new(
        view.SubjectId,
        view.At,
        view.Restricted,
        view.ObjectsToAll,
        view.Purposes.Select(p => new PurposeConsentResponse(
            p.PurposeId, p.PurposeVersion, p.State, p.Objected, p.LatestEvent is null ? null : ConsentEventResponse.From(p.LatestEvent))).ToList());
}

/// <summary>Every consent event of a subject, oldest first.</summary>
internal sealed record ConsentHistoryResponse(string SubjectId, IReadOnlyList<ConsentEventResponse> Events);

/// <summary>Body of <c>POST /api/v1/subjects/{subjectId}/objections</c> (GDPR Art. 21).</summary>
/// <param name="PurposeId">The purpose objected to; omit to object to all processing that does not rest on contract, law or vital interests.</param>
/// <param name="Reason">Optional: why, e.g. "asked by phone"; at most 500 characters on one line, without control or bidirectional control characters. Kept with the objection and shown to the subject and officers.</param>
internal sealed record ObjectionRequest(string? PurposeId = null, string? Reason = null);

/// <summary>Body of restriction requests (GDPR Art. 18).</summary>
/// <param name="Reason">Why processing is restricted, e.g. "accuracy contested"; at most 500 characters on one line, without control or bidirectional control characters. Kept with the restriction and shown to the subject and officers.</param>
internal sealed record RestrictionRequest(string Reason);
