using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Retention;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>Storage limitation (GDPR Art. 5(1)(e)): the ends of relationships retention counts from, and the sweep's preview.</summary>
internal static class RetentionEndpoints
{
    public static void MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        var subjects = app.MapGroup("/api/v1/subjects/{subjectId}/relationships")
            .WithTags("Retention")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        subjects.MapPost("/", EndRelationship)
            .WithName("EndRelationship")
            .Audited(AuditActions.RelationshipEnd)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Record that a relationship ended")
            .WithDescription("Records that the contract or legitimate-interest relationship `purposeId` served ended at `endedAt`: from then, the purpose no longer keeps the subject's data, and its retention period (the catalogue's `retention`) runs. When no other purpose may use a field and every retention has passed, the retention sweep destroys it. The client must be registered for the purpose (403 otherwise); a consent or legal-obligation purpose is refused with 400, since its retention runs from its own events.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        subjects.MapGet("/", ListRelationshipEnds)
            .WithName("ListRelationshipEnds")
            .Audited(AuditActions.RelationshipRead)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Ends of relationships recorded for a subject")
            .WithDescription("Every end of a relationship recorded for the subject, oldest first. They are kept as history; only erasure removes them.");

        app.MapGroup("/api/v1/retention")
            .WithTags("Retention")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>()
            .MapGet("/preview", Preview)
            .WithName("PreviewRetention")
            .Audited(AuditActions.RetentionPreview)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("What the retention sweep would destroy")
            .WithDescription("Lists, subject by subject, what a retention sweep at `at` (default: now) would destroy and which rule decides it, as the subjects' records stand now: field names, versions, rules and purposes, never a value.");
    }

    internal static async Task<Results<Created<RelationshipEndResponse>, ProblemHttpResult>> EndRelationship(
        string subjectId, EndRelationshipRequest request, CurrentCaller caller, AuditDetails audit, PolicyCatalogue catalogue, RetentionEngine retention, CancellationToken cancellationToken)
    {
        if (Problems.ForPurpose(caller, catalogue, request.PurposeId, "purposeId") is { } refused)
        {
            return refused;
        }

        audit.PurposeId = request.PurposeId;
        var result = await retention.EndRelationshipAsync(subjectId, request.PurposeId, request.EndedAt, request.Reason, caller.Actor, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Created($"/api/v1/subjects/{subjectId}/relationships", RelationshipEndResponse.From(result.Value!))
            : Problems.From(result);
    }

    internal static async Task<Results<Ok<List<RelationshipEndResponse>>, ProblemHttpResult>> ListRelationshipEnds(
        string subjectId, CurrentCaller caller, RetentionEngine retention, CancellationToken cancellationToken)
    {
        var result = await retention.GetRelationshipEndsAsync(subjectId, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(result.Value!.Where(e => caller.MayUsePurpose(e.PurposeId)).Select(RelationshipEndResponse.From).ToList())
            : Problems.From(result);
    }

    internal static async Task<Ok<RetentionPreviewResponse>> Preview([FromQuery] DateTimeOffset? at, RetentionEngine retention, TimeProvider time, CancellationToken cancellationToken)
    {
        var instant = at ?? time.GetUtcNow();
        var plans = await retention.PreviewAsync(instant, cancellationToken);
        return TypedResults.Ok(new RetentionPreviewResponse(instant, plans.Select(RetentionPreviewSubject.From).ToList()));
    }
}
