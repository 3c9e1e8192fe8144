using DataVault.Vault.Requests;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/requests</c>: a data-subject request as received.</summary>
/// <param name="Type">The right exercised: <c>access</c>, <c>portability</c>, <c>rectification</c>, <c>erasure</c>, <c>restriction</c>, <c>objection</c> or <c>consent-withdrawal</c>.</param>
/// <param name="SubjectId">The subject the request concerns, when known; otherwise give <paramref name="Requester"/>.</param>
/// <param name="Requester">How to reach the requester, as they gave it. Kept only encrypted, shown masked, and never attached to a subject.</param>
/// <param name="Channel">How it arrived: <c>portal</c>, <c>api</c>, <c>email</c>, <c>phone</c>, <c>letter</c> or <c>in-person</c>.</param>
/// <param name="ReceivedAt">When it was received, if earlier than now (a letter entered days later); the deadline counts from that day.</param>
/// <param name="Language">The language of the notices: <c>en</c>, <c>es</c>, <c>ca</c>, <c>it</c> or <c>et</c>. Default: the subject's preferred language, else English.</param>
/// <param name="Assignee">Who handles it, e.g. an officer's account id.</param>
/// <param name="Note">A first note about the handling (at most 2000 characters); never a copy of the subject's data.</param>
internal sealed record CreateRequestBody(
    string? Type = null,
    string? SubjectId = null,
    RequesterBody? Requester = null,
    string? Channel = null,
    DateTimeOffset? ReceivedAt = null,
    string? Language = null,
    string? Assignee = null,
    string? Note = null);

