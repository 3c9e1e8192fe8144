using DataVault.Api.Authorization;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>Routes of the subject resource: create, read, rectify, erase, look up.</summary>
internal static class SubjectEndpoints
{
    public static RouteGroupBuilder MapSubjectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subjects")
            .WithTags("Subjects")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy);

        group.MapPost("/", CreateSubject)
            .WithName("CreateSubject")
            .RequireScope(Scopes.SubjectsWrite)
            .WithSummary("Create a subject")
            .WithDescription("Creates a data subject with its initial field values, each validated against the field catalogue and encrypted under the subject's own data keys. Either every field is stored or none.")
            .Accepts<CreateSubjectRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/{subjectId}", GetSubject)
            .WithName("GetSubject")
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Read a subject")
            .WithDescription("Returns the latest version of every field held on the subject. An unknown id is 404; an erased subject is 410.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPatch("/{subjectId}", RectifySubject)
            .WithName("RectifySubject")
            .RequireScope(Scopes.SubjectsWrite)
            .WithSummary("Rectify fields of a subject")
            .WithDescription("GDPR Art. 16. Each named field gets a new version; earlier versions are kept until erasure. Fields not named are unchanged.")
            .Accepts<RectifySubjectRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapDelete("/{subjectId}", EraseSubject)
            .WithName("EraseSubject")
            .RequireScope(Scopes.SubjectsErase)
            .WithSummary("Erase a subject")
            .WithDescription("GDPR Art. 17 by crypto-shredding: destroys the subject's data keys and ciphertexts, except key groups held under a legal obligation until their retention ends, and returns a receipt. The id answers 410 Gone afterwards.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapGet("/", FindSubjects)
            .WithName("FindSubjects")
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Look a subject up by e-mail or phone")
            .WithDescription("Exact match on the normalized value (e-mail case-insensitive, phone in E.164) through a keyed blind index; give exactly one of `email` or `phone`. Erased subjects are never found.");

        return group;
    }

    internal static async Task<Results<Created<SubjectResponse>, ValidationProblem>> CreateSubject(
        CreateSubjectRequest request, SubjectService subjects, CancellationToken cancellationToken)
    {
        var result = await subjects.CreateAsync(request.Fields, cancellationToken);
        return result.Outcome switch
        {
            VaultOutcome.Ok => TypedResults.Created($"/api/v1/subjects/{result.Value!.Id}", SubjectResponse.From(result.Value)),
            _ => TypedResults.ValidationProblem(result.Errors),
        };
    }

    internal static async Task<Results<Ok<SubjectResponse>, ProblemHttpResult>> GetSubject(
        string subjectId, SubjectService subjects, CancellationToken cancellationToken)
    {
        var result = await subjects.GetAsync(subjectId, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(SubjectResponse.From(result.Value!))
            : Problem(result.Outcome);
    }

    internal static async Task<Results<Ok<SubjectResponse>, ValidationProblem, ProblemHttpResult>> RectifySubject(
        string subjectId, RectifySubjectRequest request, SubjectService subjects, CancellationToken cancellationToken)
    {
        var result = await subjects.RectifyAsync(subjectId, request.Fields, cancellationToken);
        return result.Outcome switch
        {
            VaultOutcome.Ok => TypedResults.Ok(SubjectResponse.From(result.Value!)),
            VaultOutcome.Invalid => TypedResults.ValidationProblem(result.Errors),
            _ => Problem(result.Outcome),
        };
    }

    internal static async Task<Results<Ok<ErasureReceiptResponse>, ProblemHttpResult>> EraseSubject(
        string subjectId, SubjectService subjects, HttpContext context, CancellationToken cancellationToken)
    {
        var requestedBy = context.User.ClientId() ?? "unknown";
        var result = await subjects.EraseAsync(subjectId, requestedBy, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(ErasureReceiptResponse.From(result.Value!))
            : Problem(result.Outcome);
    }

    internal static async Task<Results<Ok<SubjectLookupResponse>, ValidationProblem>> FindSubjects(
        [FromQuery] string? email, [FromQuery] string? phone, SubjectService subjects, CancellationToken cancellationToken)
    {
        if ((email is null) == (phone is null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = ["Give exactly one of 'email' or 'phone'."],
            });
        }

        var result = email is not null
            ? await subjects.FindAsync("email", email, cancellationToken)
            : await subjects.FindAsync("phone", phone!, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(new SubjectLookupResponse(result.Value!.Select(id => new SubjectReference(id)).ToList()))
            : TypedResults.ValidationProblem(result.Errors);
    }

    private static ProblemHttpResult Problem(VaultOutcome outcome) => outcome switch
    {
        VaultOutcome.Gone => TypedResults.Problem(
            statusCode: StatusCodes.Status410Gone,
            title: "Subject erased",
            detail: "This subject was erased; its personal data no longer exists."),
        _ => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Subject not found",
            detail: "No subject with this id is known to this vault."),
    };
}
