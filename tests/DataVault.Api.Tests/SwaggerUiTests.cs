using System.Net;

namespace DataVault.Api.Tests;

/// <summary>Swagger UI is a developer's console: served in Development, elsewhere only when <c>Api:SwaggerUi</c> is true. The OpenAPI document, the contract, is always served.</summary>
public sealed class SwaggerUiTests
{
    [Fact]
    public async Task SwaggerUi_OutsideDevelopment_IsNotServed_ButTheDocumentIs()
    {
        await using var app = new DataVaultApplication();
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/swagger")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/swagger/v1/swagger.yaml")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/swagger/v1/swagger.json")).StatusCode);
    }

    [Theory]
    [InlineData("Testing", "true")]
    [InlineData("Development", "false")]
    public async Task SwaggerUi_EnabledOrInDevelopment_IsServed(string environment, string? swaggerUi)
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = environment, ["Api:SwaggerUi"] = swaggerUi });
        using var http = app.CreateClient();

        using var page = await http.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
