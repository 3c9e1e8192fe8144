using DataVault.Api.Authorization;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>The Problem Details (RFC 9457) answers shared by the resource endpoints.</summary>
internal static class Problems
{
    /// <summary>The answer for a failed vault result: 400 with field errors, 404 or 410.</summary>
    public static ProblemHttpResult From<T>(VaultResult<T> result) => result.Outcome switch
    {
        VaultOutcome.Invalid => Validation(result.Errors),
        VaultOutcome.Gone => SubjectErased(),
        VaultOutcome.Refused => TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not allowed for this client",
            detail: result.Refusal),
        _ => NotFound(),
    };

    /// <summary>400 with the errors keyed by the field at fault.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors) => TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
    });

    public static ProblemHttpResult SubjectErased() => TypedResults.Problem(
        statusCode: StatusCodes.Status410Gone,
        title: "Subject erased",
        detail: "This subject was erased; its personal data no longer exists.");

    public static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "No such subject, or no such item of this subject, is known to this vault.");

    public static ProblemHttpResult Invalid(string key, string message) => Validation(new Dictionary<string, string[]> { [key] = [message] });

    /// <summary>403: the client is not registered for the purpose (ARCHITECTURE.md, consent-filtered reads, rule 1).</summary>
    public static ProblemHttpResult PurposeNotAllowed(string purposeId) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Purpose not allowed",
        detail: $"This client is not registered for the purpose '{Sanitize(purposeId)}'.");

    /// <summary>
    /// 403 for a write of fields none of the client's purposes uses (<see cref="DataVault.Api.Authorization.CallerClaims.FieldsOutsidePurposes"/>),
    /// naming them in <c>fields</c> (catalogue names, never values).
    /// </summary>
    public static ProblemHttpResult FieldsNotAllowed(IReadOnlyList<string> fields) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Fields outside the client's purposes",
        detail: $"This client is registered for no purpose that uses {string.Join(", ", fields)}, so it may not write them. Nothing was written.",
        extensions: new Dictionary<string, object?> { ["fields"] = fields });

    /// <summary>
    /// The answer when a request names a purpose the client may not use: 400 for a purpose the catalogue
    /// does not have, 403 for one this client is not registered for; null when it may go ahead.
    /// </summary>
    public static ProblemHttpResult? ForPurpose(CurrentCaller caller, DataVault.Policies.PolicyCatalogue catalogue, string purposeId, string field) =>
        !catalogue.Purposes.ContainsKey(purposeId) ? Invalid(field, "Is not a purpose of the catalogue (GET /api/v1/purposes lists them).")
        : !caller.MayUsePurpose(purposeId) ? PurposeNotAllowed(purposeId)
        : null;

    /// <summary>Echoes an identifier only when it looks like one, so problem texts never carry arbitrary input.</summary>
    private static string Sanitize(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? value : "(invalid)";
}
