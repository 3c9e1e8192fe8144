using System.Text;
using DataVault.Policies.Decisions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Auditing;

internal static class AuditText
{
    /// <summary><c>field:reason</c> pairs as the audit trail stores them (reason codes as on the wire).</summary>
    public static string? Withheld(IReadOnlyList<WithheldField> withheld)
    {
        if (withheld.Count == 0)
        {
            return null;
        }

        // Every audited read builds this, so it is built in one buffer rather than a string per field.
        var text = new StringBuilder(withheld.Count * 24);
        foreach (var field in withheld)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(field.Field).Append(':').Append(Reason(field.Reason));
        }

        return text.ToString();
    }

    /// <summary>503 when an access could not be recorded: fail closed, release nothing.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Audit trail unavailable",
            detail: "The access could not be recorded in the audit trail, so it was refused and nothing was released. Retry later.");
    }

    private static string Reason(WithheldReason reason) => reason switch
    {
        WithheldReason.NoConsent => "no-consent",
        WithheldReason.Expired => "expired",
        WithheldReason.NotInPurpose => "not-in-purpose",
        WithheldReason.Restricted => "restricted",
        WithheldReason.Objected => "objected",
        WithheldReason.Erased => "erased",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
