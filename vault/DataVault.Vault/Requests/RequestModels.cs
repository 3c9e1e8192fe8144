namespace DataVault.Vault.Requests;

/// <summary>The rights a data subject exercises by a request (GDPR Art. 15 to 22, and Art. 7(3) for consent).</summary>
public static class RequestTypes
{
    public const string Access = "access";
    public const string Portability = "portability";
    public const string Rectification = "rectification";
    public const string Erasure = "erasure";
    public const string Restriction = "restriction";
    public const string Objection = "objection";
    public const string ConsentWithdrawal = "consent-withdrawal";

    public static IReadOnlyList<string> All { get; } = [Access, Portability, Rectification, Erasure, Restriction, Objection, ConsentWithdrawal];
}

/// <summary>How a request reached the controller: Art. 12 accepts every channel, not only the portal.</summary>
public static class RequestChannels
{
    public const string Portal = "portal";
    public const string Api = "api";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Letter = "letter";
    public const string InPerson = "in-person";

    public static IReadOnlyList<string> All { get; } = [Portal, Api, Email, Phone, Letter, InPerson];
}

/// <summary>
/// Where a request stands: received → identity-check → in-progress → completed | refused | withdrawn. Identity
/// may be checked or not (a signed-in customer is known), and a request may be refused or withdrawn at any open
/// step; a closed request never opens again (<see cref="RequestState.CanMove"/>).
/// </summary>
public static class RequestStatuses
{
    public const string Received = "received";
    public const string IdentityCheck = "identity-check";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Refused = "refused";
    public const string Withdrawn = "withdrawn";

    public static IReadOnlyList<string> All { get; } = [Received, IdentityCheck, InProgress, Completed, Refused, Withdrawn];

    /// <summary>Still waiting for an answer: its deadline runs.</summary>
    public static bool IsOpen(string status) => status is Received or IdentityCheck or InProgress;
}

/// <summary>Why a request may be refused, each with the provision it rests on (the notice names it, Art. 12(4)).</summary>
public static class RefusalReasons
{
    /// <summary>Art. 12(5)(b): manifestly unfounded.</summary>
    public const string ManifestlyUnfounded = "manifestly-unfounded";

    /// <summary>Art. 12(5)(b): excessive, in particular because of its repetitive character.</summary>
    public const string Excessive = "excessive";

    /// <summary>Art. 11(2) and 12(6): the requester's identity could not be established.</summary>
    public const string IdentityNotVerified = "identity-not-verified";

    /// <summary>Art. 15(4): a copy would adversely affect the rights and freedoms of others.</summary>
    public const string RightsOfOthers = "rights-of-others";

    /// <summary>Art. 20(1): the processing rests neither on consent nor on a contract, or is not automated.</summary>
    public const string PortabilityNotApplicable = "portability-not-applicable";

    /// <summary>Art. 17(3)(b): processing is needed to comply with a legal obligation.</summary>
    public const string LegalObligation = "legal-obligation";

    /// <summary>Art. 17(3)(e): needed for the establishment, exercise or defence of legal claims.</summary>
    public const string LegalClaims = "legal-claims";

    /// <summary>Art. 21(1): compelling legitimate grounds override the subject's interests.</summary>
    public const string CompellingLegitimateGrounds = "compelling-legitimate-grounds";

    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [ManifestlyUnfounded, Excessive, IdentityNotVerified, RightsOfOthers, PortabilityNotApplicable, LegalObligation, LegalClaims, CompellingLegitimateGrounds, Other];
}

/// <summary>
/// How to reach a requester not (yet) linked to a subject, as they gave it. Personal data: stored only protected,
/// shown masked, never logged or audited (<see cref="ToString"/> hides it).
/// </summary>
public sealed record RequesterContact(string? Name, string? Email, string? Phone)
{
    public override string ToString() => $"RequesterContact {{ {RequestService.MaskOf(this)} }}";
}

/// <summary>A request as received.</summary>
/// <param name="Type">One of <see cref="RequestTypes"/>.</param>
/// <param name="SubjectId">The subject it concerns, when the receiver knows it; else null and <paramref name="Requester"/> says who asked.</param>
/// <param name="Requester">The requester's contact details as they gave them; never attached to a subject.</param>
/// <param name="Channel">One of <see cref="RequestChannels"/>.</param>
/// <param name="ReceivedAt">When it was received (a letter may be entered days later); default now, never in the future.</param>
/// <param name="Language">The language of the notices (en, es, ca, it, et); default the subject's preferred language, else English.</param>
/// <param name="Assignee">Who handles it, e.g. an officer's account id.</param>
/// <param name="Note">A first note about the handling.</param>
public sealed record NewRequest(
    string? Type,
    string? SubjectId,
    RequesterContact? Requester,
    string? Channel,
    DateTimeOffset? ReceivedAt,
    string? Language,
    string? Assignee,
    string? Note);

