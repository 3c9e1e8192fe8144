using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Api.Tests;

public sealed class BenchmarkBaselineEndpointTests
{
    [Fact]
    public async Task GetBaseline_OutsideBenchmarkEnvironment_Returns404()
    {
        await using var app = new DataVaultApplication();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/benchmark/baseline");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetBaseline_BenchmarkEnvironment_AnswersAnonymously()
    {
        using var mail = new TempDirectory();
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Benchmark",

            // As the benchmark suite runs it: outside Development the service must be told where mail goes.
            ["Mail:PickupDirectory"] = mail.Path,
        });
        using var client = app.CreateClient();

        var response = await client.GetAsync("/benchmark/baseline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }
}
