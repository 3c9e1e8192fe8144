using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Api.Tests;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task GetHealth_FreshVault_ReportsDatabaseAndKeyRingHealthy()
    {
        await using var app = new DataVaultApplication();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["database"]);
        Assert.Equal("Healthy", checks["key-ring"]);
        Assert.True(File.Exists(app.DatabasePath));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task GetHealth_SchemaNotAtExpectedVersion_Returns503()
    {
        await using var app = new DataVaultApplication();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        // A database migrated by a newer build than this one is not safe to serve.
        SubjectEndpointsTests.Scalar(app, "UPDATE schema_migrations SET version = version + 100 WHERE version = (SELECT MAX(version) FROM schema_migrations);");

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
