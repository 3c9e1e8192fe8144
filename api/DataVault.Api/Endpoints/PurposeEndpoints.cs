using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Release;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>The purpose catalogue, and the export of subjects released for a purpose.</summary>
internal static class PurposeEndpoints
{
    public static void MapPurposeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/purposes")
            .WithTags("Purposes")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapGet("/", ListPurposes)
            .WithName("ListPurposes")
            .Audited(AuditActions.PurposeList)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("The purpose catalogue")
            .WithDescription("Every purpose with its lawful basis, fields, retention, version and localized texts.");

        group.MapGet("/{purposeId}/subjects", ListSubjectsForPurpose)
            .WithName("ListSubjectsForPurpose")
            .Audited(AuditActions.PurposeExport)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Subjects released for a purpose")
            .WithDescription("Streams every subject for whom the purpose's lawful basis holds now, with only the released fields, in stable id order with cursor pagination (a campaign export). Subjects created while paging appear at the end; none repeats or is skipped.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static Ok<PurposeListResponse> ListPurposes(PolicyCatalogue catalogue) =>
        TypedResults.Ok(new PurposeListResponse(catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(PurposeResponse.From).ToList()));

    internal static async Task<Results<Ok<ReleasedSubjectPageResponse>, ProblemHttpResult>> ListSubjectsForPurpose(
        string purposeId,
        [FromQuery] string? cursor,
        [FromQuery] int? limit,
        HttpContext context,
        CurrentCaller caller,
        PolicyCatalogue catalogue,
        ReleaseService release,
        AuditRecorder recorder,
        CancellationToken cancellationToken)
    {
        if (!catalogue.Purposes.ContainsKey(purposeId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Purpose not found", detail: "No purpose with this id is in the catalogue.");
        }

        if (!caller.MayUsePurpose(purposeId))
        {
            return Problems.PurposeNotAllowed(purposeId);
        }

        if (cursor is not null && !SubjectId.IsWellFormed(cursor))
        {
            return Problems.Invalid("cursor", "Is not a cursor returned by this operation.");
        }

        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > ReleaseService.MaxPageSize)
        {
            return Problems.Invalid("limit", $"Must be between 1 and {ReleaseService.MaxPageSize}.");
        }

        var page = await release.ListAsync(purposeId, cursor, pageSize, cancellationToken);

        // Each subject whose data leaves in the export gets its own entry, so it shows in their access log.
        try
        {
            await Task.WhenAll(page.Items.Select(item => recorder.RecordAsync(
                new AuditEvent(caller.Actor, AuditActions.SubjectRead, item.SubjectId, purposeId, string.Join(',', item.Released.Select(f => f.Name)), AuditText.Withheld(item.Withheld)),
                AuditOutcomes.Success,
                cancellationToken)));
        }
        catch (AuditUnavailableException)
        {
            return AuditText.Unavailable(context);
        }

        return TypedResults.Ok(new ReleasedSubjectPageResponse(page.Items.Select(ReleasedSubjectResponse.From).ToList(), page.NextCursor));
    }
}
