using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Auditing;

internal static class AuditText
{
    /// <summary>503 when an access could not be recorded: fail closed, release nothing.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Audit trail unavailable",
            detail: "The access could not be recorded in the audit trail, so it was refused and nothing was released. Retry later.");
    }
}
