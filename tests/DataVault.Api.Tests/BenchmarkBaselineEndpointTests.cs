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
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Benchmark" });
        using var client = app.CreateClient();

        var response = await client.GetAsync("/benchmark/baseline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }
}
