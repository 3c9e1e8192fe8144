using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>
/// Fulfilling data-subject requests (scope <c>requests.manage</c>): the vault's own operations taken for the subject a
/// request concerns, each recorded with the request's id, so the audit trail shows how every request was answered.
/// </summary>
internal static class RequestFulfilmentEndpoints
{
    public static void MapRequestFulfilmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/requests")
            .WithTags("Requests")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapPost("/{requestId}/actions", Act)
            .WithName("TakeRequestAction")
            .Audited(AuditActions.RequestAction)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("Take an action to fulfil a request")
            .WithDescription("GDPR Art. 12(3): the operation the request asks for, taken for the subject it concerns: `export-link` (Art. 15 and 20, access or portability requests: the vault e-mails the subject, at the address on record, a link to download the export, which works once and expires; answers where it went, never the link), `rectify` (Art. 16, `fields`), `erase` (Art. 17, answers the erasure receipt), `restrict` (Art. 18, `reason`), `object` (Art. 21, `purposeId` or all processing, `reason`) or `withdraw-consent` (Art. 7(3), `purposeId`). The operation is audited under its own code and its change events are published, each naming the request; the request's history records the action (codes, ids and field names, never a value). Only a request in progress and linked to a subject is acted on (409 otherwise, as is an operation the subject's state refuses); an erased subject is 410. The purposes and fields are the controller's, not limited to the calling client's.")
            .Accepts<RequestActionBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapGet("/{requestId}/certificate", Certificate)
            .WithName("GetRequestCertificate")
            .Audited(AuditActions.RequestCertificate)
            .RequireScope(Scopes.RequestsManage)
            .WithSummary("The signed completion certificate of a request")
            .WithDescription("GDPR Art. 5(2) and 12(3): proof of how a request was answered, as a JWS signed by the vault's key (ES256, published at `/.well-known/jwks.json`, so it verifies offline like a consent receipt). It records the request's type, subject, channel and receipt, its deadline (first and final due date, extension, days paused), the identity check, every step with who took it (never an officer's note), how it ended and whether on time, and which recipients were told of the changes made for it. Only a closed request has one (409 while it is open).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Ok<RequestCertificateResponse>, ProblemHttpResult>> Certificate(
        string requestId, RequestCertificates certificates, Requests.RequestCertificateSigner signer, AuditDetails audit, CancellationToken cancellationToken)
    {
        var (content, open) = await certificates.ReadAsync(requestId, cancellationToken);
        if (content is null)
        {
            return open
                ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the request's state", detail: "The request is still open: it has a certificate once it is completed, refused or withdrawn.")
                : NotFound();
        }

        audit.SubjectId = content.Request.SubjectId;
        return TypedResults.Ok(new RequestCertificateResponse(await signer.SignAsync(content, cancellationToken)));
    }

    internal static async Task<Results<Ok<RequestActionResponse>, ProblemHttpResult>> Act(
        string requestId, RequestActionBody? body, RequestFulfilment fulfilment, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return Problems.Invalid("body", "A request body is required.");
        }

        var result = await fulfilment.FulfilAsync(requestId, new FulfilmentCommand(body.Action, body.Fields, body.PurposeId, body.Reason), caller.Actor, cancellationToken);
        if (result is { Outcome: RequestOutcome.Ok, Done: { } done, Request: { } request })
        {
            audit.SubjectId = request.Request.SubjectId;
            audit.Fields = "action:" + done.Action;
            return TypedResults.Ok(RequestActionResponse.From(done, request));
        }

        return result.Outcome switch
        {
            RequestOutcome.Invalid => Problems.Validation(result.Errors!),
            RequestOutcome.SubjectErased => Problems.SubjectErased(),
            RequestOutcome.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Not possible in the request's state",
                detail: result.Conflict),
            _ => NotFound(),
        };
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "No such request is known to this vault.");
}
