using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataVault.Api.Endpoints;

/// <summary>Status of one dependency.</summary>
/// <param name="Name">Check name: <c>database</c>, <c>key-ring</c>.</param>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="Description">What was found, without secrets.</param>
internal sealed record HealthCheckResponse(string Name, string Status, string? Description);

/// <summary>Overall status and the status of each dependency.</summary>
/// <param name="Status">The worst status of all checks.</param>
/// <param name="Checks">Each check.</param>
internal sealed record HealthResponse(string Status, IReadOnlyList<HealthCheckResponse> Checks);

/// <summary>The operator's health route.</summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .WithTags("Operations")
            .WithName("GetHealth")
            .WithSummary("Service health")
            .WithDescription("Reports whether the database (schema version) and the Data Protection key ring are usable. 200 when healthy, 503 otherwise. No authentication.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
    }

    internal static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var response = new HealthResponse(
            report.Status.ToString(),
            report.Entries.Select(e => new HealthCheckResponse(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList());
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
