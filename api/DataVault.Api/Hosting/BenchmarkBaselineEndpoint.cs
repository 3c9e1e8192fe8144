namespace DataVault.Api.Hosting;

/// <summary>What the baseline route answers: a fixed, tiny JSON document.</summary>
/// <param name="Status">Always <c>ok</c>.</param>
internal sealed record BenchmarkBaselineResponse(string Status);

/// <summary>
/// The load benchmark's baseline: the cheapest JSON answer this host can give through its own
/// middleware (exception handler, status pages, body limit, authentication, authorization, rate
/// limiter), so the other scenarios can be read as a fraction of the framework's ceiling on the
/// same machine. <c>/health</c> is not trivial (it queries the database and the key ring). Mapped
/// only in the <c>Benchmark</c> environment and left out of the OpenAPI description, so the
/// contract does not change and no other environment serves it.
/// </summary>
internal static class BenchmarkBaselineEndpoint
{
    public const string Path = "/benchmark/baseline";

    private static readonly BenchmarkBaselineResponse Ok = new("ok");

    public static void MapBenchmarkBaseline(this WebApplication app)
    {
        if (app.Environment.IsEnvironment("Benchmark"))
        {
            app.MapGet(Path, () => TypedResults.Ok(Ok)).ExcludeFromDescription().AllowAnonymous();
        }
    }
}
