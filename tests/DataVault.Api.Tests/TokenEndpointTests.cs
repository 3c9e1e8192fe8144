using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using DataVault.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DataVault.Api.Tests;

/// <summary>The token endpoint (RFC 6749 §4.4, §5) and the metadata (RFC 8414), as integrators see them.</summary>
public sealed class TokenEndpointTests
{
    [Fact]
    public async Task IssueToken_BasicAuthentication_ReturnsRfc9068AccessToken()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu", ["subjects.read", "subjects.write"], ["marketing-email"]);
        using var http = app.CreateClient();

        var response = await http.SendAsync(DataVaultApplication.TokenRequest("crm-eu", secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        var body = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        app.Monitor.Remember(body.AccessToken);
        Assert.Equal("Bearer", body.TokenType);
        Assert.InRange(body.ExpiresIn, 3599, 3600);
        Assert.Equal("subjects.read subjects.write", body.Scope);

        var token = new JsonWebToken(body.AccessToken);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("http://localhost/", token.Issuer);
        Assert.Equal(["datavault-api"], token.Audiences);
        Assert.Equal("crm-eu", token.Subject);
        Assert.Equal("crm-eu", token.GetClaim("client_id").Value);
        Assert.Equal("subjects.read subjects.write", token.GetClaim("scope").Value);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal(TimeSpan.FromHours(1), token.ValidTo - token.IssuedAt);

        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(token.Kid, key.GetProperty("kid").GetString());
        Assert.Equal(("EC", "P-256", "ES256", "sig"), (key.GetProperty("kty").GetString(), key.GetProperty("crv").GetString(), key.GetProperty("alg").GetString(), key.GetProperty("use").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "The JWKS must never publish the private key.");
    }

    [Fact]
    public async Task IssueToken_SecretInForm_Succeeds()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-form");
        using var http = app.CreateClient();

        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "crm-form",
            ["client_secret"] = secret,
            ["scope"] = "subjects.read",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        app.Monitor.Remember(body.AccessToken);

        // RFC 6749 §5.1: the scope is left out when it is exactly the one requested.
        Assert.Null(body.Scope);
        Assert.Equal("subjects.read", new JsonWebToken(body.AccessToken).GetClaim("scope").Value);
    }

    [Fact]
    public async Task IssueToken_WrongSecretOrUnknownClient_Returns401InvalidClient()
    {
        await using var app = new DataVaultApplication();
        await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        foreach (var (id, secret) in new[] { ("crm-eu", "wrong"), ("nobody", "wrong") })
        {
            var response = await http.SendAsync(DataVaultApplication.TokenRequest(id, secret));
            await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // No client or no secret at all is a request missing a parameter (RFC 6749 §5.2), not a failed authentication.
        var noCredentials = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));
        await AssertOAuthErrorAsync(noCredentials, HttpStatusCode.BadRequest, "invalid_request");
        await AssertOAuthErrorAsync(await http.SendAsync(DataVaultApplication.TokenRequest("crm-eu", string.Empty)), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("grant_type=password&username=a&password=b", "unsupported_grant_type")]
    [InlineData("grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=x", "unsupported_grant_type")]
    [InlineData("scope=subjects.read", "invalid_request")]
    [InlineData("grant_type=client_credentials&scope=audit.read", "invalid_scope")]
    [InlineData("grant_type=client_credentials&scope=everything", "invalid_scope")]
    [InlineData("grant_type=client_credentials&scope=openid", "invalid_scope")]
    [InlineData("grant_type=client_credentials&scope=offline_access", "invalid_scope")]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials", "invalid_request")]
    public async Task IssueToken_BadRequest_Returns400WithOAuthError(string form, string error)
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu", ["subjects.read"]);
        using var http = app.CreateClient();
        using var request = DataVaultApplication.TokenRequest("crm-eu", secret);
        request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        await AssertOAuthErrorAsync(await http.SendAsync(request), HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task IssueToken_TwoAuthenticationMethodsOrJsonBody_Returns400()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        using var both = DataVaultApplication.TokenRequest("crm-eu", secret);
        both.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_secret"] = secret });
        await AssertOAuthErrorAsync(await http.SendAsync(both), HttpStatusCode.BadRequest, "invalid_request");

        using var json = DataVaultApplication.TokenRequest("crm-eu", secret);
        json.Content = JsonContent.Create(new { grant_type = "client_credentials" });
        await AssertOAuthErrorAsync(await http.SendAsync(json), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task ClientSecret_IsStoredOnlyAsAHash()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");

        var stored = (string)SubjectEndpointsTests.Scalar(app, "SELECT secret_hash FROM clients WHERE id = 'crm-eu';")!;

        Assert.StartsWith("pbkdf2-sha256$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledClient_GetsNoTokenAndItsTokenIsRefusedAtOnce()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.RequestTokenAsync("crm-eu", secret));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        SubjectEndpointsTests.Scalar(app, "UPDATE clients SET disabled_at = '2026-01-01T00:00:00.0000000Z' WHERE id = 'crm-eu';");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
        await AssertOAuthErrorAsync(await app.CreateClient().SendAsync(DataVaultApplication.TokenRequest("crm-eu", secret)), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task RemovedScope_IsRefusedAtOnceWithAnUnexpiredToken()
    {
        await using var app = new DataVaultApplication();
        using var http = await app.CreateClientAsync("crm-eu", scopes: ["subjects.read", "subjects.write"]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        // Another process (or an operator with SQL) changes the client; the service is not told.
        SubjectEndpointsTests.Scalar(app, "UPDATE clients SET scopes = 'subjects.write' WHERE id = 'crm-eu';");

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task ClientDisabledByTheCliOfAnotherProcess_IsRefusedAtOnce()
    {
        await using var app = new DataVaultApplication();
        using var http = await app.CreateClientAsync("crm-eu");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.AdminCli.RunAsync(["clients", "disable", "crm-eu"], output, error, app.CliSettings);
        Assert.True(code == 0, error.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task Metadata_ListsExactlyWhatTheServerSupports()
    {
        await using var app = new DataVaultApplication();
        using var http = app.CreateClient();

        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" })
        {
            var metadata = (await http.GetFromJsonAsync<ServerMetadata>(path))!;
            Assert.Equal("http://localhost/", metadata.Issuer);
            Assert.Equal("http://localhost/connect/authorize", metadata.AuthorizationEndpoint);
            Assert.Equal("http://localhost/connect/token", metadata.TokenEndpoint);
            Assert.Equal("http://localhost/connect/revoke", metadata.RevocationEndpoint);
            Assert.Equal("http://localhost/connect/introspect", metadata.IntrospectionEndpoint);
            Assert.Equal("http://localhost/.well-known/jwks.json", metadata.JwksUri);
            Assert.Equal(["authorization_code", "client_credentials", "refresh_token"], metadata.GrantTypesSupported.Order(StringComparer.Ordinal));
            Assert.Equal(["code"], metadata.ResponseTypesSupported);
            Assert.Equal(["query"], metadata.ResponseModesSupported);
            Assert.Equal(["S256"], metadata.CodeChallengeMethodsSupported);
            Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"], metadata.TokenEndpointAuthMethodsSupported.Order(StringComparer.Ordinal));
            Assert.Equal(["ES256", "PS256", "RS256"], metadata.TokenEndpointAuthSigningAlgValuesSupported.Order(StringComparer.Ordinal));
            Assert.Equal(
                ["audit.read", "changes.read", "consents.write", "offline_access", "requests.manage", "subjects.erase", "subjects.invite", "subjects.read", "subjects.write"],
                metadata.ScopesSupported.Order(StringComparer.Ordinal));
            Assert.Null(metadata.IdTokenSigningAlgValuesSupported);
            Assert.Null(metadata.SubjectTypesSupported);
        }
    }

    [Fact]
    public async Task AccessToken_AfterExpiry_IsRefused()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(61));

        var response = await client.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AccessToken_InTheQueryStringOrForm_IsNotAccepted()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        using var http = app.CreateClient();

        // Only the Authorization header counts (RFC 6750 §2.1): URLs end up in logs and histories.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/v1/subjects?email=a@example.com&access_token={token}")).StatusCode);
    }

    [Fact]
    public async Task OpenIddictLogs_ConfiguredDownToTrace_StayAtDebugAndCarryNoToken()
    {
        // The test host logs everything at Trace to the monitor, which fails the test on any leaked token or
        // looked-up e-mail address; these settings try every way configuration could lower the floors of
        // OpenIddict's logs and of the hosting diagnostics (which log request URLs).
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:OpenIddict"] = "Trace",
            ["Logging:LogLevel:OpenIddict.Server.OpenIddictServerDispatcher"] = "Trace",
            [$"Logging:{typeof(SensitiveValueMonitor).FullName}:LogLevel:Default"] = "Trace",
        });
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateMonitoredClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.RequestTokenAsync("crm-eu", secret));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/purposes")).StatusCode);

        Assert.Contains(app.Monitor.Lines, line => line.StartsWith("OpenIddict.", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Monitor.Lines, line => line.StartsWith("OpenIddict.", StringComparison.Ordinal) && line.Contains("eyJ", StringComparison.Ordinal));
    }

    internal static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.Content.ReadFromJsonAsync<OAuthError>())!;
        Assert.Equal(error, body.Error);
        Assert.False(string.IsNullOrWhiteSpace(body.ErrorDescription));
    }

    internal sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);

    internal sealed record OAuthError(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    private sealed record ServerMetadata(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("authorization_endpoint")] string AuthorizationEndpoint,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
        [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
        [property: JsonPropertyName("jwks_uri")] string JwksUri,
        [property: JsonPropertyName("grant_types_supported")] string[] GrantTypesSupported,
        [property: JsonPropertyName("response_types_supported")] string[] ResponseTypesSupported,
        [property: JsonPropertyName("response_modes_supported")] string[] ResponseModesSupported,
        [property: JsonPropertyName("code_challenge_methods_supported")] string[] CodeChallengeMethodsSupported,
        [property: JsonPropertyName("token_endpoint_auth_methods_supported")] string[] TokenEndpointAuthMethodsSupported,
        [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] string[] TokenEndpointAuthSigningAlgValuesSupported,
        [property: JsonPropertyName("scopes_supported")] string[] ScopesSupported,
        [property: JsonPropertyName("id_token_signing_alg_values_supported")] string[]? IdTokenSigningAlgValuesSupported,
        [property: JsonPropertyName("subject_types_supported")] string[]? SubjectTypesSupported);
}