/// <summary>Filters of the request list; each given filter must hold.</summary>
/// <param name="Status">One of <see cref="RequestStatuses"/>.</param>
/// <param name="Type">One of <see cref="RequestTypes"/>.</param>
/// <param name="DueBefore">Only requests due on or before this day.</param>
/// <param name="Overdue">Only open requests past their due date (true), or only the others (false).</param>
/// <param name="SubjectId">Only requests concerning this subject.</param>
public sealed record RequestFilter(string? Status = null, string? Type = null, DateOnly? DueBefore = null, bool? Overdue = null, string? SubjectId = null);

/// <summary>
/// A request as it stands, with its deadline flags as of today where the controller is. <c>DueDate</c> is the
/// effective last day to answer: one month (three when extended) from receipt, plus the days paused, moved to a
/// working day; <c>FirstDueDate</c> ends the first month (plus pauses), until which an extension is possible.
/// <c>PausedSince</c> is the day the clock was paused for the identity check, while it is (the due date then moves
/// a day for every day paused, and the request is never overdue). <c>Overdue</c>: open and past the due date;
/// <c>DueSoon</c>: open and due within <see cref="RequestsOptions.DueSoonDays"/> days.
/// </summary>
public sealed record RequestView(
    string Id,
    string Type,
    string? SubjectId,
    string? RequesterMask,
    string Channel,
    DateTimeOffset ReceivedAt,
    DateOnly ReceivedDate,
    string Language,
    string Status,
    string? Assignee,
    DateOnly DueDate,
    DateOnly FirstDueDate,
    int ExtensionMonths,
    string? ExtensionReason,
    int PausedDays,
    DateOnly? PausedSince,
    string? IdentityMethod,
    DateTimeOffset? IdentityVerifiedAt,
    string? RefusalReason,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    bool? OnTime,
    bool Overdue,
    bool DueSoon,
    string CreatedBy,
    DateTimeOffset UpdatedAt);

/// <summary>
/// One entry of a request's history: its <c>Kind</c> (<see cref="RequestEventKinds"/>), <c>Detail</c> of codes and
/// ids (a reason code, the outbox id of a notice), never personal data, and the officer's free text in <c>Note</c>.
/// </summary>
public sealed record RequestEventView(
    string Id,
    DateTimeOffset OccurredAt,
    string ActorType,
    string ActorId,
    string Kind,
    string? FromStatus,
    string? ToStatus,
    string? Detail,
    string? Note);

/// <summary>A request with its full history, oldest first.</summary>
public sealed record RequestDetail(RequestView Request, IReadOnlyList<RequestEventView> History);

/// <summary>A page of requests: open ones first, by due date; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record RequestPage(IReadOnlyList<RequestView> Requests, string? NextCursor);

/// <summary>The kinds of history entries.</summary>
public static class RequestEventKinds
{
    public const string Received = "received";
    public const string Status = "status";
    public const string Paused = "paused";
    public const string Resumed = "resumed";
    public const string Note = "note";
    public const string Extended = "extended";
    public const string Refused = "refused";
    public const string Completed = "completed";
    public const string Withdrawn = "withdrawn";

    /// <summary>A one-time code was sent to the subject's address on record (detail: the challenge id).</summary>
    public const string IdentityChallenge = "identity-challenge";

    /// <summary>The requester's identity was established (detail: how; the challenge id for a code).</summary>
    public const string IdentityVerified = "identity-verified";

    /// <summary>A notice to the requester was queued in the mail outbox (detail: its kind and outbox id, and the masked address).</summary>
    public const string Notice = "notice";

    /// <summary>The request was handed to someone (detail: the assignee, none when handed back).</summary>
    public const string Assigned = "assigned";

    /// <summary>An operation was taken to fulfil the request (detail: its code and the ids and field names it concerned, never a value).</summary>
    public const string Action = "action";
}

/// <summary>Why a change to a request was not made.</summary>
public enum RequestOutcome
{
    Ok,
    Invalid,
    NotFound,

    /// <summary>The subject the request concerns was erased.</summary>
    SubjectErased,

    /// <summary>The request's status does not allow the change (a closed request, a skipped step): 409.</summary>
    Conflict,
}

/// <summary>The result of a change to a request: the request as it now stands, or why not.</summary>
public sealed record RequestResult(RequestOutcome Outcome, RequestDetail? Request, IReadOnlyDictionary<string, string[]>? Errors = null, string? Conflict = null)
{
    internal static RequestResult Invalid(string key, string message) => new(RequestOutcome.Invalid, null, new Dictionary<string, string[]> { [key] = [message] });

    internal static RequestResult Conflicting(string reason) => new(RequestOutcome.Conflict, null, Conflict: reason);

    internal static readonly RequestResult Missing = new(RequestOutcome.NotFound, null);
}
