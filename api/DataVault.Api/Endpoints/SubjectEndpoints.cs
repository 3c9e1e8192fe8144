using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Api.Consents;
using DataVault.Policies;
using DataVault.Vault.Consents;
using DataVault.Vault.Release;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>Routes of the subject resource: create, read, rectify, erase, look up.</summary>
internal static class SubjectEndpoints
{
    public static RouteGroupBuilder MapSubjectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subjects")
            .WithTags("Subjects")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<GlobalPrivacyControlFilter>()
            .AddEndpointFilter<AuditFilter>();

        group.MapPost("/", CreateSubject)
            .WithName("CreateSubject")
            .Audited(AuditActions.SubjectCreate)
            .RequireScope(Scopes.SubjectsWrite)
            .WithSummary("Create a subject")
            .WithDescription("Creates a data subject with its initial field values, each validated against the field catalogue and encrypted under the subject's own data keys. Either every field is stored or none. Only fields that one of the client's purposes uses may be given: others are refused with 403 naming them in `fields`.")
            .Accepts<CreateSubjectRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/{subjectId}", GetSubject)
            .WithName("GetSubjectForPurpose")
            .Audited(AuditActions.SubjectRead)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Read a subject for a purpose")
            .WithDescription("Returns only the fields the purpose may use and the subject's consent, restriction and objections allow now; every other field is named in `withheld` with a reason, never valued. `purpose` is required (400 without or unknown; 403 if this client is not registered for it). An unknown id is 404; an erased subject is 410.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPatch("/{subjectId}", RectifySubject)
            .WithName("RectifySubject")
            .Audited(AuditActions.SubjectRectify)
            .RequireScope(Scopes.SubjectsWrite)
            .WithSummary("Rectify fields of a subject")
            .WithDescription("GDPR Art. 16. Each named field gets a new version; earlier versions are kept until erasure. Fields not named are unchanged. Only fields that one of the client's purposes uses may be given: others are refused with 403 naming them in `fields`, and nothing is written.")
            .Accepts<RectifySubjectRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapDelete("/{subjectId}", EraseSubject)
            .WithName("EraseSubject")
            .Audited(AuditActions.SubjectErase)
            .RequireScope(Scopes.SubjectsErase)
            .WithSummary("Erase a subject")
            .WithDescription("GDPR Art. 17 by crypto-shredding: destroys the subject's data keys before answering, which makes their ciphertexts unreadable at once (the ciphertexts are then purged in the background), except key groups held under a legal obligation until their retention ends, and returns a receipt. The id answers 410 Gone afterwards.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapGet("/", FindSubjects)
            .WithName("FindSubjects")
            .Audited(AuditActions.SubjectLookup)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Look a subject up by e-mail or phone, for a purpose")
            .WithDescription("Exact match on the normalized value (e-mail case-insensitive, phone in E.164) through a keyed blind index; give exactly one of `email` or `phone`, and the `purpose` the look-up is for (400 without it, or when that purpose does not use the field looked up by; 403 if this client is not registered for it). Only subjects the purpose may process now are answered: its lawful basis holds (for consent, a current consent), no objection stands against it, and the subject is neither restricted nor erased, as for a read. Any other subject is not found, so a look-up never tells whether the vault holds someone the purpose may not use.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return group;
    }

    internal static async Task<Results<Created<SubjectWriteResponse>, ValidationProblem, ProblemHttpResult>> CreateSubject(
        CreateSubjectRequest request, SubjectService subjects, PolicyCatalogue catalogue, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken)
    {
        if (RefuseFieldsOutsidePurposes(caller, audit, catalogue, request.Fields) is { } refused)
        {
            return refused;
        }

        var result = await subjects.CreateAsync(request.Fields, cancellationToken);
        if (result.Outcome == VaultOutcome.Ok)
        {
            audit.SubjectId = result.Value!.Id;
            audit.Fields = string.Join(',', result.Value.Fields.Select(f => f.Name));
        }

        return result.Outcome switch
        {
            VaultOutcome.Ok => TypedResults.Created($"/api/v1/subjects/{result.Value!.Id}", SubjectWriteResponse.From(result.Value)),
            _ => TypedResults.ValidationProblem(result.Errors),
        };
    }

    internal static async Task<Results<Ok<ReleasedSubjectResponse>, ProblemHttpResult>> GetSubject(
        string subjectId,
        [FromQuery, Required] string? purpose,
        CurrentCaller caller,
        AuditDetails audit,
        PolicyCatalogue catalogue,
        ReleaseReader release,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(purpose))
        {
            return Problems.Invalid("purpose", "A subject is read for a stated purpose: add ?purpose= with a purpose id (GET /api/v1/purposes lists them).");
        }

        if (Problems.ForPurpose(caller, catalogue, purpose, "purpose") is { } refused)
        {
            return refused;
        }

        var result = await release.ReadAsync(subjectId, purpose, cancellationToken);
        if (result.Outcome == VaultOutcome.Ok)
        {
            audit.Fields = string.Join(',', result.Value!.Released.Select(f => f.Name));
            audit.Withheld = WithheldFields.Format(result.Value.Withheld);
        }

        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(ReleasedSubjectResponse.From(result.Value!))
            : Problems.From(result);
    }

    internal static async Task<Results<Ok<SubjectWriteResponse>, ValidationProblem, ProblemHttpResult>> RectifySubject(
        string subjectId, RectifySubjectRequest request, SubjectService subjects, PolicyCatalogue catalogue, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken)
    {
        if (RefuseFieldsOutsidePurposes(caller, audit, catalogue, request.Fields) is { } refused)
        {
            return refused;
        }

        var result = await subjects.RectifyAsync(subjectId, request.Fields, caller.Actor, cancellationToken);
        if (result.Outcome == VaultOutcome.Ok)
        {
            audit.Fields = string.Join(',', request.Fields.Keys.Order(StringComparer.Ordinal));
        }

        return result.Outcome switch
        {
            VaultOutcome.Ok => TypedResults.Ok(SubjectWriteResponse.From(result.Value!)),
            VaultOutcome.Invalid => TypedResults.ValidationProblem(result.Errors),
            _ => Problems.From(result),
        };
    }

    internal static async Task<Results<Ok<ErasureReceiptResponse>, ProblemHttpResult>> EraseSubject(
        string subjectId, SubjectService subjects, CurrentCaller caller, CancellationToken cancellationToken)
    {
        var result = await subjects.EraseAsync(subjectId, caller.RequiredClient.Id, caller.Actor, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(ErasureReceiptResponse.From(result.Value!))
            : Problems.From(result);
    }

    internal static async Task<Results<Ok<SubjectLookupResponse>, ProblemHttpResult>> FindSubjects(
        [FromQuery] string? email,
        [FromQuery] string? phone,
        [FromQuery, Required] string? purpose,
        SubjectService subjects,
        ReleaseService release,
        PolicyCatalogue catalogue,
        CurrentCaller caller,
        AuditDetails audit,
        CancellationToken cancellationToken)
    {
        if ((email is null) == (phone is null))
        {
            return Problems.Invalid("query", "Give exactly one of 'email' or 'phone'.");
        }

        if (string.IsNullOrEmpty(purpose))
        {
            return Problems.Invalid("purpose", "A subject is looked up for a stated purpose: add ?purpose= with a purpose id (GET /api/v1/purposes lists them).");
        }

        if (Problems.ForPurpose(caller, catalogue, purpose, "purpose") is { } refused)
        {
            return refused;
        }

        var field = email is not null ? "email" : "phone";
        audit.Fields = field;

        // A look-up uses the value it is given for the purpose, so the purpose must use that field (GDPR Art. 5(1)(b)).
        if (!catalogue.Purposes[purpose].Fields.Contains(field, StringComparer.Ordinal))
        {
            return Problems.Invalid(field, "The purpose does not use this field, so subjects cannot be looked up by it for that purpose.");
        }

        var found = await subjects.FindAsync(field, email ?? phone!, cancellationToken);
        if (found.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(found);
        }

        var processable = await release.ProcessableAsync(purpose, found.Value!, cancellationToken);
        return TypedResults.Ok(new SubjectLookupResponse(processable.Select(id => new SubjectReference(id)).ToList()));
    }

    /// <summary>403 for a create or rectification naming fields none of the client's purposes uses; the names are audited, never the values.</summary>
    private static ProblemHttpResult? RefuseFieldsOutsidePurposes(
        CurrentCaller caller, AuditDetails audit, PolicyCatalogue catalogue, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? fields)
    {
        var outside = fields is null ? [] : caller.FieldsOutsidePurposes(catalogue, fields.Keys);
        if (outside.Count == 0)
        {
            return null;
        }

        audit.Fields = string.Join(',', outside);
        return Problems.FieldsNotAllowed(outside);
    }
}
