using DataVault.Vault.Audit;

namespace DataVault.Api.Auditing;

/// <summary>Endpoint metadata: the stable audit code of what the route does.</summary>
internal sealed record AuditedAction(string Action);

/// <summary>
/// What a handler knows that the route does not: the subject it created, the fields it released or withheld. One per
/// request (a scoped service): the handler fills it, <see cref="AuditFilter"/> puts it in the entry; a test hands the
/// handler one and reads it back.
/// </summary>
internal sealed class AuditDetails
{
    public string? SubjectId { get; set; }

    public string? PurposeId { get; set; }

    /// <summary>Names of the fields released or written, comma-separated; never values.</summary>
    public string? Fields { get; set; }

    /// <summary><c>field:reason</c> pairs, comma-separated; never values.</summary>
    public string? Withheld { get; set; }

    /// <summary>The data-subject request the action was taken for, when the route does not name it (one just created).</summary>
    public string? RequestId { get; set; }

    /// <summary>The entry of the request: what the handler said, else what the route says.</summary>
    public AuditEvent Complete(AuditEvent route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route with
        {
            SubjectId = SubjectId ?? route.SubjectId,
            PurposeId = PurposeId ?? route.PurposeId,
            Fields = Fields,
            Withheld = Withheld,
            RequestId = RequestId ?? route.RequestId,
        };
    }
}

internal static class AuditedActionExtensions
{
    /// <summary>Declares the audit code of a route; <see cref="AuditFilter"/> writes the entry.</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, string action) => builder.WithMetadata(new AuditedAction(action));

    /// <summary>
    /// The request's audit details, and a trail that records nothing where the benchmark asks for it: only when the
    /// environment is <c>Benchmark</c> and <c>Audit:Enabled</c> is false, so the load benchmark can measure what the
    /// audit trail costs; no other environment can switch auditing off.
    /// </summary>
    public static void AddApiAuditing(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditDetails>();
        if (builder.Environment.IsEnvironment("Benchmark") && !builder.Configuration.GetValue("Audit:Enabled", true))
        {
            builder.Services.RecordNoAuditTrailForTheBenchmark();
        }
    }
}
