using System.Net;
using DataVault.Testing;

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

    [Fact]
    public async Task SwaggerUi_Authorize_OffersBothFlowsAndTheCodeFlowWithPkceWorksForItsPublicClient()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Development" });
        using var http = app.CreateClient();

        // The UI is set up for the code flow with PKCE as the public client swagger-ui...
        var setup = await http.GetStringAsync("/swagger/index.js");
        Assert.Contains("\"clientId\":\"swagger-ui\"", setup, StringComparison.Ordinal);
        Assert.Contains("\"usePkceWithAuthorizationCodeGrant\":true", setup, StringComparison.Ordinal);
        var document = await http.GetStringAsync("/swagger/v1/swagger.json");
        Assert.Contains("\"clientCredentials\"", document, StringComparison.Ordinal);
        Assert.Contains("\"authorizationUrl\": \"/connect/authorize\"", document, StringComparison.Ordinal);

        // ...which the first start in Development registered, with Swagger UI's redirect page.
        var agent = await CodeFlow.AddAgentAsync(app);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (verifier, challenge) = CodeFlow.Pkce();
        const string RedirectUri = "http://localhost/swagger/oauth2-redirect.html";
        var redirect = await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("swagger-ui", "subjects.read", challenge, redirectUri: RedirectUri));
        Assert.StartsWith(RedirectUri + "?", redirect.AbsoluteUri, StringComparison.Ordinal);
        var code = CodeFlow.Parameters(redirect)["code"];
        app.Monitor.Remember(code);

        // A public client has no secret: the PKCE verifier is its proof.
        using var exchange = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "swagger-ui",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var tokens = await CodeFlow.TokensAsync(app, exchange);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, tokens.AccessToken));

        // And it cannot use client credentials, having no secret.
        using var credentials = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "swagger-ui" }));
        Assert.Equal(HttpStatusCode.BadRequest, credentials.StatusCode);
    }
}
