namespace DataVault.Api.Auditing;

/// <summary>Endpoint metadata: the stable audit code of what the route does.</summary>
internal sealed record AuditedAction(string Action);

/// <summary>What a handler knows that the route does not: the subject it created, the fields it released or withheld.</summary>
internal sealed class AuditDetails
{
    public string? SubjectId { get; set; }

    public string? PurposeId { get; set; }

    /// <summary>Names of the fields released or written, comma-separated; never values.</summary>
    public string? Fields { get; set; }

    /// <summary><c>field:reason</c> pairs, comma-separated; never values.</summary>
    public string? Withheld { get; set; }
}

internal static class AuditedActionExtensions
{
    /// <summary>Declares the audit code of a route; <see cref="AuditFilter"/> writes the entry.</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, string action) => builder.WithMetadata(new AuditedAction(action));

    public static AuditDetails AuditDetails(this HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(AuditDetails), out var existing) && existing is AuditDetails details)
        {
            return details;
        }

        var created = new AuditDetails();
        context.Items[typeof(AuditDetails)] = created;
        return created;
    }
}