/// <summary>A requester's contact details; at least one.</summary>
/// <param name="Name">Their name as they gave it.</param>
/// <param name="Email">An e-mail address; the receipt notice goes there while the requester is not a verified subject.</param>
/// <param name="Phone">A phone number.</param>
internal sealed record RequesterBody(string? Name = null, string? Email = null, string? Phone = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/transitions</c>.</summary>
/// <param name="To"><c>identity-check</c>, <c>in-progress</c> or <c>withdrawn</c>. Completion and refusal have their own routes.</param>
/// <param name="PauseClock">With <c>identity-check</c> only: stop the deadline's clock until identity is established; the due date then moves a day for every day paused.</param>
internal sealed record RequestTransitionBody(string? To = null, bool? PauseClock = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/notes</c>.</summary>
/// <param name="Text">The officer's note, at most 2000 characters: what was done or decided, never the subject's data.</param>
internal sealed record RequestNoteBody(string? Text = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/extension</c>.</summary>
/// <param name="Months">1 or 2 further months; two in all at most (GDPR Art. 12(3)).</param>
/// <param name="Reason">Why, as the subject will read it in the notice.</param>
internal sealed record RequestExtensionBody(int? Months = null, string? Reason = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/refusal</c>.</summary>
/// <param name="Reason">One of <c>manifestly-unfounded</c>, <c>excessive</c>, <c>identity-not-verified</c>, <c>rights-of-others</c>, <c>portability-not-applicable</c>, <c>legal-obligation</c>, <c>legal-claims</c>, <c>compelling-legitimate-grounds</c>, <c>other</c>.</param>
/// <param name="Text">The explanation, as the subject will read it in the notice.</param>
internal sealed record RequestRefusalBody(string? Reason = null, string? Text = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/completion</c>.</summary>
/// <param name="Summary">What was done, for the history (at most 2000 characters).</param>
internal sealed record RequestCompletionBody(string? Summary = null);

/// <summary>Body of <c>POST /api/v1/requests/{requestId}/identity/verification</c>: exactly one of the two.</summary>
/// <param name="Code">The 8-digit code the requester received at the subject's e-mail address on record.</param>
/// <param name="Evidence">The kind of document an officer checked: <c>passport</c>, <c>national-id-card</c>, <c>driving-licence</c> or <c>residence-permit</c>; never its number.</param>
internal sealed record RequestVerificationBody(string? Code = null, string? Evidence = null);

/// <summary>Where the vault sent a code; the code itself never leaves the vault except by that e-mail.</summary>
/// <param name="SentTo">The subject's e-mail address on record, masked (<c>a***@example.com</c>).</param>
/// <param name="ExpiresAt">After this instant the code no longer works.</param>
internal sealed record IdentityChallengeResponse(string SentTo, DateTimeOffset ExpiresAt);

/// <summary>A data-subject request as it stands.</summary>
/// <param name="Id">The request's id (UUIDv7).</param>
/// <param name="Type">The right exercised.</param>
/// <param name="SubjectId">The subject it concerns, if known.</param>
/// <param name="RequesterMask">The requester's contact, masked (<c>a***@example.com</c>).</param>
/// <param name="Channel">How it arrived.</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="ReceivedDate">The day of receipt where the controller is (<c>Controller:TimeZone</c>); the period counts from the next day.</param>
/// <param name="Language">The language of the notices.</param>
/// <param name="Status"><c>received</c>, <c>identity-check</c>, <c>in-progress</c>, <c>completed</c>, <c>refused</c> or <c>withdrawn</c>.</param>
/// <param name="Assignee">Who handles it.</param>
/// <param name="DueDate">The last day to answer: one month from receipt (three when extended), plus the days paused, moved to the next working day (Regulation 1182/71).</param>
/// <param name="FirstDueDate">The end of the first month: an extension can be made until then.</param>
/// <param name="ExtensionMonths">Further months added (0 to 2).</param>
/// <param name="ExtensionReason">Why it was extended.</param>
/// <param name="PausedDays">Days the clock was paused for the identity check, counting a running pause up to today.</param>
/// <param name="PausedSince">While the clock is paused: the day it was paused.</param>
/// <param name="IdentityMethod">How the requester's identity was established, once it was.</param>
/// <param name="IdentityVerifiedAt">When it was established.</param>
/// <param name="RefusalReason">Why it was refused, when it was.</param>
/// <param name="ClosedAt">When it was completed, refused or withdrawn.</param>
/// <param name="ClosedBy">Who closed it.</param>
/// <param name="OnTime">Whether it was answered by its due date.</param>
/// <param name="Overdue">Open, running and past its due date.</param>
/// <param name="DueSoon">Open and due within the configured days (<c>Requests:DueSoonDays</c>, default 7).</param>
/// <param name="CreatedBy">Who recorded it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
internal sealed record RequestResponse(
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
    DateTimeOffset UpdatedAt)
{
    public static RequestResponse From(RequestView r) => new(
        r.Id, r.Type, r.SubjectId, r.RequesterMask, r.Channel, r.ReceivedAt, r.ReceivedDate, r.Language, r.Status, r.Assignee, r.DueDate, r.FirstDueDate,
        r.ExtensionMonths, r.ExtensionReason, r.PausedDays, r.PausedSince, r.IdentityMethod, r.IdentityVerifiedAt, r.RefusalReason, r.ClosedAt, r.ClosedBy,
        r.OnTime, r.Overdue, r.DueSoon, r.CreatedBy, r.UpdatedAt);
}

/// <summary>One entry of a request's history.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ActorType"><c>client</c>, <c>officer</c>, <c>subject</c> or <c>system</c>.</param>
/// <param name="ActorId">Who acted.</param>
/// <param name="Kind"><c>received</c>, <c>status</c>, <c>paused</c>, <c>resumed</c>, <c>note</c>, <c>extended</c>, <c>refused</c>, <c>completed</c> or <c>notice</c>.</param>
/// <param name="FromStatus">The status before, for a change of status.</param>
/// <param name="ToStatus">The status after.</param>
/// <param name="Detail">Codes and ids: the channel, a reason code, days paused, the new due date, a notice's kind, outbox id and masked address.</param>
/// <param name="Note">The officer's text: a note, the reason of an extension or refusal, a completion summary.</param>
internal sealed record RequestEventResponse(
    string Id, DateTimeOffset OccurredAt, string ActorType, string ActorId, string Kind, string? FromStatus, string? ToStatus, string? Detail, string? Note)
{
    public static RequestEventResponse From(RequestEventView e) => new(e.Id, e.OccurredAt, e.ActorType, e.ActorId, e.Kind, e.FromStatus, e.ToStatus, e.Detail, e.Note);
}

/// <summary>A request with its full history, oldest first.</summary>
/// <param name="Request">The request as it stands.</param>
/// <param name="History">Everything that happened to it.</param>
internal sealed record RequestDetailResponse(RequestResponse Request, IReadOnlyList<RequestEventResponse> History)
{
    public static RequestDetailResponse From(RequestDetail detail) =>
        new(RequestResponse.From(detail.Request), detail.History.Select(RequestEventResponse.From).ToList());
}

/// <summary>A page of requests: open ones first by due date (so the overdue lead), then closed ones.</summary>
/// <param name="Items">The requests of this page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
internal sealed record RequestPageResponse(IReadOnlyList<RequestResponse> Items, string? NextCursor);
