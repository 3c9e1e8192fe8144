using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>
/// Data-subject requests (GDPR Art. 12 to 22) as the controller's systems and officers handle them (scope
/// <c>requests.manage</c>): received from any channel, answered within the deadline of Art. 12(3), with a full
/// history and the notices to the requester queued in the same write as each change.
/// </summary>
internal static class RequestEndpoints
{
    public static void MapRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/requests")
            .WithTags("Requests")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapPost("/", Create)
            .WithName("CreateRequest")
            .Audited(AuditActions.RequestCreate)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Record a data-subject request as received")
            .WithDescription("GDPR Art. 12: a request reaches the controller by any channel and must be answered within one month of receipt (Art. 12(3)). The due date counts from the day of receipt where the controller is, by Regulation 1182/71: the same date next month (or that month's last day), moved to the next working day. Name the subject when known, or give the requester's contact details, which are kept encrypted and never attached to a subject. A receipt notice is queued, in the same write, to the requester's e-mail address (or, once identity is verified, to the subject's address on record). An unknown subject is 404, an erased one 410.")
            .Accepts<CreateRequestBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapGet("/", List)
            .WithName("ListRequests")
            .Audited(AuditActions.RequestList)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("List data-subject requests")
            .WithDescription("Open requests first, by due date, so the overdue lead; then closed ones. Filters: `status`, `type`, `dueBefore` (a date, inclusive), `overdue` (open, running and past the due date; a request whose clock is paused for the identity check is never overdue), `subjectId`. Cursor-paginated.")
            .ProducesValidationProblem();

        group.MapGet("/{requestId}", Get)
            .WithName("GetRequest")
            .Audited(AuditActions.RequestRead)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("A data-subject request with its history")
            .WithDescription("The request, its due dates and flags as of today, and every change made to it, oldest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{requestId}/transitions", Transition)
            .WithName("TransitionRequest")
            .Audited(AuditActions.RequestTransition)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Move a request to another status")
            .WithDescription("received → identity-check → in-progress; a request may also be withdrawn while open. With `pauseClock`, entering the identity check stops the deadline's clock until the check ends (the only pause there is); leaving it adds the days paused to the due dates. A move the request's status does not allow is 409.")
            .Accepts<RequestTransitionBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{requestId}/notes", AddNote)
            .WithName("AddRequestNote")
            .Audited(AuditActions.RequestNote)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Add a note to a request's history")
            .WithDescription("The officer's own words about the handling (at most 2000 characters), never a copy of the subject's data.")
            .Accepts<RequestNoteBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{requestId}/identity/challenge", ChallengeIdentity)
            .WithName("ChallengeRequestIdentity")
            .Audited(AuditActions.RequestIdentityChallenge)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("E-mail the requester a code to confirm their identity")
            .WithDescription("GDPR Art. 12(6). The vault sends an 8-digit code to the e-mail address on record of the subject the request concerns, never to an address the requester gave, and answers 202 with that address masked and the code's expiry (default 30 minutes); the code is never returned. The requester tells it to the desk, which enters it at `/identity/verification`. Asking again replaces the earlier code. A closed, unlinked or already verified request, or a subject with no e-mail address on record, is 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{requestId}/identity/verification", VerifyIdentity)
            .WithName("VerifyRequestIdentity")
            .Audited(AuditActions.RequestIdentityVerify)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Establish the requester's identity")
            .WithDescription("Either the `code` sent to the subject's address on record (a wrong code is 400 and uses up one of 5 attempts; an expired, used-up or replaced code is 409), or the `evidence` an officer checked in person (the document's kind only). From then on the notices go to the subject's address on record. Contact details the requester gave are never attached to the subject.")
            .Accepts<RequestVerificationBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{requestId}/extension", Extend)
            .WithName("ExtendRequest")
            .Audited(AuditActions.RequestExtend)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Extend the period to answer a request")
            .WithDescription("GDPR Art. 12(3): by up to two further months in all, with the reasons, and the subject must be told within one month of receipt. So an extension is allowed only until the first due date (409 after it, or beyond two months); the period becomes three months from receipt, and the notice with the reason and the new due date is queued in the same write.")
            .Accepts<RequestExtensionBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{requestId}/refusal", Refuse)
            .WithName("RefuseRequest")
            .Audited(AuditActions.RequestRefuse)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Refuse a request, with the reasons")
            .WithDescription("GDPR Art. 12(4): the reason from a fixed list (each naming the provision it rests on) and an explanation. The notice queued in the same write states them, and the right to lodge a complaint with a supervisory authority and to seek a judicial remedy. A closed request is 409.")
            .Accepts<RequestRefusalBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{requestId}/completion", Complete)
            .WithName("CompleteRequest")
            .Audited(AuditActions.RequestComplete)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Complete a request in progress")
            .WithDescription("Records that the request was answered, and whether by its due date, and queues the completion notice in the same write. Only a request in progress can be completed (409 otherwise).")
            .Accepts<RequestCompletionBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Created<RequestDetailResponse>, ProblemHttpResult>> Create(
        CreateRequestBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return Problems.Invalid("body", "A request body is required.");
        }

        var requester = body.Requester is { } r ? new RequesterContact(r.Name, r.Email, r.Phone) : null;
        var result = await requests.CreateAsync(
            new NewRequest(body.Type, body.SubjectId, requester, body.Channel, body.ReceivedAt, body.Language, body.Assignee, body.Note), caller.Actor, cancellationToken);
        if (result.Request is not { } created)
        {
            return Problem(result, subjectMissing: true);
        }

        audit.SubjectId = created.Request.SubjectId;
        audit.RequestId = created.Request.Id;
        return TypedResults.Created($"/api/v1/requests/{created.Request.Id}", RequestDetailResponse.From(created));
    }

    internal static async Task<Results<Ok<RequestPageResponse>, ProblemHttpResult>> List(
        [FromQuery] string? status, [FromQuery] string? type, [FromQuery] DateOnly? dueBefore, [FromQuery] bool? overdue, [FromQuery] string? subjectId,
        [FromQuery] string? cursor, [FromQuery] int? limit, RequestService requests, AuditDetails audit, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > RequestService.MaxPageSize)
        {
            return Problems.Invalid("limit", $"Must be between 1 and {RequestService.MaxPageSize}.");
        }

        if (status is not null && !RequestStatuses.All.Contains(status, StringComparer.Ordinal))
        {
            return Problems.Invalid("status", $"Must be one of {string.Join(", ", RequestStatuses.All)}.");
        }

        if (type is not null && !RequestTypes.All.Contains(type, StringComparer.Ordinal))
        {
            return Problems.Invalid("type", $"Must be one of {string.Join(", ", RequestTypes.All)}.");
        }

        if (subjectId is not null && !Vault.Subjects.SubjectId.IsWellFormed(subjectId))
        {
            return Problems.Invalid("subjectId", "Is not a subject id.");
        }

        var page = await requests.ListAsync(new RequestFilter(status, type, dueBefore, overdue, subjectId), cursor, size, cancellationToken);
        if (page is null)
        {
            return Problems.Invalid("cursor", "Is not a cursor returned by this operation.");
        }

        audit.SubjectId = subjectId;
        return TypedResults.Ok(new RequestPageResponse(page.Requests.Select(RequestResponse.From).ToList(), page.NextCursor));
    }

    internal static async Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Get(
        string requestId, RequestService requests, AuditDetails audit, CancellationToken cancellationToken)
    {
        if (await requests.GetAsync(requestId, cancellationToken) is not { } detail)
        {
            return NotFound();
        }

        audit.SubjectId = detail.Request.SubjectId;
        return TypedResults.Ok(RequestDetailResponse.From(detail));
    }

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Transition(
        string requestId, RequestTransitionBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        Answer(requests.MoveAsync(requestId, body?.To, body?.PauseClock ?? false, caller.Actor, cancellationToken), audit);

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> AddNote(
        string requestId, RequestNoteBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        Answer(requests.AddNoteAsync(requestId, body?.Text, caller.Actor, cancellationToken), audit);

    internal static async Task<Results<Accepted<IdentityChallengeResponse>, ProblemHttpResult>> ChallengeIdentity(
        string requestId, RequestService requests, CurrentCaller caller, CancellationToken cancellationToken)
    {
        var result = await requests.ChallengeIdentityAsync(requestId, caller.Actor, cancellationToken);
        return result.Challenge is { } sent
            ? TypedResults.Accepted((string?)null, new IdentityChallengeResponse(sent.SentTo, sent.ExpiresAt))
            : Problem(new RequestResult(result.Outcome, null, Conflict: result.Conflict), subjectMissing: false);
    }

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> VerifyIdentity(
        string requestId, RequestVerificationBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        (body?.Code, body?.Evidence) switch
        {
            ({ } code, null) => Answer(requests.VerifyCodeAsync(requestId, code, caller.Actor, cancellationToken), audit),
            (null, { } evidence) => Answer(requests.RecordManualCheckAsync(requestId, evidence, caller.Actor, cancellationToken), audit),
            _ => Task.FromResult<Results<Ok<RequestDetailResponse>, ProblemHttpResult>>(Problems.Invalid("code", "Give either the code sent by e-mail or the evidence an officer checked, not both.")),
        };

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Extend(
        string requestId, RequestExtensionBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        Answer(requests.ExtendAsync(requestId, body?.Months ?? 0, body?.Reason, caller.Actor, cancellationToken), audit);

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Refuse(
        string requestId, RequestRefusalBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        Answer(requests.RefuseAsync(requestId, body?.Reason, body?.Text, caller.Actor, cancellationToken), audit);

    internal static Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Complete(
        string requestId, RequestCompletionBody? body, RequestService requests, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken) =>
        Answer(requests.CompleteAsync(requestId, body?.Summary, caller.Actor, cancellationToken), audit);

    private static async Task<Results<Ok<RequestDetailResponse>, ProblemHttpResult>> Answer(Task<RequestResult> change, AuditDetails audit)
    {
        var result = await change;
        if (result.Request is not { } detail)
        {
            return Problem(result, subjectMissing: false);
        }

        audit.SubjectId = detail.Request.SubjectId;
        return TypedResults.Ok(RequestDetailResponse.From(detail));
    }

    private static ProblemHttpResult Problem(RequestResult result, bool subjectMissing) => result.Outcome switch
    {
        RequestOutcome.Invalid => Problems.Validation(result.Errors!),
        RequestOutcome.SubjectErased => Problems.SubjectErased(),
        RequestOutcome.Conflict => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Not possible in the request's state",
            detail: result.Conflict),
        _ when subjectMissing => Problems.NotFound(),
        _ => NotFound(),
    };

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "No such request is known to this vault.");
}
